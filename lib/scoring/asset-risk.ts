import { detectionScoreBand, type Band } from './bands';

/**
 * Weight of each Detection Score band in the v1 Asset Risk Score. With the default criticality of
 * 2, an asset with critical, high and medium findings lands in the high band (about 790), one with
 * only medium findings stays low, and a criticality of 3 or more pushes the first case to 1000.
 */
export const DEFAULT_BAND_WEIGHTS = { critical: 2.5, high: 1.5, medium: 0.6, low: 0.2 } as const satisfies Record<Band, number>;

/** Asset Criticality Score of an asset none of whose tags sets one. */
export const DEFAULT_CRITICALITY = 2;

export interface BandSummary {
  count: number;
  /** Sum of the Detection Scores in the band, so callers can aggregate in SQL. */
  scoreSum: number;
}

export interface AssetRiskInput {
  criticality: number;
  bands: Record<Band, BandSummary>;
}

/**
 * Computes the v1 Asset Risk Score (0–1000):
 * `min(1000, ACS × Σ_band w_band × avg(DS in band) × count(band)^0.01)`.
 * The tiny count exponent lets many findings of a band weigh a little more than one, without
 * letting volume outweigh severity.
 */
export function assetRiskScoreV1(input: AssetRiskInput, weights: Record<Band, number> = DEFAULT_BAND_WEIGHTS): number {
  let sum = 0;
  for (const band of Object.keys(weights) as Band[]) {
    const summary = input.bands[band];
    if (summary.count === 0) continue;
    sum += weights[band] * (summary.scoreSum / summary.count) * Math.pow(summary.count, 0.01);
  }
  return Math.min(1000, Math.round(input.criticality * sum * 10) / 10);
}

/** Groups Detection Scores into the band summaries the formula takes. */
export function summarizeBands(scores: number[]): Record<Band, BandSummary> {
  const bands: Record<Band, BandSummary> = {
    critical: { count: 0, scoreSum: 0 },
    high: { count: 0, scoreSum: 0 },
    medium: { count: 0, scoreSum: 0 },
    low: { count: 0, scoreSum: 0 },
  };
  for (const score of scores) {
    const summary = bands[detectionScoreBand(score)];
    summary.count++;
    summary.scoreSum += score;
  }
  return bands;
}
