// Severity and CVSS of a SARIF result. SARIF itself has only `level` (error, warning, note,
// none); security tools add a score in `properties`. The product's 1–5 severity is taken from
// the first of these that is present:
//
// 1. `security-severity` of the result's, then the rule's properties: a CVSS-like score from
//    0 to 10, read with the CVSS v3 rating bands (GitHub code scanning reads it the same way);
// 2. a CVSS base score in the result's properties, as OWASP dependency-check writes them
//    (`cvssv3_baseScore`, else `cvssv2_score`), with the same bands;
// 3. a severity name in the result's, then the rule's properties (`severity: "medium"`), as
//    dependency-check writes for advisories without a CVSS score;
// 4. the level: error is high, warning medium, note low, none informational. A result without a
//    level takes its rule's `defaultConfiguration.level`, else warning, as SARIF 2.1.0 defines.

import { parseCvssScore, quote, severityFromCvss } from '../field-values';
import type { Severity } from '../model';
import { ReportError } from '../report-error';
import type { CvssScores } from './json-fields';

export const LEVEL_SEVERITIES: Record<string, Severity> = { error: 4, warning: 3, note: 2, none: 1 };

/** Severity names tools write in properties; `moderate` is npm's and RetireJS's medium. */
const NAMED_SEVERITIES: Record<string, Severity> = { info: 1, informational: 1, low: 2, medium: 3, moderate: 3, high: 4, critical: 5 };

interface SeverityInputs {
  level: string;
  resultSecuritySeverity: unknown;
  ruleSecuritySeverity: unknown;
  resultSeverityName: unknown;
  ruleSeverityName: unknown;
  scores: CvssScores;
  field: string;
}

/** Returns the result's severity by the order above, and which input decided it, for raw. */
export function sarifSeverity(inputs: SeverityInputs): { severity: Severity; basis: string } {
  for (const [basis, value] of [
    ['result security-severity', inputs.resultSecuritySeverity],
    ['rule security-severity', inputs.ruleSecuritySeverity],
  ] as const) {
    const score = securitySeverityScore(value, `${inputs.field}.properties["security-severity"]`);
    if (score !== undefined) return { severity: severityFromCvss(score), basis };
  }

  const cvss = inputs.scores.cvss3BaseScore ?? inputs.scores.cvss2BaseScore;
  if (cvss !== undefined) return { severity: severityFromCvss(cvss), basis: 'CVSS base score' };

  for (const [basis, value] of [
    ['result severity', inputs.resultSeverityName],
    ['rule severity', inputs.ruleSeverityName],
  ] as const) {
    const severity = typeof value === 'string' ? NAMED_SEVERITIES[value.trim().toLowerCase()] : undefined;
    if (severity) return { severity, basis };
  }

  const severity = LEVEL_SEVERITIES[inputs.level];
  if (!severity) {
    throw new ReportError('invalid_field', `invalid SARIF level ${quote(inputs.level)} in ${inputs.field}; expected error, warning, note or none`, {
      field: `${inputs.field}.level`,
    });
  }
  return { severity, basis: 'level' };
}

function securitySeverityScore(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new ReportError('invalid_field', `${field} must be a score from 0 to 10`, { field });
  }
  return parseCvssScore(value, 'security-severity', { field });
}

/** CVSS v3 metric values as dependency-check spells them, by metric. */
const CVSS3_METRICS: [string, string, Record<string, string>][] = [
  ['AV', 'cvssv3_attackVector', { NETWORK: 'N', ADJACENT_NETWORK: 'A', ADJACENT: 'A', LOCAL: 'L', PHYSICAL: 'P' }],
  ['AC', 'cvssv3_attackComplexity', { LOW: 'L', HIGH: 'H' }],
  ['PR', 'cvssv3_privilegesRequired', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['UI', 'cvssv3_userInteraction', { NONE: 'N', REQUIRED: 'R' }],
  ['S', 'cvssv3_scope', { UNCHANGED: 'U', CHANGED: 'C' }],
  ['C', 'cvssv3_confidentialityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['I', 'cvssv3_integrityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
  ['A', 'cvssv3_availabilityImpact', { NONE: 'N', LOW: 'L', HIGH: 'H' }],
];

/** CVSS v2 metric values as dependency-check spells them; it writes `cvssv2_authenticationr` for Au. */
const CVSS2_METRICS: [string, string, Record<string, string>][] = [
  ['AV', 'cvssv2_accessVector', { NETWORK: 'N', ADJACENT_NETWORK: 'A', LOCAL: 'L' }],
  ['AC', 'cvssv2_accessComplexity', { LOW: 'L', MEDIUM: 'M', HIGH: 'H' }],
  ['Au', 'cvssv2_authenticationr', { NONE: 'N', SINGLE: 'S', MULTIPLE: 'M' }],
  ['C', 'cvssv2_confidentialImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
  ['I', 'cvssv2_integrityImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
  ['A', 'cvssv2_availabilityImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
];

/**
 * Reads the CVSS scores that dependency-check writes into a result's properties, rebuilding the
 * vector from the metric names when every metric is there.
 */
export function propertyCvss(properties: Record<string, unknown>, field: string): CvssScores {
  const scores: CvssScores = {};
  const score3 = numberProperty(properties.cvssv3_baseScore, `${field}.properties.cvssv3_baseScore`);
  if (score3 !== undefined) {
    scores.cvss3BaseScore = score3;
    const version = typeof properties.cvssv3_version === 'string' && /^3\.\d$/.test(properties.cvssv3_version) ? properties.cvssv3_version : '3.1';
    const metrics = vectorOf(properties, CVSS3_METRICS);
    if (metrics) scores.cvss3Vector = `CVSS:${version}/${metrics}`;
  }
  const score2 = numberProperty(properties.cvssv2_score, `${field}.properties.cvssv2_score`);
  if (score2 !== undefined) {
    scores.cvss2BaseScore = score2;
    const metrics = vectorOf({ ...properties, cvssv2_authenticationr: properties.cvssv2_authenticationr ?? properties.cvssv2_authentication }, CVSS2_METRICS);
    if (metrics) scores.cvss2Vector = metrics;
  }
  return scores;
}

function numberProperty(value: unknown, field: string): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  return parseCvssScore(value, field.split('.').pop() ?? field, { field });
}

function vectorOf(properties: Record<string, unknown>, metrics: [string, string, Record<string, string>][]): string | undefined {
  const parts: string[] = [];
  for (const [metric, key, values] of metrics) {
    const value = properties[key];
    const letter = typeof value === 'string' ? values[value.trim().toUpperCase()] : undefined;
    if (!letter) return undefined;
    parts.push(`${metric}:${letter}`);
  }
  return parts.join('/');
}
