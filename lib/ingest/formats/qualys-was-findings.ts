// Mapping of Qualys Web Application Scanning (WAS) report items to findings. A report lists its
// results (VULNERABILITY, INFORMATION_GATHERED and SENSITIVE_CONTENT entries that name a QID)
// before the GLOSSARY that gives each QID its title, severity and texts, so results are first
// reduced to a plain `WasItem`, which a spill queue can hold, and mapped once the glossary is read.
//
// Severity follows the Qualys VM parsers (qualys-common.ts): vulnerabilities and sensitive
// content take the glossary's 1–5 SEVERITY, and information gathered is informational (1) with
// Qualys's own level kept in `raw.qualysSeverity`.

import { normalizeCweId, parseIsoDate, quote, unique } from '../field-values';
import type { FindingRecord, Severity, SourcePosition } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childText, elementToRaw, nonBlank, type XmlElement } from '../xml-stream';
import { isFixedStatus, parseQualysBoolean, parseQualysSeverity, parseScoreWithVector } from './qualys-common';

export type WasItemKind = 'vulnerability' | 'information' | 'sensitive';

/** One result entry, reduced to JSON-safe values so the spill queue can write it to disk. */
export interface WasItem {
  kind: WasItemKind;
  /** Key of the web application the entry belongs to; `undefined` for entries directly under RESULTS. */
  appKey?: string;
  qid: string;
  url?: string;
  param?: string;
  uniqueId?: string;
  firstDetected?: string;
  lastDetected?: string;
  /** The entry's other children, as `elementToRaw` converts them, base64 content decoded. */
  raw: Record<string, unknown>;
  line: number;
  column: number;
}

/** One QID of GLOSSARY/QID_LIST. */
export interface GlossaryEntry {
  title?: string;
  severity?: Severity;
  category?: string;
  description?: string;
  impact?: string;
  solution?: string;
  cweIds: string[];
  cvss2?: { score?: number; vector?: string };
  cvss3?: { score?: number; vector?: string };
  /** GROUP, OWASP, WASC, CVSS_TEMPORAL and every other child. */
  raw: Record<string, unknown>;
}

/** Entry elements of each result list. */
export const RESULT_LISTS: Record<string, { entry: string; kind: WasItemKind }> = {
  VULNERABILITY_LIST: { entry: 'VULNERABILITY', kind: 'vulnerability' },
  INFORMATION_GATHERED_LIST: { entry: 'INFORMATION_GATHERED', kind: 'information' },
  SENSITIVE_CONTENT_LIST: { entry: 'SENSITIVE_CONTENT', kind: 'sensitive' },
};

/** Children of a result entry read into WasItem fields; the others stay in raw. */
const ITEM_FIELDS = new Set(['QID', 'URL', 'PARAM', 'UNIQUE_ID', 'FIRST_TIME_DETECTED', 'LAST_TIME_DETECTED']);

/** Reduces a collected result entry to a WasItem. Throws when it has no QID. */
export function wasItem(entry: XmlElement, kind: WasItemKind, appKey: string | undefined): WasItem {
  const qid = childText(entry, 'QID');
  if (!qid) throw new ReportError('invalid_field', `${entry.name} has no QID`, { line: entry.line, column: entry.column, field: 'QID' });

  const raw: Record<string, unknown> = {};
  for (const child of entry.children) {
    if (!ITEM_FIELDS.has(child.name)) appendRaw(raw, child.name, wasElementToRaw(child));
  }
  const item: WasItem = { kind, qid, raw, line: entry.line, column: entry.column };
  if (appKey !== undefined) item.appKey = appKey;
  const fields: [keyof WasItem, string][] = [
    ['url', 'URL'],
    ['param', 'PARAM'],
    ['uniqueId', 'UNIQUE_ID'],
    ['firstDetected', 'FIRST_TIME_DETECTED'],
    ['lastDetected', 'LAST_TIME_DETECTED'],
  ];
  for (const [key, name] of fields) {
    const text = childText(entry, name);
    if (text !== undefined) Object.assign(item, { [key]: text });
  }
  return item;
}

/** Children of a glossary QID read into GlossaryEntry fields; the others stay in raw. */
const GLOSSARY_FIELDS = new Set(['QID', 'TITLE', 'SEVERITY', 'CATEGORY', 'DESCRIPTION', 'IMPACT', 'SOLUTION', 'CWE', 'CVSS_BASE', 'CVSS_V3']);

