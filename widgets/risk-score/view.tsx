'use client';

import { BandBadge } from '@/components/ui/badges';
import { BAND_LABELS } from '@/components/ui/colors';
import { BANDS, RISK_SCORE_BANDS, type Band } from '@/lib/scoring/bands';
import type { WidgetViewProps } from '@/widgets/types';
import type { RiskScoreData } from './data';
import type { RiskScoreOptions } from './definition';

const MAX_RISK_SCORE = 1000;

/** Segment colors of the band scale: pale for the other bands, full for the score's own band. */
const SEGMENT_CLASSES = {
  critical: { other: 'bg-red-100', current: 'bg-red-500' },
  high: { other: 'bg-orange-100', current: 'bg-orange-500' },
  medium: { other: 'bg-amber-100', current: 'bg-amber-400' },
  low: { other: 'bg-emerald-100', current: 'bg-emerald-500' },
} as const satisfies Record<Band, { other: string; current: string }>;

/** Lists each band's Risk Scores, from its RISK_SCORE_BANDS bound up to the next band's, lowest band first. */
function bandRanges(): { band: Band; from: number; to: number }[] {
  return BANDS.map((band, index) => {
    const higher = index > 0 ? BANDS[index - 1] : undefined;
    return { band, from: RISK_SCORE_BANDS[band], to: higher ? RISK_SCORE_BANDS[higher] : MAX_RISK_SCORE };
  }).reverse();
}

/** Keeps the first and last tick labels inside the scale and centers the others on their tick. */
function tickAlignment(mark: number): string {
  if (mark === 0) return '';
  if (mark === MAX_RISK_SCORE) return '-translate-x-full';
  return '-translate-x-1/2';
}

/**
 * Draws the 0–1000 scale split into its bands, with the score's band in full color and a marker
 * at the score, so a reader sees how far the score is from the next band.
 */
function BandScale({ score, band }: { score: number; band: Band }) {
  const ranges = bandRanges();
  const position = Math.min(100, Math.max(0, (score / MAX_RISK_SCORE) * 100));
  return (
    <div className="mt-5" aria-hidden="true">
      <div className="relative">
        <div className="flex h-2.5 gap-0.5 overflow-hidden rounded-tremor-full">
          {ranges.map((range) => (
            <span
              key={range.band}
              className={range.band === band ? SEGMENT_CLASSES[range.band].current : SEGMENT_CLASSES[range.band].other}
              style={{ width: `${((range.to - range.from) / MAX_RISK_SCORE) * 100}%` }}
            />
          ))}
        </div>
        <span className="absolute -top-1 h-[1.125rem] w-1 -translate-x-1/2 rounded-tremor-full bg-tremor-content-strong ring-2 ring-white" style={{ left: `${position}%` }} />
      </div>
      <div className="relative mt-1 h-4 text-tremor-label tabular-nums text-tremor-content-subtle">
        {[0, ...ranges.map((range) => range.to)].map((mark) => (
          <span key={mark} className={`absolute ${tickAlignment(mark)}`} style={{ left: `${(mark / MAX_RISK_SCORE) * 100}%` }}>
            {mark}
          </span>
        ))}
      </div>
      <ul className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-tremor-label">
        {[...ranges].reverse().map((range) => (
          <li key={range.band} className={`flex items-center gap-2 ${range.band === band ? 'font-semibold text-tremor-content-strong' : 'text-tremor-content'}`}>
            <span className={`h-2 w-2 rounded-tremor-full ${SEGMENT_CLASSES[range.band].current}`} />
            {BAND_LABELS[range.band]} {range.from}–{range.to === MAX_RISK_SCORE ? MAX_RISK_SCORE : range.to - 1}
          </li>
        ))}
      </ul>
    </div>
  );
}

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
      <BandScale score={data.score} band={data.band} />
      <p className="sr-only">
        {BAND_LABELS[data.band]} band of the Risk Score scale from 0 to {MAX_RISK_SCORE}.
      </p>
      {options.showAssetCount ? (
        <p className="mt-4 text-tremor-default">
          Across {data.assetCount} {data.assetCount === 1 ? 'asset' : 'assets'}
        </p>
      ) : null}
    </div>
  );
}
