// Mapping of Nexpose (InsightVM) XML export records: a vulnerability definition from
// VulnerabilityDefinitions, a test result from a node or one of its endpoints, and the finding
// that joins the two. Definitions and test results are plain JSON values, because both may wait
// on disk (in a spill queue or a keyed store) until the other side of the join has been read.

import { normalizeCveId, normalizeCweId, parseCvssScore, quote, severityFromCvss, unique } from '../field-values';
import type { FindingRecord, Severity, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childElements, elementToRaw, nonBlank, type XmlElement } from '../xml-stream';
import { copyCvssScores } from './cvss-facts';
import { renderNexposeText } from './nexpose-text';

/** A vulnerability definition, reduced to the fields a finding takes from it. */
export interface NexposeDefinition {
  id: string;
  title: string;
  /** Nexpose severity, 0 to 10. */
  severity: number;
  cvss2Vector?: string;
  cvss2BaseScore?: number;
  cvss3Vector?: string;
  cvss3BaseScore?: number;
  /** Compact dates as written, e.g. `20100811T000000000`. */
  published?: string;
  description?: string;
  solution?: string;
  references: { source: string; value: string }[];
  tags: string[];
  /** Attributes and child elements the finding has no field for, kept for its raw. */
  extra: Record<string, unknown>;
  line: number;
}

/** One vulnerable test result on a node, waiting for its definition. */
export interface NexposeTestResult {
  assetKey: string;
  vulnerabilityId: string;
  status: string;
  key?: string;
  port?: number;
  protocol?: string;
  /** Name of the service the test ran against, for tests of an endpoint. */
  service?: string;
  /** Nexpose's proof of the result, rendered as text. */
  proof?: string;
  vulnerableSince?: string;
  /** The test's other attributes, e.g. `scan-id` and `pci-compliance-status`. */
  attributes: Record<string, string>;
  line: number;
  column: number;
}

/** The endpoint a test ran on. All fields are unset for a test of the node itself. */
export interface TestLocation {
  port?: number | undefined;
  protocol?: string | undefined;
  service?: string | undefined;
}

/** Attributes of a `<vulnerability>` that map to definition fields. */
const MAPPED_DEFINITION_ATTRIBUTES = new Set(['id', 'title', 'severity', 'cvssScore', 'cvssVector', 'cvssV3Score', 'cvssV3Vector', 'published']);
/** Child elements of a `<vulnerability>` that map to definition fields. */
const MAPPED_DEFINITION_CHILDREN = new Set(['description', 'solution', 'references', 'tags']);
/** Attributes of a `<test>` that map to test result fields. */
const MAPPED_TEST_ATTRIBUTES = new Set(['id', 'status', 'key', 'vulnerable-since']);

/** True for the statuses of a test that found the vulnerability: exploited, version match or potential. */
export function isVulnerableStatus(status: string): boolean {
  return status.startsWith('vulnerable');
}

/** Reads a `<vulnerability>` element of VulnerabilityDefinitions. */
export function readDefinition(element: XmlElement): NexposeDefinition {
  const position = { line: element.line, column: element.column };
  const attributes = element.attributes;
  const id = nonBlank(attributes.id);
  if (!id) throw new ReportError('malformed', 'vulnerability definition has no id attribute', position);

  const severityText = attributes.severity?.trim() ?? '';
  const severity = Number(severityText);
  if (severityText === '' || !Number.isInteger(severity) || severity < 0 || severity > 10) {
    throw new ReportError('invalid_field', `vulnerability ${quote(id)} has invalid severity ${quote(severityText)}; expected a whole number from 0 to 10`, { ...position, field: 'severity' });
  }

  const definition: NexposeDefinition = {
    id,
    title: nonBlank(attributes.title) ?? id,
    severity,
    references: [],
    tags: [],
    extra: {},
    line: element.line,
  };
  addDefinitionScores(definition, attributes, position);
  const published = nonBlank(attributes.published);
  if (published) definition.published = published;

  for (const [name, value] of Object.entries(attributes)) {
    if (!MAPPED_DEFINITION_ATTRIBUTES.has(name)) appendRaw(definition.extra, name, value);
  }
  for (const child of element.children) {
    if (child.name === 'description') setText(definition, 'description', child);
    else if (child.name === 'solution') setText(definition, 'solution', child);
    else if (child.name === 'references') definition.references.push(...readReferences(child));
    else if (child.name === 'tags') definition.tags.push(...childElements(child, 'tag').flatMap((tag) => nonBlank(tag.text) ?? []));
    // Empty elements such as `<malware/>` mean "none" and are left out.
    const value = MAPPED_DEFINITION_CHILDREN.has(child.name) ? '' : elementToRaw(child);
    if (value !== '') appendRaw(definition.extra, child.name, value);
  }
  return definition;
}

