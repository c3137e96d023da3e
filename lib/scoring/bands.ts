/** Bands of the Detection Score (1–100) and of the Risk Score (0–1000), as published to users. */
export const BANDS = ['critical', 'high', 'medium', 'low'] as const;
export type Band = (typeof BANDS)[number];

/** Lower bound of each Detection Score band; a score belongs to the first band it reaches. */
export const DETECTION_SCORE_BANDS = { critical: 90, high: 70, medium: 40, low: 1 } as const satisfies Record<Band, number>;

/** Lower bound of each Risk Score band. */
export const RISK_SCORE_BANDS = { critical: 850, high: 700, medium: 500, low: 0 } as const satisfies Record<Band, number>;

export function detectionScoreBand(score: number): Band {
  return bandOf(score, DETECTION_SCORE_BANDS);
}

export function riskBand(score: number): Band {
  return bandOf(score, RISK_SCORE_BANDS);
}

function bandOf(score: number, bounds: Record<Band, number>): Band {
  for (const band of BANDS) {
    if (score >= bounds[band]) return band;
  }
  return 'low';
}
