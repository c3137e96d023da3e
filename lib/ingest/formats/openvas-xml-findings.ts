// Mapping of one Greenbone (OpenVAS) XML result, that is one NVT on one host and port, to a
// finding. The fields match those of the CSV export parser (openvas-csv.ts), so the XML and the
// CSV export of one scan identify the same findings: the NVT OID is the vendor id, and the CVE,
// port, protocol, severity and asset name are read alike.

import {
  normalizeCveId,
  parseCvssScore,
  parseIsoDate,
  parseNumber,
  parsePort,
  quote,
  severityFromCvss,
  unique,
} from '../field-values';
import type { FindingRecord, Severity, SourcePosition, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childElement, childElements, childText, elementToRaw, nonBlank, type XmlElement } from '../xml-stream';
import { addCvssRating, copyCvss, type CvssScores } from './json-fields';

/**
 * Greenbone threat levels on the product's 1–5 scale. Log, Debug and Error results and results an
 * override marked as false positives are informational. Alarm is the level some older Greenbone
 * versions give to high results.
 */
const THREATS: Record<string, Severity> = {
  log: 1,
  none: 1,
  debug: 1,
  error: 1,
  'false positive': 1,
  low: 2,
  medium: 3,
  high: 4,
  alarm: 4,
  critical: 5,
};

/** Greenbone's numeric severity of a result an override marked as a false positive. */
const FALSE_POSITIVE_SEVERITY = -1;

/** NVT tags that map to finding fields. The others stay in `raw.nvt.tags`. */
const MAPPED_TAGS: ReadonlySet<string> = new Set(['summary', 'insight', 'solution', 'cvss_base_vector']);

/** Result children that map to finding fields. The others go to the finding's raw. */
const MAPPED_RESULT_CHILDREN: ReadonlySet<string> = new Set(['host', 'port', 'nvt', 'threat', 'severity', 'description', 'creation_time', 'name']);

/** The host a result is about: its address and the host name Greenbone resolved. */
export interface ResultHost {
  ip: string;
  hostname?: string;
}

/** Reads the address and host name of `result/host`, e.g. `<host>192.0.2.1<asset/><hostname>a</hostname></host>`. */
export function resultHost(result: XmlElement): ResultHost {
  const position = positionOf(result);
  const host = childElement(result, 'host');
  const ip = nonBlank(host?.text);
  if (!host || !ip) throw new ReportError('invalid_field', `result ${resultName(result)} has no host address; expected <host>IP</host> in every result`, { ...position, field: 'result/host' });

  const hostname = childText(host, 'hostname');
  return hostname ? { ip, hostname } : { ip };
}

/** Maps one `result` element to a finding on the asset with key `assetKey`. */
export function resultFinding(result: XmlElement, assetKey: string): FindingRecord {
  const position = positionOf(result);
  const nvt = childElement(result, 'nvt');
  const oid = nonBlank(nvt?.attributes.oid);
  if (!nvt || !oid) {
    throw new ReportError('invalid_field', `result ${resultName(result)} has no NVT OID; expected <nvt oid="…"> naming the test that found it`, { ...position, field: 'result/nvt/@oid' });
  }

  const tags = parseTags(childText(nvt, 'tags'));
  const raw = resultRaw(result, nvt, tags);
  const { severity, falsePositive } = resultSeverity(result, position);
  if (falsePositive) {
    raw.falsePositive = true;
    raw.suppressed = true;
  }

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: oid,
    title: childText(nvt, 'name') ?? childText(result, 'name') ?? `Greenbone NVT ${oid}`,
    severity,
    raw,
    position,
  };
  const resultId = nonBlank(result.attributes.id);
  if (resultId) finding.sourceFindingId = resultId;

  addPort(finding, childText(result, 'port'), position, raw);

  const description = [tags.get('summary'), tags.get('insight')].filter((text) => text).join('\n\n');
  if (description) finding.description = description;
  const solution = childText(nvt, 'solution') ?? tags.get('solution');
  if (solution) finding.solution = solution;

  const refs = childElement(nvt, 'refs');
  const references = unique(childElementsOf(refs, 'ref').filter((ref) => ref.attributes.type?.toLowerCase() === 'url').flatMap((ref) => nonBlank(ref.attributes.id) ?? []));
  if (references.length > 0) finding.references = references;

  const cveIds = resultCves(oid, nvt, refs);
  if (cveIds.length > 0) {
    finding.cveId = cveIds[0];
    finding.cveIds = cveIds;
  }

  const scores = cvssScores(nvt, tags, position);
  copyCvss(scores, finding);
  const facts = vulnerabilityFacts(cveIds, scores, nvt, position);
  if (facts.length > 0) finding.vulnerabilities = facts;

  const seen = parseIsoDate(childText(result, 'creation_time'), 'creation_time', { ...position, field: 'result/creation_time' });
  if (seen) {
    finding.firstSeen = seen;
    finding.lastSeen = seen;
  }
  return finding;
}

