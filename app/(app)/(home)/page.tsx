import { BarList, Card } from '@tremor/react';
import type { Metadata } from 'next';
import { OrganizationRiskPanel } from '@/components/scoring/organization-risk-panel';
import { BAND_COLORS } from '@/components/ui/colors';
import { EmptyState, PageHeading } from '@/components/ui/states';
import { countAssets, riskiestAssets } from '@/lib/assets/list-assets';
import { requireSession } from '@/lib/auth/session';
import { riskBand } from '@/lib/scoring/bands';
import { WidgetTile } from '@/widgets/widget-tile';

export const metadata: Metadata = { title: 'Home' };

const RISKIEST_ASSET_COUNT = 10;

export default async function HomePage() {
  const { db } = await requireSession();
  const [assetCount, riskiest] = await Promise.all([countAssets(db), riskiestAssets(db, RISKIEST_ASSET_COUNT)]);

  if (assetCount === 0) {
    return (
      <EmptyState title="No data yet" actionHref="/imports" actionLabel="Upload a scanner report">
        Riskboard computes the Risk Score from scanner reports. Upload a Nessus, Qualys or Trivy report to see your exposure.
      </EmptyState>
    );
  }

  return (
    <>
      <PageHeading title="Risk overview" />
      <div className="mb-6">
        <OrganizationRiskPanel db={db} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <WidgetTile id="risk-score" db={db} />
        <WidgetTile id="findings-by-severity" db={db} className="lg:col-span-2" />
        <Card className="lg:col-span-3">
          <h2 className="text-tremor-title font-medium text-tremor-content-strong">Riskiest assets</h2>
          {riskiest.length === 0 ? (
            <p className="mt-4 text-tremor-default">No asset has a Risk Score above 0.</p>
          ) : (
            <>
              <div className="mt-4 flex justify-between text-tremor-label font-medium uppercase tracking-wide text-tremor-content-subtle">
                <span>Asset</span>
                <span>Risk Score</span>
              </div>
              <BarList
                className="mt-2"
                data={riskiest.map((asset) => ({
                  key: String(asset.id),
                  name: asset.name,
                  value: Math.round(asset.riskScore),
                  href: `/assets/${asset.id}`,
                  target: '_self',
                  color: BAND_COLORS[riskBand(asset.riskScore)],
                }))}
              />
            </>
          )}
        </Card>
      </div>
    </>
  );
}