/** Reads one GLOSSARY/QID_LIST/QID element and returns its QID with the entry. */
export function glossaryEntry(element: XmlElement): { qid: string; entry: GlossaryEntry } {
  const position: SourcePosition = { line: element.line, column: element.column };
  const qid = childText(element, 'QID');
  if (!qid) throw new ReportError('invalid_field', 'GLOSSARY QID entry has no QID', { ...position, field: 'QID' });

  const raw: Record<string, unknown> = {};
  for (const child of element.children) {
    if (!GLOSSARY_FIELDS.has(child.name)) appendRaw(raw, child.name, elementToRaw(child));
  }
  const entry: GlossaryEntry = {
    cweIds: unique((childText(element, 'CWE') ?? '').split(/[\s,]+/).map(normalizeCweId).filter((id): id is string => id !== undefined)),
    raw,
  };
  const set = <K extends keyof GlossaryEntry>(key: K, value: GlossaryEntry[K] | undefined) => {
    if (value !== undefined) entry[key] = value;
  };
  set('title', childText(element, 'TITLE'));
  set('severity', parseQualysSeverity(childText(element, 'SEVERITY'), 'SEVERITY', position));
  set('category', childText(element, 'CATEGORY'));
  set('description', childText(element, 'DESCRIPTION'));
  set('impact', impactText(childText(element, 'IMPACT')));
  set('solution', impactText(childText(element, 'SOLUTION')));
  const cvss2 = parseScoreWithVector(childText(element, 'CVSS_BASE'), 'CVSS_BASE', position);
  if (cvss2.score !== undefined) entry.cvss2 = cvss2;
  const cvss3 = cvss3Of(element, position);
  if (cvss3) entry.cvss3 = cvss3;
  return { qid, entry };
}

/** Qualys writes `N/A` or `Not applicable.` where an information-gathered QID has no impact or solution. */
function impactText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /^(?:n\/a|not\s+applicable\.?)$/i.test(text) ? undefined : text;
}

/**
 * Reads CVSS_V3, which is either text (`7.5` or `7.5 (CVSS:3.1/…)`) or an element with BASE,
 * TEMPORAL and ATTACK_VECTOR children. The children other than BASE stay in the glossary's raw.
 */
function cvss3Of(element: XmlElement, position: SourcePosition): { score?: number; vector?: string } | undefined {
  const node = element.children.find((child) => child.name === 'CVSS_V3');
  if (!node) return undefined;
  if (node.children.length === 0) {
    const parsed = parseScoreWithVector(nonBlank(node.text), 'CVSS_V3', position);
    return parsed.score === undefined ? undefined : parsed;
  }
  const parsed = parseScoreWithVector(childText(node, 'BASE'), 'CVSS_V3/BASE', position);
  return parsed.score === undefined ? undefined : parsed;
}

/**
 * Converts an element to raw values like `elementToRaw`, but decodes content that Qualys marks
 * `base64="true"` (payload responses, evidence, information-gathered DATA) into text. Content
 * that is not UTF-8 text or contains a NUL character, which PostgreSQL's jsonb cannot hold,
 * stays in base64 as `{ base64: "…" }`.
 */
export function wasElementToRaw(element: XmlElement): unknown {
  if (element.children.length === 0 && element.attributes.base64 === 'true') return decodeBase64(element.text);
  if (element.children.length === 0) return elementToRaw(element);

  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(element.attributes)) appendRaw(result, name, value);
  for (const child of element.children) appendRaw(result, child.name, wasElementToRaw(child));
  return result;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64(text: string): unknown {
  const encoded = text.replace(/\s+/g, '');
  try {
    const decoded = utf8.decode(Buffer.from(encoded, 'base64'));
    return decoded.includes('\u0000') ? { base64: encoded } : decoded;
  } catch {
    return { base64: encoded };
  }
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/**
 * Parses a WAS date: ISO 8601 as the WAS API writes it, or the report layout
 * `14 May 2024 09:35AM GMT+0200`. The time and the offset may be missing, and no offset means UTC.
 */
export function parseWasDate(value: string | undefined, field: string, position: SourcePosition): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return parseIsoDate(text, field, position);

  const match = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4})(?: (\d{1,2}):(\d{2})\s*([AP]M)?)?(?: (?:GMT|UTC)(?:([+-])(\d{2}):?(\d{2}))?)?$/i.exec(text);
  const month = match ? MONTHS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || month === undefined) {
    throw new ReportError('invalid_field', `${field} is not a Qualys WAS date such as "14 May 2024 09:35AM GMT+0200": ${quote(text)}`, { ...position, field });
  }
  let hours = Number(match[4] ?? 0);
  const meridiem = match[6]?.toUpperCase();
  if (meridiem === 'PM' && hours < 12) hours += 12;
  if (meridiem === 'AM' && hours === 12) hours = 0;
  let offsetMinutes = 0;
  if (match[7]) {
    const sign = match[7] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(match[8]) * 60 + Number(match[9]));
  }
  const utc = Date.UTC(Number(match[3]), month, Number(match[1]), hours, Number(match[5] ?? 0)) - offsetMinutes * 60_000;
  return new Date(utc);
}

