import type { Severity } from '../ingest/model';

/** What the Detection Score of one finding is computed from. */
export interface DetectionScoreInput {
  type: 'vulnerability' | 'misconfiguration';
  severity: Severity;
  /** Highest CVSS base score available, v4 over v3 over v2 (0–10). */
  cvssBaseScore?: number;
  /** Listed in the CISA Known Exploited Vulnerabilities catalog. */
  isKev?: boolean;
  /** EPSS probability of exploitation in the next 30 days (0–1). */
  epssScore?: number;
}

/** One line of a score's explanation: what contributed and how many points. */
export interface ScoreFactor {
  name: string;
  value: string;
  points: number;
}

export interface DetectionScore {
  score: number;
  factors: ScoreFactor[];
}

/** Detection Score of a finding with no CVSS score, by its severity on the 1–5 scale. */
export const SEVERITY_SCORES = { 1: 1, 2: 25, 3: 55, 4: 80, 5: 95 } as const satisfies Record<Severity, number>;

/** A finding in the CISA KEV catalog is exploited in the wild, so it scores at least this. */
export const KEV_FLOOR = 90;

/**
 * Computes the Detection Score (1–100) of a finding, first version: ten times the CVSS base score
 * when the report gives one, else a fixed score per severity; a KEV-listed vulnerability scores
 * at least 90; a high EPSS probability adds up to 10 points. The result is clamped to 1–100 and
 * every step is listed in `factors`.
 *
 * TODO: exploit maturity, threat actors and trend are not yet inputs; the weighted formula that
 * lets exploitation facts dominate replaces this once the enrichment feeds fill the catalog.
 */
export function computeDetectionScore(input: DetectionScoreInput): DetectionScore {
  const factors: ScoreFactor[] = [];
  let score: number;

  if (input.type === 'vulnerability' && input.cvssBaseScore !== undefined && input.cvssBaseScore > 0) {
    score = input.cvssBaseScore * 10;
    factors.push({ name: 'CVSS base score', value: input.cvssBaseScore.toFixed(1), points: score });
  } else {
    score = SEVERITY_SCORES[input.severity];
    factors.push({ name: 'Severity', value: String(input.severity), points: score });
  }

  if (input.epssScore !== undefined && input.epssScore > 0) {
    const points = Math.round(input.epssScore * 10);
    score += points;
    factors.push({ name: 'EPSS', value: input.epssScore.toFixed(3), points });
  }

  if (input.isKev && score < KEV_FLOOR) {
    factors.push({ name: 'CISA KEV', value: 'listed', points: KEV_FLOOR - score });
    score = KEV_FLOOR;
  }

  return { score: Math.max(1, Math.min(100, Math.round(score))), factors };
}
