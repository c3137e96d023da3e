// Helpers shared by the JSON report parsers: checking one assembled object with zod, keeping the
// fields a mapping does not read, and collecting CVSS, CVE and CWE values.

import type { z } from 'zod';
import { normalizeCveId, normalizeCweId, parseCvssScore, unique } from '../field-values';
import { formatJsonPath, type JsonPath, type JsonValueType } from '../json-stream';
import type { FindingRecord } from '../model';
import { ReportError } from '../report-error';

/** Checks a value with a zod schema; a mismatch becomes `invalid_field` naming the JSON path. */
export function validateJson<T>(schema: z.ZodType<T>, value: unknown, path: JsonPath, formatName: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const issuePath = (issue?.path ?? []).filter((segment): segment is string | number => typeof segment !== 'symbol');
  const field = formatJsonPath([...path, ...issuePath]);
  throw new ReportError('invalid_field', `invalid ${formatName} field ${field}: ${issue?.message ?? 'unexpected value'}`, { field });
}

/**
 * Returns the action for a container the parser walks into. A null (Go writes a nil slice as
 * null) is skipped because it contains nothing, and an object where an array belongs, or the reverse,
 * is malformed.
 */
export function expectContainer(path: JsonPath, actual: JsonValueType, expected: 'object' | 'array'): 'enter' | 'skip' {
  if (actual === 'scalar') return 'skip';
  if (actual !== expected) {
    const field = formatJsonPath(path);
    throw new ReportError('malformed', `${field} must be an ${expected}, but it is an ${actual}`, { field });
  }
  return 'enter';
}

/** Returns the object's fields whose keys are not in `mapped`, for a record's `raw`. */
export function unmappedFields(value: Record<string, unknown>, mapped: ReadonlySet<string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!mapped.has(key) && field !== undefined) raw[key] = field;
  }
  return raw;
}

/** Returns the severity for a name from a table keyed by lower-case names, or throws naming the field. */
export function severityFrom<S extends number>(table: Record<string, S>, value: string | null | undefined, field: string, formatName: string): S | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const severity = table[value.trim().toLowerCase()];
  if (severity === undefined) {
    const expected = Object.keys(table).join(', ');
    throw new ReportError('invalid_field', `unknown ${formatName} severity ${JSON.stringify(value)} in ${field}; expected one of ${expected}`, { field });
  }
  return severity;
}

/** CVSS scores and vectors by CVSS major version, the fields a finding and a CVE's facts share. */
export interface CvssScores {
  cvss2Vector?: string;
  cvss2BaseScore?: number;
  cvss3Vector?: string;
  cvss3BaseScore?: number;
  cvss4Vector?: string;
  cvss4BaseScore?: number;
}

/**
 * Records one CVSS rating in `scores` unless that version already has one, so the caller's
 * order of ratings decides which wins. The version comes from `version` (e.g. `3.1`), else
 * from the vector's prefix (`CVSS:4.0/…`; a vector without a prefix is v2). The score is
 * checked to lie between 0 and 10.
 */
export function addCvssRating(
  scores: CvssScores,
  rating: { version?: string | null; vector?: string | null; score?: number | null },
  field: string,
): void {
  const vector = rating.vector?.trim() || undefined;
  const major = cvssMajor(rating.version ?? undefined, vector);
  if (major === undefined) return;
  const score = parseCvssScore(rating.score ?? undefined, 'CVSS score', { field });

  if (major === 2 && scores.cvss2BaseScore === undefined && scores.cvss2Vector === undefined) {
    if (vector) scores.cvss2Vector = vector;
    if (score !== undefined) scores.cvss2BaseScore = score;
  } else if (major === 3 && scores.cvss3BaseScore === undefined && scores.cvss3Vector === undefined) {
    if (vector) scores.cvss3Vector = vector;
    if (score !== undefined) scores.cvss3BaseScore = score;
  } else if (major === 4 && scores.cvss4BaseScore === undefined && scores.cvss4Vector === undefined) {
    if (vector) scores.cvss4Vector = vector;
    if (score !== undefined) scores.cvss4BaseScore = score;
  }
}

function cvssMajor(version: string | undefined, vector: string | undefined): 2 | 3 | 4 | undefined {
  const text = version?.trim() || /^CVSS:(\d)/.exec(vector ?? '')?.[1] || (vector ? '2' : undefined);
  const major = text ? Number.parseInt(text.replace(/^v/i, ''), 10) : Number.NaN;
  return major === 2 || major === 3 || major === 4 ? major : undefined;
}

/** Copies the scores that are set. */
export function copyCvss(from: CvssScores, to: CvssScores): void {
  if (from.cvss2Vector !== undefined) to.cvss2Vector = from.cvss2Vector;
  if (from.cvss2BaseScore !== undefined) to.cvss2BaseScore = from.cvss2BaseScore;
  if (from.cvss3Vector !== undefined) to.cvss3Vector = from.cvss3Vector;
  if (from.cvss3BaseScore !== undefined) to.cvss3BaseScore = from.cvss3BaseScore;
  if (from.cvss4Vector !== undefined) to.cvss4Vector = from.cvss4Vector;
  if (from.cvss4BaseScore !== undefined) to.cvss4BaseScore = from.cvss4BaseScore;
}

/** Returns the highest base score of any CVSS version, or undefined when there is none. */
export function highestCvss(scores: CvssScores): number | undefined {
  const values = [scores.cvss4BaseScore, scores.cvss3BaseScore, scores.cvss2BaseScore].filter((score): score is number => score !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
}

/** Returns the distinct CVE ids among the values, upper-case, in first-seen order. */
export function cveIdsOf(values: (string | null | undefined)[]): string[] {
  return unique(values.map((value) => normalizeCveId(value ?? undefined)).filter((id): id is string => id !== undefined));
}

/** Returns the distinct `CWE-n` ids among the values, in first-seen order. */
export function cweIdsOf(values: (string | number | null | undefined)[]): string[] {
  return unique(
    values.map((value) => normalizeCweId(value === null || value === undefined ? undefined : String(value))).filter((id): id is string => id !== undefined),
  );
}

/** Sets the finding's primary CVE and CVE list from `cveIds`, when there are any. */
export function setCves(finding: FindingRecord, cveIds: string[]): void {
  const [first] = cveIds;
  if (first === undefined) return;
  finding.cveId = first;
  finding.cveIds = cveIds;
}
