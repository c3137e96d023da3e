'use client';

import { AreaChart } from '@tremor/react';
import type { TrendPoint } from '@/lib/scoring/snapshots';

interface RiskTrendChartProps {
  points: TrendPoint[];
  /** The version drawn first and named as the headline. */
  displayedVersion: 'v1' | 'v2';
  className?: string;
}

const LABELS = { v1: 'Risk Score v1 (mean)', v2: 'Risk Score v2' } as const;

/** Draws the daily Risk Score snapshots of the last 90 days, both versions. */
export function RiskTrendChart({ points, displayedVersion, className }: RiskTrendChartProps) {
  if (points.length === 0) {
    return <p className="text-tremor-default text-tremor-content-subtle">No snapshots yet. Each import and each recompute adds one for the day.</p>;
  }
  const other = displayedVersion === 'v1' ? 'v2' : 'v1';
  const data = points.map((point) => ({ day: point.day, [LABELS.v1]: Math.round(point.v1), [LABELS.v2]: Math.round(point.v2) }));
  return (
    <AreaChart
      className={className ?? 'h-48'}
      data={data}
      index="day"
      categories={[LABELS[displayedVersion], LABELS[other]]}
      colors={['indigo', 'slate']}
      minValue={0}
      maxValue={1000}
      yAxisWidth={40}
      showAnimation={false}
    />
  );
}
