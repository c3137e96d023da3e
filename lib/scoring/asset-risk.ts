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

/** Inputs of the v2 Asset Risk Score. */
export interface AssetRiskV2Input {
  criticality: number;
  internetFacing: boolean;
  /** Highest Detection Score among the asset's open findings; 0 without findings. */
  maxDetectionScore: number;
  /** Open findings per Detection Score band. */
  counts: Record<Band, number>;
}

/** Settings of the v2 formula; lib/scoring/settings.ts stores the organization's values. */
export interface AssetRiskV2Settings {
  bandWeights: Record<Band, number>;
  maxMultipliers: { critical: number; high: number; other: number };
  externalMultiplier: number;
}

/** One term of an Asset Risk Score explanation. */
export interface RiskTerm {
  name: string;
  value: string;
  /** Points of the bracketed sum, before the criticality and external multipliers. */
  points: number;
}

export interface AssetRiskV2 {
  score: number;
  /** The bracketed sum before multipliers and cap. */
  base: number;
  criticality: number;
  external: number;
  capped: boolean;
  terms: RiskTerm[];
}

/**
 * Computes the v2 Asset Risk Score (0–1000), driven by the asset's worst finding:
 * `min(1000, ACS × External × [maxDS × g(maxDS) + Σ_band count(band) × W_band])`, where g
 * is 1.3 for a maximum in the critical band, 1.1 in the high band and 1.0 below (by default).
 */
export function assetRiskScoreV2(input: AssetRiskV2Input, settings: AssetRiskV2Settings): AssetRiskV2 {
  const band = input.maxDetectionScore > 0 ? detectionScoreBand(input.maxDetectionScore) : 'low';
  let multiplier = settings.maxMultipliers.other;
  if (band === 'critical') multiplier = settings.maxMultipliers.critical;
  if (band === 'high') multiplier = settings.maxMultipliers.high;
  const terms: RiskTerm[] = [];
  if (input.maxDetectionScore > 0) {
    terms.push({ name: 'Highest Detection Score × g', value: `${input.maxDetectionScore} × ${multiplier}`, points: input.maxDetectionScore * multiplier });
  }
  for (const name of ['critical', 'high', 'medium', 'low'] as const) {
    const count = input.counts[name];
    if (count > 0) terms.push({ name: `${name} findings × W`, value: `${count} × ${settings.bandWeights[name]}`, points: count * settings.bandWeights[name] });
  }

  const base = terms.reduce((sum, term) => sum + term.points, 0);
  const external = input.internetFacing ? settings.externalMultiplier : 1;
  const raw = input.criticality * external * base;
  const score = Math.min(1000, Math.round(raw * 10) / 10);
  return { score, base, criticality: input.criticality, external, capped: raw > 1000, terms };
}
