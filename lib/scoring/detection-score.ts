import type { Severity } from '../ingest/model';
import { parseCvssVector, type ExploitMaturity } from './cvss';
import type { LifecycleStatus } from './lifecycle-match';

/**
 * Inputs of the Detection Score of one finding. Only `type` and `severity` are required. Every
 * other fact is optional and scores as docs/scoring.md documents when absent.
 */
export interface DetectionScoreInput {
  type: 'vulnerability' | 'misconfiguration';
  severity: Severity;
  /** CVSS base score (0–10) the report or catalog states, used when no vector parses. */
  cvssBaseScore?: number;
  /** CVSS v2, v3.0, v3.1 or v4.0 vectors; the newest version that parses sets the base score. */
  cvssVectors?: readonly (string | null | undefined)[];
  /** Listed in the CISA Known Exploited Vulnerabilities catalog. */
  isKev?: boolean;
  /** Known to be used in ransomware campaigns. */
  usedByRansomware?: boolean;
  /** Known to be used by malware. */
  usedByMalware?: boolean;
  /** Named threat actors known to exploit the vulnerability. */
  threatActors?: readonly string[];
  /** EPSS probability of exploitation in the next 30 days (0–1). */
  epssScore?: number;
  /** Exploit maturity a scanner reports, such as Nessus `exploit_available`. */
  exploitMaturity?: ExploitMaturity;
  /** EPSS trend (0–1): 0.5 when the EPSS score did not change over 30 days, higher when it rose. */
  trend?: number;
  /** The affected technology is past its end of life; `lifecycle`, when given, takes precedence. */
  endOfLife?: boolean;
  /** The release cycle the finding's technology matched, from endoflife.date data. */
  lifecycle?: LifecycleStatus;
}

/** One line of a score's explanation: what contributed and how many points it added. */
export interface ScoreFactor {
  name: string;
  value: string;
  contribution: number;
}

export interface DetectionScore {
  score: number;
  factors: ScoreFactor[];
}

/**
 * CVSS base score standing in for a vulnerability without one, by its severity on the 1–5 scale:
 * the middle of each CVSS v3 qualitative range (informational 0, low 0.1–3.9, medium 4.0–6.9,
 * high 7.0–8.9, critical 9.0–10.0).
 */
export const SEVERITY_CVSS = { 1: 0, 2: 2, 3: 5.5, 4: 8, 5: 9.5 } as const satisfies Record<Severity, number>;

/** Base Detection Score of a misconfiguration by its severity. */
export const MISCONFIGURATION_SCORES = { 1: 5, 2: 25, 3: 50, 4: 75, 5: 90 } as const satisfies Record<Severity, number>;

/** Share of the gap to 100 that an end-of-life technology adds to a misconfiguration's score. */
export const END_OF_LIFE_SHARE = 0.5;

/** Share of the gap to 100 added when the technology reaches its end of life within 90 days. */
export const END_OF_LIFE_SOON_SHARE = 0.2;

/** Exploit maturity as a 0–1 value; `unknown` sits between unproven and proof of concept. */
export const EXPLOIT_MATURITY_VALUES = { unknown: 0.3, unproven: 0.2, proof_of_concept: 0.5, functional: 0.8, high: 1 } as const;

/** Weights of the secondary factors; a missing trend passes its weight to the others. */
export const SECONDARY_WEIGHTS = { exploitMaturity: 0.5, epss: 0.35, trend: 0.15 } as const;

/** Share of the score the CVSS base score carries when no threat fact is known. */
export const CVSS_SHARE = 2 / 3;

/** Share of the score the threat facts carry when at least one is known. */
export const THREAT_SHARE = 0.9;

/**
 * Strength of each threat fact (0–1). The facts combine as independent evidence,
 * `1 − Π(1 − strength)`, so every added fact raises the result and none reaches 1 alone.
 */
export const THREAT_STRENGTHS = { kev: 0.8, ransomware: 0.7, malware: 0.5, threatActor: 0.4 } as const;

/** Threat actors counted separately; more add nothing, so a long list cannot crowd out the rest. */
const MAX_THREAT_ACTORS = 3;

/** Any threat fact sets the threat term at least this high (0–1), which keeps such findings critical. */
const THREAT_FLOOR = 0.9;

/**
 * Computes the Detection Score (1–100) of a finding with its factors, as docs/scoring.md defines:
 *
 * - vulnerability with a threat fact (KEV, ransomware, malware, threat actor):
 *   `100 × (0.9 × (0.9 + 0.1 × H) + 0.1 × S)`
 * - vulnerability without one: `100 × (2/3 × CVSS/10 + 1/3 × S)`
 * - misconfiguration: a score per severity, raised halfway to 100 when the technology is end of life
 *
 * where H combines the threat facts and S is the weighted mean of exploit maturity, scaled EPSS and
 * trend. The factors' contributions add up to the unrounded score.
 */