/**
 * Returns the severity from the threat level, as the CSV export's Severity column gives it, or
 * from the numeric severity when the level is blank (informational when that is blank too).
 */
function resultSeverity(result: XmlElement, position: SourcePosition): { severity: Severity; falsePositive: boolean } {
  const threat = childText(result, 'threat');
  const score = parseNumber(childText(result, 'severity'), 'severity', { ...position, field: 'result/severity' });
  const falsePositive = threat?.toLowerCase() === 'false positive' || score === FALSE_POSITIVE_SEVERITY;

  if (threat) {
    const severity = THREATS[threat.toLowerCase()];
    if (severity === undefined) {
      throw new ReportError('invalid_field', `unknown Greenbone threat ${quote(threat)}; expected Log, Low, Medium, High, Critical or False Positive`, { ...position, field: 'result/threat' });
    }
    return { severity, falsePositive };
  }
  // Negative severities are Greenbone's markers for false positives (-1), debug (-2) and error (-3) results.
  if (score === undefined || score < 0) return { severity: 1, falsePositive };
  return { severity: severityFromCvss(parseCvssScore(score, 'severity', { ...position, field: 'result/severity' }) ?? 0), falsePositive };
}

/**
 * Sets port and protocol from Greenbone's `443/tcp`. Results about the host as a whole have the
 * port `general/tcp` (or `general/icmp`, `general/CPE-T`). That gives the protocol only, as in
 * the CSV export, and the port text stays in raw.
 */
function addPort(finding: FindingRecord, text: string | undefined, position: SourcePosition, raw: Record<string, unknown>): void {
  if (!text) return;
  const slash = text.lastIndexOf('/');
  const portText = slash === -1 ? text : text.slice(0, slash);
  const protocol = slash === -1 ? undefined : nonBlank(text.slice(slash + 1))?.toLowerCase();
  if (protocol) finding.protocol = protocol;

  if (/^\d+$/.test(portText)) {
    const port = parsePort(portText, 'port', { ...position, field: 'result/port' });
    if (port !== undefined) finding.port = port;
  } else {
    raw.port = text;
  }
}

/**
 * Splits the NVT's `tags` text, `name=value|name=value`, into a map. A value may span lines and
 * contain `=`, but never `|` followed by a tag name and `=`, so the split is on that pattern.
 */
export function parseTags(text: string | undefined): Map<string, string> {
  const tags = new Map<string, string>();
  if (!text) return tags;

  for (const part of text.split(/\|(?=[A-Za-z_][\w-]*=)/)) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const value = nonBlank(part.slice(equals + 1));
    if (value) tags.set(part.slice(0, equals).trim(), value);
  }
  return tags;
}

/** Collects the result's and the NVT's unmapped fields. */
function resultRaw(result: XmlElement, nvt: XmlElement, tags: Map<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const child of result.children) {
    if (!MAPPED_RESULT_CHILDREN.has(child.name)) appendRaw(raw, child.name, elementToRaw(child));
  }
  const threat = childText(result, 'threat');
  if (threat) raw.threat = threat;
  const severity = childText(result, 'severity');
  if (severity) raw.severity = severity;
  // The result's own text is what the NVT found on this host (the CSV export's Specific Result).
  const specificResult = childText(result, 'description');
  if (specificResult) raw.specificResult = specificResult;
  const resultName = childText(result, 'name');
  if (resultName && resultName !== childText(nvt, 'name')) raw.resultName = resultName;

  const nvtRaw: Record<string, unknown> = {};
  for (const child of nvt.children) {
    if (child.name === 'name' || child.name === 'tags' || child.name === 'solution') continue;
    if (child.name === 'refs') {
      const otherRefs = childElements(child, 'ref').filter((ref) => !['cve', 'url'].includes(ref.attributes.type?.toLowerCase() ?? ''));
      if (otherRefs.length > 0) nvtRaw.refs = otherRefs.map((ref) => ({ ...ref.attributes }));
      continue;
    }
    appendRaw(nvtRaw, child.name, elementToRaw(child));
  }
  const solutionType = childElement(nvt, 'solution')?.attributes.type;
  if (solutionType) nvtRaw.solutionType = solutionType;
  const otherTags = Object.fromEntries([...tags].filter(([name]) => !MAPPED_TAGS.has(name)));
  if (Object.keys(otherTags).length > 0) nvtRaw.tags = otherTags;
  raw.nvt = nvtRaw;
  return raw;
}

