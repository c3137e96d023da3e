import { Card } from '@tremor/react';
import Link from 'next/link';
import { BandBadge } from '@/components/ui/badges';
import type { GroupRiskExplanation } from '@/lib/scoring/groups';
import { ContributionsTable, formatPoints } from './contributions-table';
import { RiskTrendChart } from './risk-trend-chart';
import { AcceptedFindingsNote } from '@/components/risk-acceptance/accepted-findings-note';

const SECTION_TITLE = 'text-tremor-title font-medium text-tremor-content-strong';

/**
 * Members listed by name in each contributions table. The rest are summed in the table's last row,
 * so the contributions still add up to the score. With 500 rows in each of the two tables, the
 * organization page of an estate of 911 assets was 1.9 MB of HTML.
 */
export const CONTRIBUTION_ROWS = 25;

interface GroupRiskExplanationViewProps {
  explanation: GroupRiskExplanation;
  /** Page listing every member with the full asset columns, riskiest first. */
  membersHref: string;
}

/**
 * Shows a group's v1 and v2 Risk Scores, how each is computed, the 90-day trend and the largest
 * members' contributions with the sum of the others, so the numbers can be checked by hand.
 */
export function GroupRiskExplanationView({ explanation, membersHref }: GroupRiskExplanationViewProps) {
  const top = explanation.contributionsV2[0];
  const breadth = explanation.exactV2 - explanation.maxScore;
  const shown = explanation.displayedVersion === 'v1' ? explanation.v1 : explanation.v2;
  const shownBand = explanation.displayedVersion === 'v1' ? explanation.bandV1 : explanation.bandV2;
  const toRows = (entries: typeof explanation.contributionsV2) => entries.map((entry) => ({ id: entry.assetId, name: entry.name, score: entry.assetScore, contribution: entry.contribution }));

  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <h2 className={SECTION_TITLE}>Risk Score ({explanation.displayedVersion})</h2>
          <p className="mt-3 flex items-baseline gap-3">
            <span className="text-5xl font-semibold tabular-nums text-tremor-content-strong" data-testid="group-risk-score">
              {shown}
            </span>
            <span className="text-tremor-default text-tremor-content-subtle">/ 1000</span>
            <BandBadge band={shownBand} />
          </p>
          <dl className="mt-4 grid grid-cols-2 gap-y-1 text-tremor-default">
            <dt className="text-tremor-content-subtle">v2 (maximum plus breadth)</dt>
            <dd className="text-right tabular-nums text-tremor-content-strong">{explanation.v2}</dd>
            <dt className="text-tremor-content-subtle">v1 (mean)</dt>
            <dd className="text-right tabular-nums text-tremor-content-strong">{explanation.v1}</dd>
            <dt className="text-tremor-content-subtle">Assets</dt>
            <dd className="text-right tabular-nums text-tremor-content-strong">{explanation.memberCount}</dd>
          </dl>
          <AcceptedFindingsNote summary={explanation.acceptedFindings} />
        </Card>
        <Card className="lg:col-span-2">
          <h2 className={SECTION_TITLE}>Trend, last 90 days</h2>
          <RiskTrendChart points={explanation.trend} displayedVersion={explanation.displayedVersion} className="mt-4 h-48" />
        </Card>
      </div>

      <Card>
        <h2 className={SECTION_TITLE}>How v2 is computed</h2>
        <p className="mt-2 text-tremor-default">
          v2 = M + (1000 − M) × (1 − exp(−Σ (r / 1000)² / K)): the riskiest asset&apos;s score M, plus a share of the gap to 1000 that grows with every
          other asset at risk. K is {explanation.spread}.
        </p>
        <dl className="mt-4 grid max-w-md grid-cols-2 gap-y-1 text-tremor-default">
          <dt className="text-tremor-content-subtle">M, riskiest asset{top ? ` (${top.name})` : ''}</dt>
          <dd className="text-right tabular-nums text-tremor-content-strong">{formatPoints(explanation.maxScore)}</dd>
          <dt className="text-tremor-content-subtle">Breadth above M</dt>
          <dd className="text-right tabular-nums text-tremor-content-strong">{formatPoints(breadth)}</dd>
          <dt className="text-tremor-content-subtle">v2, unrounded</dt>
          <dd className="text-right tabular-nums text-tremor-content-strong">{explanation.exactV2.toFixed(2)}</dd>
        </dl>
        <p className="mt-4 text-tremor-default text-tremor-content-subtle">
          The riskiest asset contributes M; the breadth is shared in proportion to (r / 1000)². The contributions add up to v2. v1 is the mean, so each
          asset contributes its score divided by the number of assets.
        </p>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className={`mb-3 ${SECTION_TITLE}`}>Contributions to v2</h2>
          {explanation.memberCount === 0 ? (
            <p className="text-tremor-default text-tremor-content-subtle">No assets.</p>
          ) : (
            <ContributionsTable
              rows={toRows(explanation.contributionsV2)}
              hrefPrefix="/assets/"
              caption="Each asset's contribution to v2"
              scoreLabel="Risk Score v2"
              limit={CONTRIBUTION_ROWS}
            />
          )}
        </Card>
        <Card>
          <h2 className={`mb-3 ${SECTION_TITLE}`}>Contributions to v1</h2>
          {explanation.memberCount === 0 ? (
            <p className="text-tremor-default text-tremor-content-subtle">No assets.</p>
          ) : (
            <ContributionsTable
              rows={toRows(explanation.contributionsV1)}
              hrefPrefix="/assets/"
              caption="Each asset's contribution to v1"
              scoreLabel="Risk Score v1"
              limit={CONTRIBUTION_ROWS}
            />
          )}
        </Card>
      </div>
      {explanation.memberCount > CONTRIBUTION_ROWS ? (
        <p className="text-tremor-default text-tremor-content-subtle" data-testid="contributions-shown">
          Showing the {CONTRIBUTION_ROWS} largest contributions of {explanation.memberCount} assets in each table; the last row sums the others.{' '}
          <Link href={membersHref} className="font-medium text-tremor-brand hover:underline">
            See all {explanation.memberCount} assets on the Assets page, sorted by Risk Score ({explanation.displayedVersion})
          </Link>
          .
        </p>
      ) : null}
    </div>
  );
}
