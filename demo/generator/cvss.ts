// CVSS base-score formulas, used to check that every vector written into the demo reports matches
// the score written beside it. Formulas: FIRST CVSS v3.1 specification section 7.1 (also used for
// 3.0 vectors, whose base formula is the same apart from rounding) and CVSS v2 guide section 3.2.1.

const V3_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

const V3_PRIVILEGES = {
  unchanged: { N: 0.85, L: 0.62, H: 0.27 } as Record<string, number>,
  changed: { N: 0.85, L: 0.68, H: 0.5 } as Record<string, number>,
};

/** Parses `KEY:VALUE/KEY:VALUE…` after an optional prefix such as `CVSS:3.1/` or `CVSS2#`. */
function parseMetrics(vector: string, prefix: RegExp): Map<string, string> {
  const body = vector.replace(prefix, '');
  const metrics = new Map<string, string>();
  for (const part of body.split('/')) {
    const [key, value] = part.split(':');
    if (!key || !value) throw new Error(`invalid CVSS vector ${vector}: part "${part}" is not KEY:VALUE`);
    metrics.set(key, value);
  }
  return metrics;
}

function weight(table: Record<string, number> | undefined, value: string | undefined, vector: string, key: string): number {
  const found = value === undefined || table === undefined ? undefined : table[value];
  if (found === undefined) throw new Error(`invalid CVSS vector ${vector}: missing or unknown ${key}`);
  return found;
}

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  if (scaled % 10000 === 0) return scaled / 100000;
  return (Math.floor(scaled / 10000) + 1) / 10;
}

/** Computes the base score of a `CVSS:3.0/…` or `CVSS:3.1/…` vector. */
export function cvss3BaseScore(vector: string): number {
  if (!/^CVSS:3\.[01]\//.test(vector)) throw new Error(`invalid CVSS v3 vector ${vector}: expected the CVSS:3.0/ or CVSS:3.1/ prefix`);
  const metrics = parseMetrics(vector, /^CVSS:3\.[01]\//);
  const scope = metrics.get('S');
  if (scope !== 'U' && scope !== 'C') throw new Error(`invalid CVSS vector ${vector}: missing or unknown S`);
  const scopeChanged = scope === 'C';

  const metric = (key: string): number => weight(V3_WEIGHTS[key], metrics.get(key), vector, key);
  const privileges = weight(scopeChanged ? V3_PRIVILEGES.changed : V3_PRIVILEGES.unchanged, metrics.get('PR'), vector, 'PR');

  const impactSubScore = 1 - (1 - metric('C')) * (1 - metric('I')) * (1 - metric('A'));
  const impact = scopeChanged ? 7.52 * (impactSubScore - 0.029) - 3.25 * Math.pow(impactSubScore - 0.02, 15) : 6.42 * impactSubScore;
  const exploitability = 8.22 * metric('AV') * metric('AC') * privileges * metric('UI');

  if (impact <= 0) return 0;
  if (scopeChanged) return roundUp(Math.min(1.08 * (impact + exploitability), 10));
  return roundUp(Math.min(impact + exploitability, 10));
}

const V2_WEIGHTS: Record<string, Record<string, number>> = {
  AV: { L: 0.395, A: 0.646, N: 1 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
};

/** Computes the base score of a CVSS v2 vector, with or without Nessus's `CVSS2#` prefix. */
export function cvss2BaseScore(vector: string): number {
  const metrics = parseMetrics(vector, /^CVSS2#/);
  const metric = (key: string): number => weight(V2_WEIGHTS[key], metrics.get(key), vector, key);

  const impact = 10.41 * (1 - (1 - metric('C')) * (1 - metric('I')) * (1 - metric('A')));
  const exploitability = 20 * metric('AV') * metric('AC') * metric('Au');
  const impactFactor = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * impactFactor * 10) / 10;
}

/** Nessus severity 0–4 (info, low, medium, high, critical) for a CVSS base score. */
export function nessusSeverity(score: number | undefined): 0 | 1 | 2 | 3 | 4 {
  if (score === undefined || score === 0) return 0;
  if (score < 4) return 1;
  if (score < 7) return 2;
  if (score < 9) return 3;
  return 4;
}

export const NESSUS_RISK_FACTORS = ['None', 'Low', 'Medium', 'High', 'Critical'] as const;