/**
 * Returns the result's CVEs: the OID when the NVT is a CVE scanner result (its OID is the CVE
 * id), then `refs/ref[@type=cve]`, then the `nvt/cve` list of GMP 7 and older.
 */
function resultCves(oid: string, nvt: XmlElement, refs: XmlElement | undefined): string[] {
  const values = [
    oid,
    ...childElementsOf(refs, 'ref')
      .filter((ref) => ref.attributes.type?.toLowerCase() === 'cve')
      .map((ref) => ref.attributes.id),
    ...(childText(nvt, 'cve') ?? '').split(/[\s,]+/),
  ];
  return unique(values.map((value) => normalizeCveId(value)).filter((id): id is string => id !== undefined));
}

/**
 * Collects CVSS ratings: `severities/severity` (GMP 21.4 and later, typed `cvss_base_v2|v3|v4`)
 * first, then `cvss_base` with the `cvss_base_vector` tag of older versions. The vector's
 * prefix gives the version, and a vector without one is CVSS v2.
 */
function cvssScores(nvt: XmlElement, tags: Map<string, string>, position: SourcePosition): CvssScores {
  const scores: CvssScores = {};
  for (const severity of childElementsOf(childElement(nvt, 'severities'), 'severity')) {
    const version = /cvss_base_v(\d)/.exec(severity.attributes.type ?? '')?.[1];
    if (!version) continue;
    const score = parseCvssScore(childText(severity, 'score'), 'severities/severity/score', { ...position, field: 'nvt/severities/severity/score' });
    addCvssRating(scores, { version, vector: childText(severity, 'value'), score }, 'nvt/severities/severity');
  }

  // A cvss_base without a vector has no known CVSS version, so it only stays in raw.
  const vector = tags.get('cvss_base_vector');
  const score = parseCvssScore(childText(nvt, 'cvss_base'), 'cvss_base', { ...position, field: 'nvt/cvss_base' });
  if (vector) addCvssRating(scores, { vector, score }, 'nvt/cvss_base');
  return scores;
}

/**
 * Lists the CVEs for the vulnerability catalog. The NVT's CVSS scores describe a CVE only when
 * it is the NVT's single CVE. The EPSS block names the CVE with the highest severity and the CVE
 * with the highest EPSS score, each with its EPSS score and percentile.
 */
function vulnerabilityFacts(cveIds: string[], scores: CvssScores, nvt: XmlElement, position: SourcePosition): VulnerabilityFacts[] {
  const facts = new Map<string, VulnerabilityFacts>(cveIds.map((cveId) => [cveId, { cveId }]));
  const single = cveIds.length === 1 ? facts.get(cveIds[0] ?? '') : undefined;
  if (single) copyCvss(scores, single);

  const epss = childElement(nvt, 'epss');
  for (const entry of epss?.children ?? []) {
    const cveId = normalizeCveId(childElement(entry, 'cve')?.attributes.id);
    if (!cveId) continue;
    const fact = facts.get(cveId) ?? { cveId };
    const field = `nvt/epss/${entry.name}`;
    const score = parseNumber(childText(entry, 'score'), `${field}/score`, { ...position, field: `${field}/score` });
    const percentile = parseNumber(childText(entry, 'percentile'), `${field}/percentile`, { ...position, field: `${field}/percentile` });
    if (score !== undefined) fact.epssScore = score;
    if (percentile !== undefined) fact.epssPercentile = percentile;
    facts.set(cveId, fact);
  }
  return [...facts.values()];
}

function childElementsOf(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? childElements(element, name) : [];
}

function positionOf(element: XmlElement): SourcePosition {
  return { line: element.line, column: element.column };
}

function resultName(result: XmlElement): string {
  return quote(result.attributes.id ?? childText(result, 'name') ?? '');
}