export function computeDetectionScore(input: DetectionScoreInput): DetectionScore {
  const factors = input.type === 'misconfiguration' ? misconfigurationFactors(input) : vulnerabilityFactors(input);
  const total = factors.reduce((sum, factor) => sum + factor.contribution, 0);
  return { score: Math.max(1, Math.min(100, Math.round(total))), factors };
}

function misconfigurationFactors(input: DetectionScoreInput): ScoreFactor[] {
  const base = MISCONFIGURATION_SCORES[input.severity];
  const factors: ScoreFactor[] = [{ name: 'Severity', value: String(input.severity), contribution: base }];
  const lifecycle = input.lifecycle;
  if (lifecycle?.endOfLife || (!lifecycle && input.endOfLife)) {
    factors.push({ name: 'End of life', value: lifecycle ? describeLifecycle(lifecycle) : 'yes', contribution: (100 - base) * END_OF_LIFE_SHARE });
  } else if (lifecycle?.eolSoon) {
    factors.push({ name: 'End of life within 90 days', value: describeLifecycle(lifecycle), contribution: (100 - base) * END_OF_LIFE_SOON_SHARE });
  }
  return factors;
}

/** Describes a matched cycle, e.g. `nginx 1.24, 120 days past its end of life (2024-04-23)`. */
function describeLifecycle(lifecycle: LifecycleStatus): string {
  const name = `${lifecycle.label} ${lifecycle.cycle}`;
  if (lifecycle.daysPastEol === undefined) return `${name}, end of life (no date)`;
  if (lifecycle.daysPastEol >= 0) return `${name}, ${lifecycle.daysPastEol} days past its end of life (${lifecycle.eolDate})`;
  return `${name}, end of life in ${-lifecycle.daysPastEol} days (${lifecycle.eolDate})`;
}

function vulnerabilityFactors(input: DetectionScoreInput): ScoreFactor[] {
  const cvss = chooseCvss(input);
  const threat = threatStrength(input);
  const hasThreat = threat.parts.length > 0;

  // A threat fact is itself evidence of exploitation, so exploit maturity is at least `high`.
  const maturity = strongestMaturity([input.exploitMaturity, cvss.exploitMaturity, hasThreat ? 'high' : undefined]);
  const maturityValue = maturity ? EXPLOIT_MATURITY_VALUES[maturity] : EXPLOIT_MATURITY_VALUES.unknown;
  const epssValue = input.epssScore === undefined ? 0 : scaleEpss(input.epssScore);
  const weights = secondaryWeights(input.trend !== undefined);
  const secondaryShare = hasThreat ? 1 - THREAT_SHARE : 1 - CVSS_SHARE;

  const factors: ScoreFactor[] = [];
  if (hasThreat) {
    const term = THREAT_FLOOR + (1 - THREAT_FLOOR) * threat.strength;
    factors.push({ name: 'Threat facts', value: threat.parts.join(', '), contribution: 100 * THREAT_SHARE * term });
    factors.push({ name: 'CVSS base score', value: cvss.label, contribution: 0 });
  } else {
    factors.push({ name: 'CVSS base score', value: cvss.label, contribution: 100 * CVSS_SHARE * (cvss.score / 10) });
  }

  factors.push({
    name: 'Exploit maturity',
    value: maturity ? maturity.replaceAll('_', ' ') : 'unknown',
    contribution: 100 * secondaryShare * weights.exploitMaturity * maturityValue,
  });
  factors.push({
    name: 'EPSS',
    value: input.epssScore === undefined ? 'unknown' : input.epssScore.toFixed(4),
    contribution: 100 * secondaryShare * weights.epss * epssValue,
  });
  factors.push({
    name: 'Trend',
    value: input.trend === undefined ? 'no data' : describeTrend(input.trend),
    contribution: 100 * secondaryShare * weights.trend * clamp01(input.trend ?? 0),
  });
  return factors;
}

/** Describes an EPSS trend value, e.g. `0.65 (EPSS rising over 30 days)`. */
function describeTrend(trend: number): string {
  let direction = 'unchanged';
  if (trend > 0.5) direction = 'rising';
  if (trend < 0.5) direction = 'falling';
  return `${trend.toFixed(2)} (EPSS ${direction} over 30 days)`;
}

interface ChosenCvss {
  score: number;
  label: string;
  exploitMaturity?: ExploitMaturity;
}

/**
 * Picks the CVSS base score: the newest vector that parses wins, and its computed score wins over
 * a stated number that disagrees, because a stated score is often rounded or copied from another
 * version. Without either, the severity stands in.
 */
