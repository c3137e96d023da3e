import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { DetectionScoreCard } from '@/components/scoring/detection-score-card';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DetectionScore, SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { DateTime } from '@/components/ui/date-time';
import { Field, Fields, ReportText } from '@/components/ui/fields';
import { JsonView } from '@/components/ui/json-view';
import { ExternalLink } from '@/components/ui/links';
import { requireSession } from '@/lib/auth/session';
import { getFinding, type FindingDetail, type VulnerabilityDetail } from '@/lib/findings/get-finding';
import { parseId } from '@/lib/http/ids';

export const metadata: Metadata = { title: 'Finding' };

interface FindingPageProps {
  params: Promise<{ id: string }>;
}

export default async function FindingPage({ params }: FindingPageProps) {
  const { db } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const finding = await getFinding(db, id);
  if (!finding) notFound();

  return (
    <article className="space-y-6">
      <header>
        <p className="text-tremor-default text-tremor-content-subtle">
          Finding {finding.id} on{' '}
          <Link href={`/assets/${finding.asset.id}`} className="text-tremor-brand hover:underline">
            {finding.asset.name}
          </Link>
        </p>
        <h1 className="mt-1 break-words text-2xl font-semibold text-tremor-content-strong">{finding.title}</h1>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <SeverityBadge severity={finding.severity} />
          <StatusBadge status={finding.status} />
          <span className="text-tremor-default">
            Detection Score <DetectionScore score={finding.detectionScore} />
          </span>
        </div>
      </header>

      <DetectionScoreCard db={db} findingId={finding.id} />

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Details</h2>
        <FindingFields finding={finding} />
      </Card>

      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Vulnerability</h2>
        <VulnerabilityFields finding={finding} vulnerability={finding.vulnerability} />
      </Card>

      <Card className="space-y-6">
        <section>
          <h2 className="mb-2 text-tremor-title font-medium text-tremor-content-strong">Description</h2>
          <ReportText text={finding.description ?? finding.vulnerability?.description ?? null} />
        </section>
        <section>
          <h2 className="mb-2 text-tremor-title font-medium text-tremor-content-strong">Solution</h2>
          <ReportText text={finding.solution} />
        </section>
        <section>
          <h2 className="mb-2 text-tremor-title font-medium text-tremor-content-strong">References</h2>
          {finding.vulnerability && finding.vulnerability.references.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5 text-tremor-default">
              {finding.vulnerability.references.map((reference) => (
                <li key={reference.url}>
                  <ExternalLink href={reference.url} />
                  {reference.tags.length > 0 ? <span className="ml-2 text-tremor-label text-tremor-content-subtle">{reference.tags.join(', ')}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-tremor-default text-tremor-content-subtle">None known.</p>
          )}
        </section>
      </Card>

      <section>
        <h2 className="mb-3 text-tremor-title font-medium text-tremor-content-strong">Detections ({finding.detections.length})</h2>
        <div className="space-y-4">
          {finding.detections.map((detection) => (
            <Card key={detection.id}>
              <Fields>
                <Field label="Source">{detection.source}</Field>
                <Field label="Source's id">{detection.sourceFindingId}</Field>
                <Field label="First seen">
                  <DateTime iso={detection.firstSeen} />
                </Field>
                <Field label="Last seen">
                  <DateTime iso={detection.lastSeen} />
                </Field>
                <Field label="First import">
                  {detection.firstImport.fileName} (import {detection.firstImport.id})
                </Field>
                <Field label="Last import">
                  {detection.lastImport.fileName} (import {detection.lastImport.id})
                </Field>
              </Fields>
              <div className="mt-4">
                <JsonView value={detection.raw} summary="Raw attributes from the report" />
              </div>
            </Card>
          ))}
        </div>
      </section>
    </article>
  );
}

function FindingFields({ finding }: { finding: FindingDetail }) {
  const technology = finding.technology;
  return (
    <Fields>
      <Field label="Asset">
        <Link href={`/assets/${finding.asset.id}`} className="text-tremor-brand hover:underline">
          {finding.asset.name}
        </Link>
        {finding.asset.ipv4.length > 0 ? <span className="ml-2 text-tremor-content-subtle">{finding.asset.ipv4.join(', ')}</span> : null}
      </Field>
      <Field label="Port / protocol">{finding.port === null ? null : `${finding.port}/${finding.protocol ?? 'unknown'}`}</Field>
      <Field label="Technology">
        {technology ? [technology.vendor, technology.product, technology.version].filter(Boolean).join(' ') : null}
        {technology?.path ? <span className="ml-2 text-tremor-content-subtle">{technology.path}</span> : null}
      </Field>
      <Field label="Fixed version">{finding.fixedVersion}</Field>
      <Field label="Type">{finding.type === 'vulnerability' ? 'Vulnerability' : 'Misconfiguration'}</Field>
      <Field label="Sources">{finding.sources.join(', ')}</Field>
      <Field label="Vendor id">{finding.vendorId}</Field>
      <Field label="First found">
        <DateTime iso={finding.firstFound} />
      </Field>
      <Field label="Last found">
        <DateTime iso={finding.lastFound} />
      </Field>
      {finding.fixedAt ? (
        <Field label="Fixed">
          <DateTime iso={finding.fixedAt} />
        </Field>
      ) : null}
    </Fields>
  );
}

function formatPercent(value: number | null): string | null {
  return value === null ? null : `${(value * 100).toFixed(2)}%`;
}

function formatKev(vulnerability: VulnerabilityDetail): string {
  if (!vulnerability.isKev) return 'No';
  return vulnerability.kevDateAdded ? `Yes, added ${vulnerability.kevDateAdded}` : 'Yes';
}

function VulnerabilityFields({ finding, vulnerability }: { finding: FindingDetail; vulnerability: VulnerabilityDetail | null }) {
  if (!finding.cveId) return <p className="text-tremor-default text-tremor-content-subtle">This finding has no CVE.</p>;

  const otherCves = finding.cveIds.filter((cve) => cve !== finding.cveId);
  const cvss3 = vulnerability?.cvss3BaseScore ?? finding.cvss3BaseScore;
  const cvss3Vector = vulnerability?.cvss3Vector ?? finding.cvss3Vector;
  return (
    <Fields>
      <Field label="CVE">
        <ExternalLink href={`https://nvd.nist.gov/vuln/detail/${encodeURIComponent(finding.cveId)}`}>{finding.cveId}</ExternalLink>
        {otherCves.length > 0 ? <span className="ml-2 text-tremor-content-subtle">also {otherCves.join(', ')}</span> : null}
      </Field>
      <Field label="CVSS v3 base score">
        {cvss3 === null ? null : `${cvss3.toFixed(1)}${cvss3Vector ? ` (${cvss3Vector})` : ''}`}
      </Field>
      <Field label="CVSS v2 base score">
        {(vulnerability?.cvss2BaseScore ?? finding.cvss2BaseScore)?.toFixed(1) ?? null}
      </Field>
      {vulnerability?.cvss4BaseScore != null ? (
        <Field label="CVSS v4 base score">{`${vulnerability.cvss4BaseScore.toFixed(1)}${vulnerability.cvss4Vector ? ` (${vulnerability.cvss4Vector})` : ''}`}</Field>
      ) : null}
      <Field label="EPSS">
        {vulnerability?.epssScore == null ? null : `${formatPercent(vulnerability.epssScore)} probability, percentile ${formatPercent(vulnerability.epssPercentile) ?? 'unknown'}`}
      </Field>
      <Field label="Known exploited (CISA KEV)">{vulnerability ? formatKev(vulnerability) : null}</Field>
      <Field label="CWE">{(vulnerability?.cweIds.length ? vulnerability.cweIds : finding.cweIds).join(', ')}</Field>
      <Field label="Published">{vulnerability?.publishedAt ? <DateTime iso={vulnerability.publishedAt} /> : null}</Field>
      {vulnerability ? null : (
        <Field label="Catalog">This CVE is not in the vulnerability catalog yet, so EPSS and KEV are unknown.</Field>
      )}
    </Fields>
  );
}
