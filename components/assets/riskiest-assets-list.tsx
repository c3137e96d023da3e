import Link from 'next/link';
import { BAND_BAR_CLASSES, BAND_LABELS } from '@/components/ui/colors';
import type { RiskyAsset } from '@/lib/assets/list-assets';
import { riskBand } from '@/lib/scoring/bands';

const MAX_RISK_SCORE = 1000;

/**
 * Lists assets as bars of their Risk Score on the 0–1000 scale. The whole row opens the asset,
 * while the link's own text stays the asset's name, so it reads well in a screen reader's list
 * of links.
 */
export function RiskiestAssetsList({ assets }: { assets: RiskyAsset[] }) {
  return (
    <ol className="space-y-1 text-tremor-default">
      {assets.map((asset) => {
        const band = riskBand(asset.riskScore);
        const score = Math.round(asset.riskScore);
        return (
          <li
            key={asset.id}
            className="relative grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-4 rounded-tremor-small px-2 py-1.5 hover:bg-tremor-background-muted sm:grid-cols-[minmax(0,16rem)_minmax(0,1fr)_auto] lg:grid-cols-[minmax(0,26rem)_minmax(0,1fr)_auto]"
          >
            <div className="min-w-0">
              <Link
                href={`/assets/${asset.id}`}
                title={asset.name}
                className="block truncate font-medium text-tremor-content-strong after:absolute after:inset-0 after:content-[''] hover:text-tremor-brand"
              >
                {asset.name}
              </Link>
              <span className="block text-tremor-label text-tremor-content-subtle">
                {asset.openFindings} open {asset.openFindings === 1 ? 'finding' : 'findings'}
              </span>
            </div>
            <span className="hidden h-2 overflow-hidden rounded-tremor-full bg-tremor-background-subtle sm:block" aria-hidden="true">
              <span className={`block h-full rounded-tremor-full ${BAND_BAR_CLASSES[band]}`} style={{ width: `${(score / MAX_RISK_SCORE) * 100}%` }} />
            </span>
            <span className="w-20 text-right" title={`Risk Score ${score} of ${MAX_RISK_SCORE}, ${BAND_LABELS[band].toLowerCase()} band`}>
              <span className="font-semibold tabular-nums text-tremor-content-strong">{score}</span>
              <span className="block text-tremor-label text-tremor-content-subtle">{BAND_LABELS[band]}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