/**
 * Maps a result entry with its glossary entry to a finding, or returns undefined for an entry
 * whose STATUS is FIXED. As in the Qualys VM parsers, a fixed detection is no observation. Its
 * web application is still in the report, so the import marks an earlier open finding there as fixed.
 */
export function wasFinding(item: WasItem, assetKey: string, glossary: GlossaryEntry | undefined): FindingRecord | undefined {
  const position: SourcePosition = { line: item.line, column: item.column };
  const status = typeof item.raw.STATUS === 'string' ? item.raw.STATUS : undefined;
  if (isFixedStatus(status)) return undefined;

  const raw: Record<string, unknown> = { qualysType: item.kind, ...item.raw };
  if (glossary) {
    Object.assign(raw, glossary.raw);
    if (glossary.category) raw.CATEGORY = glossary.category;
    if (glossary.impact) raw.IMPACT = glossary.impact;
    if (glossary.severity !== undefined) raw.qualysSeverity = glossary.severity;
  }
  if (item.param) raw.PARAM = item.param;
  if (item.uniqueId) raw.UNIQUE_ID = item.uniqueId;
  if (typeof item.raw.IGNORED === 'string' && parseQualysBoolean(item.raw.IGNORED)) raw.suppressed = true;
  if (typeof item.raw.POTENTIAL === 'string') raw.potential = parseQualysBoolean(item.raw.POTENTIAL);

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: item.qid,
    sourceFindingId: item.uniqueId ?? [item.kind, item.qid, item.url ?? '', item.param ?? ''].join('|'),
    title: glossary?.title ?? textOf(item.raw.TITLE) ?? `QID ${item.qid}`,
    severity: severityOf(item, glossary),
    raw,
    position,
  };
  if (item.url) finding.resource = item.url;
  if (glossary?.description) finding.description = glossary.description;
  if (glossary?.solution) finding.solution = glossary.solution;
  if (glossary && glossary.cweIds.length > 0) finding.cweIds = glossary.cweIds;
  if (glossary?.cvss2?.score !== undefined) finding.cvss2BaseScore = glossary.cvss2.score;
  if (glossary?.cvss2?.vector) finding.cvss2Vector = glossary.cvss2.vector;
  if (glossary?.cvss3?.score !== undefined) finding.cvss3BaseScore = glossary.cvss3.score;
  if (glossary?.cvss3?.vector) finding.cvss3Vector = glossary.cvss3.vector;

  // Information gathered only has LAST_TIME_DETECTED, and scan reports give DETECTION_DATE alone.
  const detectionDate = typeof item.raw.DETECTION_DATE === 'string' ? item.raw.DETECTION_DATE : undefined;
  const firstSeen = parseWasDate(item.firstDetected ?? detectionDate, 'FIRST_TIME_DETECTED', position);
  const lastSeen = parseWasDate(item.lastDetected ?? detectionDate, 'LAST_TIME_DETECTED', position);
  if (firstSeen) finding.firstSeen = firstSeen;
  if (lastSeen) finding.lastSeen = lastSeen;
  return finding;
}

function severityOf(item: WasItem, glossary: GlossaryEntry | undefined): Severity {
  if (item.kind === 'information') return 1;
  if (glossary?.severity !== undefined) return glossary.severity;

  // Some exports repeat the severity in the entry itself.
  const own = parseQualysSeverity(textOf(item.raw.SEVERITY), 'SEVERITY', { line: item.line, column: item.column });
  if (own === undefined) {
    throw new ReportError('invalid_field', `QID ${item.qid} has no SEVERITY in the report's GLOSSARY; export the report again with its glossary`, {
      line: item.line,
      column: item.column,
      field: 'GLOSSARY/QID_LIST/QID/SEVERITY',
    });
  }
  return own;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
