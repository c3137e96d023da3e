'use client';

import { ProgressBar } from '@tremor/react';
import { BandBadge } from '@/components/ui/badges';
import { BAND_COLORS } from '@/components/ui/colors';
import type { WidgetViewProps } from '@/widgets/types';
import type { RiskScoreData } from './data';
import type { RiskScoreOptions } from './definition';

const MAX_RISK_SCORE = 1000;

export default function RiskScoreView({ data, options }: WidgetViewProps<RiskScoreOptions, RiskScoreData>) {
  return (
    <div>
      <p className="flex items-baseline gap-3">
        <span className="text-5xl font-semibold tabular-nums text-tremor-content-strong" data-testid="risk-score-value">
          {data.score}
        </span>
        <span className="text-tremor-default text-tremor-content-subtle">/ {MAX_RISK_SCORE}</span>
        <BandBadge band={data.band} />
      </p>
      <ProgressBar value={(data.score / MAX_RISK_SCORE) * 100} color={BAND_COLORS[data.band]} className="mt-4" showAnimation={false} />
      {options.showAssetCount ? (
        <p className="mt-3 text-tremor-default">
          Across {data.assetCount} {data.assetCount === 1 ? 'asset' : 'assets'}
        </p>
      ) : null}
    </div>
  );
}
