import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { DetectionScoreCard } from '@/components/scoring/detection-score-card';
import { FindingAcceptanceCard } from '@/components/risk-acceptance/finding-acceptance-card';
import { AttackCard } from '@/components/findings/attack-card';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DetectionFacts, FindingFacts, VulnerabilityFacts } from '@/components/findings/finding-facts';
import { StatusTimelineCard } from '@/components/findings/status-timeline-card';
import { DetectionScore, SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { CopyLinkButton } from '@/components/ui/copy-link-button';
import { ReportText } from '@/components/ui/fields';
import { JsonView } from '@/components/ui/json-view';
import { ExternalLink } from '@/components/ui/links';
import { requireSession } from '@/lib/auth/session';
import { getFinding } from '@/lib/findings/get-finding';
import { detectionRawPath, detectionsForView } from '@/lib/findings/raw-view';
import { parseId } from '@/lib/http/ids';

export const metadata: Metadata = { title: 'Finding' };

interface FindingPageProps {
  params: Promise<{ id: string }>;
}

const SECTION_TITLE = 'text-tremor-title font-medium text-tremor-content-strong';

export default async function FindingPage({ params }: FindingPageProps) {
  const { db } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const finding = await getFinding(db, id);
  if (!finding) notFound();

  const references = finding.references;
  // Raw attributes are bounded here, on the server, so one long report value cannot bloat the page.
  const detections = detectionsForView(finding);

  return (
    <article className="space-y-6">
      <header className="space-y-3">
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/findings" className="hover:text-tremor-content-strong hover:underline">
            Findings
          </Link>
          <span aria-hidden="true"> / </span>
          Finding {finding.id}
        </p>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <h1 className="min-w-0 flex-1 break-words text-2xl font-semibold text-tremor-content-strong">{finding.title}</h1>
          <CopyLinkButton path={`/findings/${finding.id}`} />
        </div>
        <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-tremor-default">
          <span className="flex items-center gap-2">
            <SeverityBadge severity={finding.severity} />
            <StatusBadge status={finding.status} />
          </span>
          <span className="flex items-center gap-2">
            <span className="text-tremor-content-subtle">Detection Score</span>
            <DetectionScore score={finding.detectionScore} showBand />
          </span>
          <span className="min-w-0 break-words">
            <span className="text-tremor-content-subtle">on </span>
            <Link href={`/assets/${finding.asset.id}`} className="font-medium text-tremor-brand hover:underline">
              {finding.asset.name}
            </Link>
          </span>
        </div>
      </header>

      <Card>
        <h2 className={`mb-4 ${SECTION_TITLE}`}>Vulnerability</h2>
        <VulnerabilityFacts finding={finding} />
        <h2 className={`mb-4 mt-8 border-t border-tremor-border pt-6 ${SECTION_TITLE}`}>Finding</h2>
        <FindingFacts finding={finding} />
      </Card>

      <FindingAcceptanceCard db={db} findingId={finding.id} />

      <DetectionScoreCard db={db} findingId={finding.id} />

      <StatusTimelineCard db={db} findingId={finding.id} firstFound={finding.firstFound} lastFound={finding.lastFound} />

      <AttackCard db={db} findingId={finding.id} />

      <Card className="space-y-8">
        <section>
          <h2 className={`mb-2 ${SECTION_TITLE}`}>Description</h2>
          <ReportText text={finding.description ?? finding.vulnerability?.description ?? null} />
        </section>
        <section>
          <h2 className={`mb-2 ${SECTION_TITLE}`}>Solution</h2>
          <ReportText text={finding.solution} />
        </section>
        <section>
          <h2 className={`mb-2 ${SECTION_TITLE}`}>References</h2>
          {references.length > 0 ? (
            <ul className="space-y-1.5 text-tremor-default">
              {references.map((reference) => (
                <li key={reference.url} className="break-words">
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
        <h2 className={`mb-3 ${SECTION_TITLE}`}>Detections ({detections.length})</h2>
        <div className="space-y-4">
          {detections.map((detection) => (
            <Card key={detection.id} className="min-w-0">
              <h3 className="mb-4 flex flex-wrap items-baseline gap-x-3 text-tremor-default">
                <span className="font-semibold text-tremor-content-strong">{detection.source}</span>
                {detection.sourceFindingId ? (
                  <span className="break-all font-mono text-tremor-label text-tremor-content-subtle" title="The source's id of this detection">
                    {detection.sourceFindingId}
                  </span>
                ) : null}
              </h3>
              <DetectionFacts detection={detection} />
              <div className="mt-5">
                <JsonView view={detection.rawView} summary="Raw attributes from the report" downloadHref={detectionRawPath(finding.id, detection.id)} />
              </div>
            </Card>
          ))}
        </div>
      </section>
    </article>
  );
}
