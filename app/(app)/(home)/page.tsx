import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { OrganizationRiskPanel } from '@/components/scoring/organization-risk-panel';
import Link from 'next/link';
import { RiskiestAssetsList } from '@/components/assets/riskiest-assets-list';
import { ExpiringAcceptancesNotice } from '@/components/risk-acceptance/expiring-notice';
import { EmptyState, PageHeading } from '@/components/ui/states';
import { countAssets, riskiestAssets } from '@/lib/assets/list-assets';
import { requireSession } from '@/lib/auth/session';
import { WidgetTile } from '@/widgets/widget-tile';

export const metadata: Metadata = { title: 'Home' };

const RISKIEST_ASSET_COUNT = 10;

export default async function HomePage() {
  const { db } = await requireSession();
  const [assetCount, riskiest] = await Promise.all([countAssets(db), riskiestAssets(db, RISKIEST_ASSET_COUNT)]);

  if (assetCount === 0) {
    return (
      <>
        <PageHeading title="Risk overview" />
        <EmptyState title="No data yet" actionHref="/imports" actionLabel="Upload a scanner report">
          Riskboard computes the Risk Score from scanner reports. Upload a Nessus, Qualys or Trivy report to see your exposure.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeading title="Risk overview" />
      <ExpiringAcceptancesNotice db={db} />
      <div className="mb-6">
        <OrganizationRiskPanel db={db} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <WidgetTile id="risk-score" db={db} />
        <WidgetTile id="findings-by-severity" db={db} className="lg:col-span-2" />
        <Card className="lg:col-span-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-tremor-title font-medium text-tremor-content-strong">Riskiest assets</h2>
            <Link href="/assets" className="text-tremor-default text-tremor-brand hover:underline">
              All {assetCount} assets
            </Link>
          </div>
          {riskiest.length === 0 ? (
            <p className="mt-4 text-tremor-default text-tremor-content-subtle">No asset has a Risk Score above 0.</p>
          ) : (
            <>
              <div className="mt-4 flex justify-between px-2 text-tremor-label font-medium uppercase tracking-wide text-tremor-content-subtle">
                <span>Asset</span>
                <span>Risk Score</span>
              </div>
              <div className="mt-2">
                <RiskiestAssetsList assets={riskiest} />
              </div>
            </>
          )}
        </Card>
      </div>
    </>
  );
}
