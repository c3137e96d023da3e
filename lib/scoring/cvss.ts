import * as cvssModule from 'ae-cvss-calculator';

/**
 * The library ships one webpack bundle in CommonJS form, so Node's ESM loader exposes its exports
 * under `default` while bundlers expose them as named exports. Both shapes are accepted here.
 */
const cvssLibrary: typeof cvssModule = 'fromVector' in cvssModule && typeof cvssModule.fromVector === 'function'
  ? cvssModule
  : (cvssModule as unknown as { default: typeof cvssModule }).default;

/** Exploit maturity on one scale for every source, from weakest to strongest evidence. */
export const EXPLOIT_MATURITIES = ['unproven', 'proof_of_concept', 'functional', 'high'] as const;
export type ExploitMaturity = (typeof EXPLOIT_MATURITIES)[number];

export interface ParsedCvss {
  /** `CVSS:2.0`, `CVSS:3.0`, `CVSS:3.1` or `CVSS:4.0`. */
  version: string;
  /** Base score (0–10) computed from the vector's base metrics only. */
  baseScore: number;
  /** The temporal or threat Exploit Maturity (E) metric, when the vector defines it. */
  exploitMaturity?: ExploitMaturity;
}

/**
 * Maps each version's E metric values to one scale. CVSS v2 writes U/POC/F/H, v3 writes U/P/F/H,
 * and v4 writes U/P/A, where A (Attacked) means attacks are reported and so ranks as `high`.
 */
const EXPLOIT_MATURITY_BY_E_VALUE: Record<string, ExploitMaturity> = {
  U: 'unproven',
  POC: 'proof_of_concept',
  P: 'proof_of_concept',
  F: 'functional',
  H: 'high',
  A: 'high',
};

/**
 * Parses a CVSS v2, v3.0, v3.1 or v4.0 vector with ae-cvss-calculator and computes its base score.
 * Accepts the `CVSS2#` prefix Nessus writes. Returns undefined for a vector the library rejects.
 */
export function parseCvssVector(vector: string): ParsedCvss | undefined {
  const text = vector.trim().replace(/^CVSS2#/i, '').replace(/^\(|\)$/g, '');
  if (text === '') return undefined;

  let parsed: ReturnType<typeof cvssLibrary.fromVector>;
  try {
    parsed = cvssLibrary.fromVector(text);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;

  const version = String(parsed.getVectorName());
  const scores = parsed.calculateScores() as { base?: number; baseMetricsOnly?: number };
  // CVSS v4 folds the threat metrics into `base`; `baseMetricsOnly` is the score of the base metrics alone.
  const baseScore = version === 'CVSS:4.0' ? (scores.baseMetricsOnly ?? scores.base) : scores.base;
  if (baseScore === undefined || !Number.isFinite(baseScore)) return undefined;

  const result: ParsedCvss = { version, baseScore };
  const eValue = (parsed.getComponentByStringOpt?.('E') as { shortName?: string } | undefined)?.shortName;
  const maturity = eValue ? EXPLOIT_MATURITY_BY_E_VALUE[eValue] : undefined;
  if (maturity) result.exploitMaturity = maturity;
  return result;
}