/**
 * Reads the CVSS attributes. `cvssVector` is a v2 vector in brackets, e.g. `(AV:N/AC:L/…)`, or a
 * v3 vector with its `CVSS:3.x/` prefix. `cvssV3Score` and `cvssV3Vector` are read when present.
 * NOTE: those two attribute names are assumed; the sample exports at hand carry only `cvssScore`
 * and `cvssVector`, so a v3 score under another name stays in raw only.
 */
function addDefinitionScores(definition: NexposeDefinition, attributes: Record<string, string>, position: { line: number; column: number }): void {
  const vector = nonBlank(attributes.cvssVector?.replace(/^\(|\)$/g, ''));
  const score = parseCvssScore(attributes.cvssScore, 'cvssScore', position);
  if (vector?.startsWith('CVSS:3')) {
    definition.cvss3Vector = vector;
    if (score !== undefined) definition.cvss3BaseScore = score;
  } else {
    if (vector) definition.cvss2Vector = vector;
    if (score !== undefined && (vector || score > 0)) definition.cvss2BaseScore = score;
  }

  const vector3 = nonBlank(attributes.cvssV3Vector);
  const score3 = parseCvssScore(attributes.cvssV3Score, 'cvssV3Score', position);
  if (vector3) definition.cvss3Vector = vector3;
  if (score3 !== undefined) definition.cvss3BaseScore = score3;
}

function setText(definition: NexposeDefinition, field: 'description' | 'solution', element: XmlElement): void {
  const text = renderNexposeText(element);
  if (text) definition[field] = text;
}

function readReferences(element: XmlElement): { source: string; value: string }[] {
  return childElements(element, 'reference').flatMap((reference) => {
    const value = nonBlank(reference.text);
    return value ? [{ source: reference.attributes.source?.trim().toUpperCase() ?? '', value }] : [];
  });
}

/** Reads a `<test>` element of a node or a service, where `where` names the endpoint it ran on. */
export function readTestResult(
  element: XmlElement,
  assetKey: string,
  where: TestLocation,
): NexposeTestResult {
  const position = { line: element.line, column: element.column };
  const vulnerabilityId = nonBlank(element.attributes.id);
  if (!vulnerabilityId) throw new ReportError('malformed', 'test has no id attribute', position);

  const result: NexposeTestResult = {
    assetKey,
    vulnerabilityId,
    status: element.attributes.status?.trim() ?? '',
    attributes: {},
    line: element.line,
    column: element.column,
  };
  const key = nonBlank(element.attributes.key);
  if (key) result.key = key;
  if (where.port !== undefined) result.port = where.port;
  if (where.protocol) result.protocol = where.protocol;
  if (where.service) result.service = where.service;
  const since = nonBlank(element.attributes['vulnerable-since']);
  if (since) result.vulnerableSince = since;
  const proof = renderNexposeText(element);
  if (proof) result.proof = proof;
  for (const [name, value] of Object.entries(element.attributes)) {
    if (!MAPPED_TEST_ATTRIBUTES.has(name)) result.attributes[name] = value;
  }
  return result;
}

/**
 * Nexpose severity 0 to 10 on the product's 1–5 scale, by the CVSS v3 rating bands that the
 * severity follows: 0 informational, 1–3 low, 4–6 medium, 7–8 high, 9–10 critical.
 */
export function nexposeSeverity(severity: number): Severity {
  return severityFromCvss(severity);
}

