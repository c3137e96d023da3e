import { Card } from '@tremor/react';
import Link from 'next/link';
import type { Db } from '@/db/client';
import { BandBadge } from '@/components/ui/badges';
import { BAND_LABELS } from '@/components/ui/colors';
import { BANDS, type Band } from '@/lib/scoring/bands';
import { organizationOverview } from '@/lib/scoring/groups';
import { ContributionsTable } from './contributions-table';
import { RiskTrendChart } from './risk-trend-chart';

const SECTION_TITLE = 'text-tremor-title font-medium text-tremor-content-strong';

/** Bar color of each band, written out so Tailwind's content scan finds the classes. */
const BAND_BAR = { critical: 'bg-red-500', high: 'bg-orange-500', medium: 'bg-amber-400', low: 'bg-emerald-500' } as const satisfies Record<Band, string>;

/**
 * The executive view of the organization's Risk Score: the headline number in the chosen version,
 * its 90-day trend, assets per band and the assets and business entities that contribute most.
 */
export async function OrganizationRiskPanel({ db }: { db: Db }) {
  const overview = await organizationOverview(db);
  const totalAssets = Math.max(1, overview.assetCount);

  return (
    <div className="grid gap-6 lg:grid-cols-3" data-testid="organization-risk-panel">
      <Card>
        <h2 className={SECTION_TITLE}>Organization score</h2>
        <p className="mt-3 flex items-baseline gap-3">
          <Link href="/risk" className="text-5xl font-semibold tabular-nums text-tremor-content-strong hover:underline" data-testid="organization-risk-score">
            {overview.score}
          </Link>
          <span className="text-tremor-default text-tremor-content-subtle">/ 1000</span>
          <BandBadge band={overview.band} />
        </p>
        <p className="mt-2 text-tremor-default text-tremor-content-subtle">
          {overview.displayedVersion === 'v2' ? `v2; the mean (v1) is ${overview.v1}.` : `v1 (mean); v2 is ${overview.v2}.`}{' '}
          <Link href="/risk" className="text-tremor-brand hover:underline">
            Why this score
          </Link>
        </p>
        <h3 className="mt-5 text-tremor-default font-medium text-tremor-content-strong">Assets by band</h3>
        <div className="mt-2 flex h-2 overflow-hidden rounded-tremor-full bg-tremor-background-subtle" aria-hidden="true">
          {BANDS.map((band) =>
            overview.assetsByBand[band] > 0 ? <span key={band} className={BAND_BAR[band]} style={{ width: `${(overview.assetsByBand[band] / totalAssets) * 100}%` }} /> : null,
          )}
        </div>
        <ul className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-tremor-default">
          {BANDS.map((band) => (
            <li key={band} className="flex justify-between">
              <span>{BAND_LABELS[band]}</span>
              <span className="tabular-nums text-tremor-content-strong">{overview.assetsByBand[band]}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card className="lg:col-span-2">
        <h2 className={SECTION_TITLE}>Trend, last 90 days</h2>
        <RiskTrendChart points={overview.trend} displayedVersion={overview.displayedVersion} className="mt-4 h-56" />
      </Card>
      <Card className="lg:col-span-3">
        <div className="grid gap-6 md:grid-cols-2">
          <section>
            <h2 className={`mb-3 ${SECTION_TITLE}`}>Top contributing assets</h2>
            {overview.topAssets.length === 0 ? (
              <p className="text-tremor-default text-tremor-content-subtle">No asset has a Risk Score above 0.</p>
            ) : (
              <ContributionsTable rows={overview.topAssets} hrefPrefix="/assets/" caption="Assets contributing most to the v2 Risk Score" scoreLabel="Risk Score v2" />
            )}
          </section>
          <section>
            <h2 className={`mb-3 ${SECTION_TITLE}`}>Top contributing business entities</h2>
            {overview.topBusinessEntities.length === 0 ? (
              <p className="text-tremor-default text-tremor-content-subtle">No business entity has assets at risk.</p>
            ) : (
              <ContributionsTable
                rows={overview.topBusinessEntities}
                hrefPrefix="/business-entities/"
                caption="Business entities contributing most to the v2 Risk Score"
                scoreLabel="Risk Score v2"
              />
            )}
          </section>
        </div>
        <p className="mt-4 text-tremor-label text-tremor-content-subtle">
          Contributions are points of the v2 score. An asset in several business entities counts in each.{' '}
          <Link href="/prioritization" className="text-tremor-brand hover:underline">
            What to fix first
          </Link>
        </p>
      </Card>
    </div>
  );
}