function chooseCvss(input: DetectionScoreInput): ChosenCvss {
  const parsed = (input.cvssVectors ?? [])
    .flatMap((vector) => (vector ? [parseCvssVector(vector)] : []))
    .filter((entry) => entry !== undefined)
    .sort((a, b) => b.version.localeCompare(a.version));
  const best = parsed[0];
  const maturity = strongestMaturity(parsed.map((entry) => entry.exploitMaturity));

  if (best) {
    const stated = input.cvssBaseScore;
    const note = stated !== undefined && Math.abs(stated - best.baseScore) > 0.05 ? ` (report states ${stated.toFixed(1)})` : '';
    return withMaturity({ score: best.baseScore, label: `${best.baseScore.toFixed(1)} from ${best.version}${note}` }, maturity);
  }
  if (input.cvssBaseScore !== undefined && input.cvssBaseScore > 0) {
    const score = Math.min(10, input.cvssBaseScore);
    return withMaturity({ score, label: `${score.toFixed(1)} as reported` }, maturity);
  }
  const score = SEVERITY_CVSS[input.severity];
  return withMaturity({ score, label: `${score.toFixed(1)} from severity ${input.severity} (no CVSS)` }, maturity);
}

function withMaturity(cvss: ChosenCvss, maturity: ExploitMaturity | undefined): ChosenCvss {
  if (maturity) cvss.exploitMaturity = maturity;
  return cvss;
}

function threatStrength(input: DetectionScoreInput): { strength: number; parts: string[] } {
  const parts: string[] = [];
  let remaining = 1;
  const add = (strength: number, label: string): void => {
    remaining *= 1 - strength;
    parts.push(label);
  };

  if (input.isKev) add(THREAT_STRENGTHS.kev, 'CISA KEV');
  if (input.usedByRansomware) add(THREAT_STRENGTHS.ransomware, 'ransomware');
  if (input.usedByMalware) add(THREAT_STRENGTHS.malware, 'malware');
  const actors = [...new Set(input.threatActors ?? [])];
  for (const actor of actors.slice(0, MAX_THREAT_ACTORS)) add(THREAT_STRENGTHS.threatActor, `threat actor ${actor}`);
  return { strength: 1 - remaining, parts };
}

function secondaryWeights(hasTrend: boolean): { exploitMaturity: number; epss: number; trend: number } {
  if (hasTrend) return SECONDARY_WEIGHTS;
  const known = SECONDARY_WEIGHTS.exploitMaturity + SECONDARY_WEIGHTS.epss;
  return { exploitMaturity: SECONDARY_WEIGHTS.exploitMaturity / known, epss: SECONDARY_WEIGHTS.epss / known, trend: 0 };
}

/**
 * Scales an EPSS probability logarithmically to 0–1: 0.0001 or less is 0, 0.01 is 0.5 and 1 is 1.
 * EPSS probabilities are heavily skewed toward zero, so a linear scale would leave nearly every
 * CVE at the bottom.
 */
export function scaleEpss(probability: number): number {
  if (!(probability > 0)) return 0;
  return clamp01((Math.log10(Math.min(1, probability)) + 4) / 4);
}

function strongestMaturity(values: readonly (ExploitMaturity | undefined)[]): ExploitMaturity | undefined {
  let best: ExploitMaturity | undefined;
  for (const value of values) {
    if (value && (!best || EXPLOIT_MATURITY_VALUES[value] > EXPLOIT_MATURITY_VALUES[best])) best = value;
  }
  return best;
}

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, value));
}

/**
 * Reads exploit maturity and malware use from a scanner's raw attributes: Nessus
 * `exploitability_ease`, `exploit_available` and `exploited_by_malware`, and the E metric of a
 * CVSS temporal vector (`cvss_temporal_vector`, `cvss3_temporal_vector`).
 */
export function exploitFactsFromRaw(raw: Record<string, unknown>): { exploitMaturity?: ExploitMaturity; usedByMalware?: boolean } {
  const text = (key: string): string | undefined => (typeof raw[key] === 'string' ? (raw[key] as string).trim() : undefined);
  const result: { exploitMaturity?: ExploitMaturity; usedByMalware?: boolean } = {};

  const ease = text('exploitability_ease')?.toLowerCase();
  if (ease === 'no exploit is required') result.exploitMaturity = 'high';
  else if (ease === 'exploits are available' || text('exploit_available')?.toLowerCase() === 'true') result.exploitMaturity = 'functional';
  else if (ease === 'no known exploits are available') result.exploitMaturity = 'unproven';

  if (text('exploited_by_malware')?.toLowerCase() === 'true') result.usedByMalware = true;

  // Temporal vectors hold only the temporal metrics, e.g. `CVSS#E:F/RL:OF/RC:C`.
  for (const key of ['cvss_temporal_vector', 'cvss3_temporal_vector']) {
    const match = /(?:^|\/|#)E:([A-Z]+)/.exec(text(key) ?? '');
    const maturity = match?.[1] ? EXPLOIT_MATURITY_FROM_TEMPORAL[match[1]] : undefined;
    if (maturity && (!result.exploitMaturity || EXPLOIT_MATURITY_VALUES[maturity] > EXPLOIT_MATURITY_VALUES[result.exploitMaturity])) {
      result.exploitMaturity = maturity;
    }
  }
  return result;
}

const EXPLOIT_MATURITY_FROM_TEMPORAL: Record<string, ExploitMaturity> = {
  U: 'unproven',
  POC: 'proof_of_concept',
  P: 'proof_of_concept',
  F: 'functional',
  H: 'high',
};