/** Joins a vulnerable test result with its definition into a finding. */
export function nexposeFinding(test: NexposeTestResult, definition: NexposeDefinition): FindingRecord {
  const position = { line: test.line, column: test.column };
  const cveIds = unique(definition.references.filter((reference) => reference.source === 'CVE').flatMap((reference) => normalizeCveId(reference.value) ?? []));
  const cweIds = unique(definition.references.filter((reference) => reference.source === 'CWE').flatMap((reference) => normalizeCweId(reference.value) ?? []));
  const urls = unique(definition.references.filter((reference) => reference.source === 'URL').map((reference) => reference.value));

  const raw: Record<string, unknown> = {
    status: test.status,
    nexposeSeverity: definition.severity,
    ...test.attributes,
    definition: definition.extra,
  };
  if (test.key) raw.key = test.key;
  if (test.service) raw.service = test.service;
  if (test.proof) raw.proof = test.proof;
  if (definition.references.length > 0) raw.references = definition.references;
  if (definition.tags.length > 0) raw.tags = definition.tags;
  addExploitFacts(raw, definition.extra);

  const finding: FindingRecord = {
    assetKey: test.assetKey,
    type: 'vulnerability',
    vendorId: definition.id,
    sourceFindingId: `${definition.id}:${test.port ?? 0}/${test.protocol ?? ''}${test.key ? `:${test.key}` : ''}`,
    title: definition.title,
    severity: nexposeSeverity(definition.severity),
    raw,
    position,
  };
  if (test.port !== undefined) finding.port = test.port;
  if (test.protocol) finding.protocol = test.protocol;
  if (definition.description) finding.description = definition.description;
  if (definition.solution) finding.solution = definition.solution;
  if (urls.length > 0) finding.references = urls;
  if (cweIds.length > 0) finding.cweIds = cweIds;
  if (cveIds.length > 0) {
    finding.cveId = cveIds[0];
    finding.cveIds = cveIds;
  }
  if (definition.cvss2Vector) finding.cvss2Vector = definition.cvss2Vector;
  if (definition.cvss2BaseScore !== undefined) finding.cvss2BaseScore = definition.cvss2BaseScore;
  if (definition.cvss3Vector) finding.cvss3Vector = definition.cvss3Vector;
  if (definition.cvss3BaseScore !== undefined) finding.cvss3BaseScore = definition.cvss3BaseScore;
  const since = test.vulnerableSince ? parseNexposeDate(test.vulnerableSince, 'vulnerable-since', position) : undefined;
  if (since) finding.firstSeen = since;

  const facts = vulnerabilityFacts(finding, definition);
  if (facts.length > 0) finding.vulnerabilities = facts;
  return finding;
}

/**
 * Flags public exploits and malware the way the Detection Score reads them from raw
 * (`exploit_available`, `exploited_by_malware`), from the definition's `<exploits>` and `<malware>`.
 */
function addExploitFacts(raw: Record<string, unknown>, extra: Record<string, unknown>): void {
  if (hasEntries(extra.exploits)) raw.exploit_available = 'true';
  if (hasEntries(extra.malware)) raw.exploited_by_malware = 'true';
}

function hasEntries(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(hasEntries);
  return typeof value === 'object' && Object.keys(value).length > 0;
}

/** Returns facts for the CVE catalog, with the definition's scores only when it names one CVE. */
function vulnerabilityFacts(finding: FindingRecord, definition: NexposeDefinition): VulnerabilityFacts[] {
  const cveIds = finding.cveIds ?? [];
  if (cveIds.length !== 1) return cveIds.map((cveId) => ({ cveId }));

  const facts: VulnerabilityFacts = { cveId: cveIds[0] ?? '' };
  copyCvssScores(finding, facts);
  if (finding.cweIds) facts.cweIds = finding.cweIds;
  const published = definition.published ? parseNexposeDate(definition.published, 'published', { line: definition.line }) : undefined;
  if (published) facts.publishedAt = published;
  const urls = finding.references ?? [];
  if (urls.length > 0) facts.references = urls.map((url) => ({ url }));
  return [facts];
}

/**
 * Parses Nexpose's compact timestamp, e.g. `20210211T162340221` (milliseconds optional).
 * NOTE: the export gives no time zone, so the time is read as UTC.
 */
export function parseNexposeDate(value: string, field: string, position: { line?: number; column?: number }): Date | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(\d{3})?)?$/.exec(text);
  const [, year, month, day, hour = '0', minute = '0', second = '0', millis = '0'] = match ?? [];
  const date = match ? new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(millis))) : undefined;
  // Date.UTC rolls over out-of-range parts (Feb 31 becomes Mar 3); reject those instead.
  if (!date || date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCHours() !== Number(hour)) {
    throw new ReportError('invalid_field', `${field} is not a Nexpose date like 20210211T162340221: ${quote(text)}`, { ...position, field });
  }
  return date;
}
