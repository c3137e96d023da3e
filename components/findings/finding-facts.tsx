import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatPort } from '@/components/findings/format-port';
import { DateTime } from '@/components/ui/date-time';
import { Fact, FactGrid } from '@/components/ui/fields';
import { ExternalLink } from '@/components/ui/links';
import type { DetectionDetail, FindingDetail, VulnerabilityDetail } from '@/lib/findings/get-finding';

const MUTED = 'text-tremor-content-subtle';

// The helpers below return null for a missing value. They are called as functions rather than
// rendered as elements, so Fact receives the null and shows its dash.

/** Renders a CVSS base score with its vector under it in monospace. */
function renderCvssScore(score: number | null, vector: string | null): ReactNode {
  if (score === null) return null;
  return (
    <>
      <span className="font-semibold tabular-nums">{score.toFixed(1)}</span>
      {vector ? <span className={`block break-all font-mono text-tremor-label ${MUTED}`}>{vector}</span> : null}
    </>
  );
}

function formatPercent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function renderEpss(vulnerability: VulnerabilityDetail | null): ReactNode {
  if (vulnerability?.epssScore == null) return null;
  return (
    <>
      <span className="font-semibold tabular-nums">{formatPercent(vulnerability.epssScore)}</span>
      <span className={MUTED}> probability of exploitation in 30 days</span>
      {vulnerability.epssPercentile === null ? null : <span className={`block ${MUTED}`}>percentile {formatPercent(vulnerability.epssPercentile)}</span>}
    </>
  );
}

function Kev({ vulnerability }: { vulnerability: VulnerabilityDetail }) {
  if (!vulnerability.isKev) return <>No</>;
  return (
    <span className="font-semibold text-red-700">
      Yes{vulnerability.kevDateAdded ? <span className="font-normal">, added {vulnerability.kevDateAdded}</span> : null}
    </span>
  );
}

/** Links a `CWE-<number>` id to its MITRE page. Any other text is shown as it is. */
function CweLink({ id }: { id: string }) {
  const match = /^CWE-(\d+)$/i.exec(id);
  if (!match) return <>{id}</>;
  return <ExternalLink href={`https://cwe.mitre.org/data/definitions/${match[1]}.html`}>{id}</ExternalLink>;
}

/** Renders the facts about the finding's CVE, from the finding and the vulnerability catalog. */
export function VulnerabilityFacts({ finding }: { finding: FindingDetail }) {
  if (!finding.cveId) return <p className={`text-tremor-default ${MUTED}`}>This finding has no CVE.</p>;

  const vulnerability = finding.vulnerability;
  const otherCves = finding.cveIds.filter((cve) => cve !== finding.cveId);
  const cweIds = vulnerability?.cweIds.length ? vulnerability.cweIds : finding.cweIds;
  return (
    <FactGrid>
      <Fact label="CVE">
        <ExternalLink href={`https://nvd.nist.gov/vuln/detail/${encodeURIComponent(finding.cveId)}`}>{finding.cveId}</ExternalLink>
        {otherCves.length > 0 ? <span className={`block ${MUTED}`}>also {otherCves.join(', ')}</span> : null}
      </Fact>
      <Fact label="CVSS v3 base score">{renderCvssScore(vulnerability?.cvss3BaseScore ?? finding.cvss3BaseScore, vulnerability?.cvss3Vector ?? finding.cvss3Vector)}</Fact>
      <Fact label="CVSS v2 base score">{renderCvssScore(vulnerability?.cvss2BaseScore ?? finding.cvss2BaseScore, vulnerability?.cvss2Vector ?? null)}</Fact>
      {vulnerability?.cvss4BaseScore != null ? <Fact label="CVSS v4 base score">{renderCvssScore(vulnerability.cvss4BaseScore, vulnerability.cvss4Vector)}</Fact> : null}
      <Fact label="EPSS">{renderEpss(vulnerability)}</Fact>
      <Fact label="Known exploited (CISA KEV)">{vulnerability ? <Kev vulnerability={vulnerability} /> : null}</Fact>
      <Fact label="CWE">
        {cweIds.length > 0 ? (
          <span className="flex flex-wrap gap-x-3">
            {cweIds.map((id) => (
              <CweLink key={id} id={id} />
            ))}
          </span>
        ) : null}
      </Fact>
      <Fact label="Published">{vulnerability?.publishedAt ? <DateTime iso={vulnerability.publishedAt} /> : null}</Fact>
      {vulnerability ? null : (
        <Fact label="Catalog" wide>
          This CVE is not in the vulnerability catalog yet, so EPSS and KEV are unknown.
        </Fact>
      )}
    </FactGrid>
  );
}

/** Renders the facts about the finding itself: where it is, what it affects and when it was seen. */
export function FindingFacts({ finding }: { finding: FindingDetail }) {
  const technology = finding.technology;
  const addresses = finding.asset.ipv4.join(', ');
  return (
    <FactGrid>
      <Fact label="Asset">
        <Link href={`/assets/${finding.asset.id}`} className="text-tremor-brand hover:underline">
          {finding.asset.name}
        </Link>
        {addresses ? <span className={`block ${MUTED}`}>{addresses}</span> : null}
      </Fact>
      <Fact label="Port / protocol">
        <span className="tabular-nums">{formatPort(finding.port, finding.protocol)}</span>
      </Fact>
      <Fact label="Technology">
        {technology ? [technology.vendor, technology.product, technology.version].filter(Boolean).join(' ') : null}
        {technology?.path ? <span className={`block break-all font-mono text-tremor-label ${MUTED}`}>{technology.path}</span> : null}
      </Fact>
      <Fact label="Fixed version">{finding.fixedVersion}</Fact>
      <Fact label="Type">{finding.type === 'vulnerability' ? 'Vulnerability' : 'Misconfiguration'}</Fact>
      <Fact label="Vendor id">{finding.vendorId ? <span className="font-mono text-tremor-label">{finding.vendorId}</span> : null}</Fact>
      <Fact label="Sources">{finding.sources.join(', ')}</Fact>
      <Fact label="First found">
        <DateTime iso={finding.firstFound} />
      </Fact>
      <Fact label="Last found">
        <DateTime iso={finding.lastFound} />
      </Fact>
      {finding.fixedAt ? (
        <Fact label="Fixed">
          <DateTime iso={finding.fixedAt} />
        </Fact>
      ) : null}
    </FactGrid>
  );
}

/** Links to the import on the imports page, whose rows have the id `import-<id>`. */
function ImportLink({ item }: { item: DetectionDetail['firstImport'] }) {
  return (
    <>
      <Link href={`/imports#import-${item.id}`} className="break-all text-tremor-brand hover:underline">
        {item.fileName}
      </Link>
      <span className={`block ${MUTED}`}>
        import {item.id}, <DateTime iso={item.startedAt} />
      </span>
    </>
  );
}

/** Renders when one source saw the finding, and in which imports. */
export function DetectionFacts({ detection }: { detection: Omit<DetectionDetail, 'raw'> }) {
  return (
    <dl className="grid grid-cols-1 gap-x-8 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
      <Fact label="First seen">
        <DateTime iso={detection.firstSeen} />
      </Fact>
      <Fact label="Last seen">
        <DateTime iso={detection.lastSeen} />
      </Fact>
      <Fact label="First import">
        <ImportLink item={detection.firstImport} />
      </Fact>
      <Fact label="Last import">
        <ImportLink item={detection.lastImport} />
      </Fact>
    </dl>
  );
}
