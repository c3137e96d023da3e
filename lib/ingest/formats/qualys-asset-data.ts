// Parser for the Qualys VM asset data report (root element ASSET_DATA_REPORT). Layout: HEADER,
// RISK_SCORE_PER_HOST, HOST_LIST with one HOST per asset holding VULN_INFO_LIST/VULN_INFO
// detections (QID, TYPE, PORT, PROTOCOL, RESULT, FIRST_FOUND, LAST_FOUND, VULN_STATUS, …), then
// GLOSSARY/VULN_DETAILS_LIST with each QID's TITLE, SEVERITY, CVE_ID_LIST, CVSS scores, THREAT,
// IMPACT and SOLUTION, then APPENDICES.
//
// A detection has no title or severity of its own. Both are in the glossary, which comes after
// every host. To stay streaming, each host's asset is emitted as soon as the host ends. Its
// detections are kept in a compact form until the glossary has been read: QID, port, protocol,
// dates, RESULT text and a few short fields, with repeated strings shared. Then every finding is
// emitted. The glossary itself is kept as one short entry per distinct QID.
// Trade-off: memory grows with the number of detections and the length of their RESULT texts,
// while the rest of the file, hosts included, streams through. One synthetic report of 100k
// detections held about 250 bytes plus the RESULT per detection (Node 20).
// TODO: for reports with millions of detections, spill the kept detections to a temporary file
// instead of memory; below that size the in-memory form is simpler and fast enough.

import { detachString, parseIsoDate, parsePort, severityFromCvss, splitAddresses, UniqueKeys } from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord, Severity } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childElement, childText, elementToRaw, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import {
  applyCves,
  cveIdsOf,
  isFixedStatus,
  parseCategory,
  parseQualysBoolean,
  parseQualysSeverity,
  parseScoreWithVector,
  QUALYS_SOURCE,
  qualysFindingId,
  vendorReferencesOf,
  type QualysCategory,
} from './qualys-common';

const ROOT = 'ASSET_DATA_REPORT';

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  const name = path[path.length - 1] ?? '';
  const parent = path[path.length - 2];
  switch (path.length) {
    case 1:
      if (name !== ROOT) throw new ReportError('wrong_format', `root element is <${name}>, but a Qualys asset data report has <${ROOT}>`);
      return 'enter';
    case 2:
      if (name === 'HOST_LIST' || name === 'GLOSSARY') return 'enter';
      return name === 'HEADER' ? 'collect' : 'skip';
    case 3:
      return (parent === 'HOST_LIST' && name === 'HOST') || (parent === 'GLOSSARY' && name === 'VULN_DETAILS_LIST') ? 'enter' : 'skip';
    case 4:
      if (parent === 'HOST') return name === 'VULN_INFO_LIST' ? 'enter' : 'collect';
      return name === 'VULN_DETAILS' ? 'collect' : 'skip';
    case 5:
      return name === 'VULN_INFO' ? 'collect' : 'skip';
    default:
      return 'skip';
  }
}

/** A detection waiting for its glossary entry. Strings that repeat across detections are shared. */
interface KeptDetection {
  assetKey: string;
  qid: string;
  category: QualysCategory;
  port: number | undefined;
  protocol: string | undefined;
  ssl: boolean;
  firstFound: string | undefined;
  lastFound: string | undefined;
  result: string | undefined;
  /** The other VULN_INFO children (SERVICE, FQDN, TIMES_FOUND, VULN_STATUS, CVSS_FINAL, …). */
  extra: Record<string, unknown>;
  line: number;
  column: number;
}

/** The glossary's facts about one QID. */
interface GlossaryEntry {
  title?: string;
  severity?: Severity;
  category?: string;
  threat?: string;
  impact?: string;
  solution?: string;
  cveIds: string[];
  references: string[];
  cvss2Score?: number;
  cvss2Vector?: string;
  cvss3Score?: number;
  cvss3Vector?: string;
}

/** VULN_INFO children read into named fields of KeptDetection. */
const DETECTION_FIELDS = new Set(['QID', 'TYPE', 'PORT', 'PROTOCOL', 'SSL', 'FIRST_FOUND', 'LAST_FOUND', 'RESULT']);

function optionalCopy(value: string | undefined): string | undefined {
  return value === undefined ? undefined : detachString(value);
}

/** Returns one shared copy of each distinct short string, so repeated dates and statuses cost memory once. */
class StringPool {
  private readonly strings = new Map<string, string>();

  get(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const shared = this.strings.get(value);
    if (shared !== undefined) return shared;
    const copy = detachString(value);
    this.strings.set(copy, copy);
    return copy;
  }
}

class AssetDataReader {
  private readonly keys = new UniqueKeys();
  private readonly pool = new StringPool();
  private readonly glossary = new Map<string, GlossaryEntry>();
  private kept: KeptDetection[] = [];
  private hostFields: XmlElement[] = [];
  private hostDetections: KeptDetection[] = [];
  private hostPosition = { line: 0, column: 0 };
  hostCount = 0;

  startHost(line: number, column: number): void {
    this.hostCount++;
    this.hostPosition = { line, column };
    this.hostFields = [];
    this.hostDetections = [];
  }

  addHostField(element: XmlElement): void {
    this.hostFields.push(element);
  }

  /** Keeps a detection of the current host, except one Qualys has verified as fixed. */
  addDetection(element: XmlElement): void {
    const position = { line: element.line, column: element.column };
    const qid = childText(element, 'QID');
    if (!qid) throw new ReportError('malformed', 'VULN_INFO has no QID', position);

    const extra: Record<string, unknown> = {};
    for (const child of element.children) {
      if (!DETECTION_FIELDS.has(child.name)) appendRaw(extra, child.name, child.children.length > 0 ? elementToRaw(child) : this.pool.get(child.text.trim()));
    }
    // A detection reported as Fixed is left out, because the model cannot mark it fixed (see isFixedStatus).
    if (isFixedStatus(typeof extra.VULN_STATUS === 'string' ? extra.VULN_STATUS : undefined)) return;

    const firstFound = childText(element, 'FIRST_FOUND');
    const lastFound = childText(element, 'LAST_FOUND');
    parseIsoDate(firstFound, 'FIRST_FOUND', position);
    parseIsoDate(lastFound, 'LAST_FOUND', position);
    this.hostDetections.push({
      assetKey: '',
      qid: this.pool.get(qid) ?? qid,
      category: parseCategory(childText(element, 'TYPE'), position),
      port: parsePort(childText(element, 'PORT'), 'PORT', position),
      protocol: this.pool.get(childText(element, 'PROTOCOL')?.toLowerCase()),
      ssl: parseQualysBoolean(childText(element, 'SSL')),
      firstFound: this.pool.get(firstFound),
      lastFound: this.pool.get(lastFound),
      result: optionalCopy(childText(element, 'RESULT')),
      extra,
      line: element.line,
      column: element.column,
    });
  }

  /** Builds the asset of the host that just ended and moves its detections to the kept list. */
  endHost(): AssetRecord {
    const asset = hostAsset(this.keys, this.hostFields, this.hostDetections, this.hostPosition);
    for (const detection of this.hostDetections) {
      detection.assetKey = asset.reportKey;
      this.kept.push(detection);
    }
    this.hostFields = [];
    this.hostDetections = [];
    return asset;
  }

  addGlossaryEntry(element: XmlElement): void {
    const position = { line: element.line, column: element.column };
    const qid = childText(element, 'QID');
    if (!qid) throw new ReportError('malformed', 'VULN_DETAILS has no QID', position);

    const cvssScore = childElement(element, 'CVSS_SCORE');
    const cvss3Score = childElement(element, 'CVSS3_SCORE');
    const cvss2 = parseScoreWithVector(cvssScore && childText(cvssScore, 'CVSS_BASE'), 'CVSS_BASE', position);
    const cvss3 = parseScoreWithVector(cvss3Score && childText(cvss3Score, 'CVSS3_BASE'), 'CVSS3_BASE', position);
    // Entries live until the end of the file, so their strings are copied out of the parser's chunks.
    const entry: GlossaryEntry = {
      cveIds: cveIdsOf(element).map(detachString),
      references: vendorReferencesOf(element).map(detachString),
    };
    const title = optionalCopy(childText(element, 'TITLE'));
    if (title) entry.title = title;
    const severity = parseQualysSeverity(childText(element, 'SEVERITY'), 'SEVERITY', position);
    if (severity) entry.severity = severity;
    const category = this.pool.get(childText(element, 'CATEGORY'));
    if (category) entry.category = category;
    const threat = optionalCopy(childText(element, 'THREAT'));
    if (threat) entry.threat = threat;
    const impact = this.pool.get(childText(element, 'IMPACT'));
    if (impact) entry.impact = impact;
    const solution = optionalCopy(childText(element, 'SOLUTION'));
    if (solution) entry.solution = solution;
    if (cvss2.score !== undefined) entry.cvss2Score = cvss2.score;
    if (cvss2.vector) entry.cvss2Vector = detachString(cvss2.vector);
    if (cvss3.score !== undefined) entry.cvss3Score = cvss3.score;
    if (cvss3.vector) entry.cvss3Vector = detachString(cvss3.vector);
    this.glossary.set(detachString(qid), entry);
  }

  /** Yields the finding of every kept detection, joined with the glossary, and empties the kept list. */
  *takeFindings(): Generator<ReportRecord> {
    const kept = this.kept;
    this.kept = [];
    for (const detection of kept) {
      yield { kind: 'finding', finding: detectionFinding(detection, this.glossary.get(detection.qid)) };
    }
  }
}

function hostAsset(keys: UniqueKeys, fields: XmlElement[], detections: KeptDetection[], position: { line: number; column: number }): AssetRecord {
  const values = new Map<string, string>();
  const raw: Record<string, unknown> = {};
  for (const field of fields) {
    const text = field.text.trim();
    if (field.children.length === 0 && text && !values.has(field.name)) values.set(field.name, text);
    if (!HOST_FIELDS.has(field.name)) appendRaw(raw, field.name, elementToRaw(field));
  }

  const ip = values.get('IP');
  const dns = values.get('DNS');
  const netbios = values.get('NETBIOS');
  const name = dns ?? netbios ?? ip ?? values.get('IPV6');
  if (!name) throw new ReportError('malformed', 'HOST has no IP, IPV6, DNS or NETBIOS element to name it by', position);

  const asset: AssetRecord = { reportKey: keys.next(name), name, kind: 'host', ...splitAddresses([ip, values.get('IPV6')]), raw };
  // DNS is the host's DNS name, which is an FQDN when it has a dot.
  if (dns?.includes('.')) asset.fqdn = dns;
  const hostname = netbios ?? (dns && !dns.includes('.') ? dns : undefined);
  if (hostname) asset.hostname = hostname;
  const os = values.get('OPERATING_SYSTEM');
  if (os) asset.os = os;
  const agentId = values.get('QG_HOSTID');
  if (agentId) asset.agentId = agentId;
  const instanceId = values.get('EC2_INSTANCE_ID');
  if (instanceId) asset.cloudInstanceId = instanceId;

  // The report has no scan date per host; its detections' first and last dates bound when it was seen.
  for (const detection of detections) {
    const first = parseIsoDate(detection.firstFound, 'FIRST_FOUND');
    const last = parseIsoDate(detection.lastFound, 'LAST_FOUND');
    if (first && (!asset.firstSeen || first < asset.firstSeen)) asset.firstSeen = first;
    if (last && (!asset.lastSeen || last > asset.lastSeen)) asset.lastSeen = last;
  }
  return asset;
}

/** HOST children that map to asset fields; all others go to the asset's `raw`. */
const HOST_FIELDS = new Set(['IP', 'IPV6', 'DNS', 'NETBIOS', 'OPERATING_SYSTEM', 'QG_HOSTID', 'EC2_INSTANCE_ID']);

function detectionFinding(detection: KeptDetection, entry: GlossaryEntry | undefined): FindingRecord {
  const position = { line: detection.line, column: detection.column };
  const raw: Record<string, unknown> = { qualysType: detection.category, ...detection.extra };
  if (detection.ssl) raw.ssl = true;
  if (detection.result !== undefined) raw.RESULT = detection.result;
  if (entry?.category) raw.CATEGORY = entry.category;
  if (entry?.impact) raw.IMPACT = entry.impact;
  if (entry?.severity !== undefined) raw.qualysSeverity = entry.severity;

  const finding: FindingRecord = {
    assetKey: detection.assetKey,
    type: 'vulnerability',
    vendorId: detection.qid,
    sourceFindingId: qualysFindingId(detection.qid, detection.port, detection.protocol, detection.ssl),
    title: entry?.title ?? `QID ${detection.qid}`,
    severity: severityOf(detection, entry, raw),
    raw,
    position,
  };
  if (detection.port !== undefined) finding.port = detection.port;
  if (detection.protocol) finding.protocol = detection.protocol;
  const firstSeen = parseIsoDate(detection.firstFound, 'FIRST_FOUND', position);
  if (firstSeen) finding.firstSeen = firstSeen;
  const lastSeen = parseIsoDate(detection.lastFound, 'LAST_FOUND', position);
  if (lastSeen) finding.lastSeen = lastSeen;
  if (!entry) return finding;

  if (entry.threat) finding.description = entry.threat;
  if (entry.solution) finding.solution = entry.solution;
  if (entry.references.length > 0) finding.references = entry.references;
  if (entry.cvss2Score !== undefined) finding.cvss2BaseScore = entry.cvss2Score;
  if (entry.cvss2Vector) finding.cvss2Vector = entry.cvss2Vector;
  if (entry.cvss3Score !== undefined) finding.cvss3BaseScore = entry.cvss3Score;
  if (entry.cvss3Vector) finding.cvss3Vector = entry.cvss3Vector;
  applyCves(finding, entry.cveIds);
  return finding;
}

/**
 * Returns severity 1 for information gathered and the glossary SEVERITY for a vulnerability.
 * When the glossary lacks the QID, the detection's own CVSS3_FINAL or CVSS_FINAL decides. Without
 * either, the severity is assumed medium and `raw.severityAssumed` is set.
 */
function severityOf(detection: KeptDetection, entry: GlossaryEntry | undefined, raw: Record<string, unknown>): Severity {
  if (detection.category === 'information') return 1;
  if (entry?.severity !== undefined) return entry.severity;

  for (const field of ['CVSS3_FINAL', 'CVSS_FINAL']) {
    const value = detection.extra[field];
    const score = typeof value === 'string' ? Number(value) : Number.NaN;
    if (value !== '' && value !== '-' && Number.isFinite(score) && score >= 0 && score <= 10) return severityFromCvss(score);
  }
  // NOTE: medium is a guess; it only happens for a report whose glossary misses a reported QID.
  raw.severityAssumed = true;
  return 3;
}

export const qualysAssetDataParser: ReportParser = {
  format: 'qualys-asset-data',
  source: QUALYS_SOURCE,

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'qualys-asset-data', source: QUALYS_SOURCE });
    const reader = new AssetDataReader();

    for await (const event of streamXml(input, selectElement)) {
      if (event.kind === 'open') {
        if (event.name === 'HOST') reader.startHost(event.line, event.column);
      } else if (event.kind === 'close') {
        if (event.name === 'HOST') yield { kind: 'asset', asset: reader.endHost() };
        else if (event.name === 'GLOSSARY') yield* reader.takeFindings();
      } else {
        const element = event.element;
        if (element.name === 'HEADER') {
          const title = childText(element, 'TEMPLATE');
          if (title) onMetadata({ title });
        } else if (element.name === 'VULN_DETAILS') {
          reader.addGlossaryEntry(element);
        } else if (element.name === 'VULN_INFO') {
          reader.addDetection(element);
        } else {
          reader.addHostField(element);
        }
      }
    }

    if (reader.hostCount === 0) throw new ReportError('empty', 'Qualys asset data report contains no hosts (no HOST elements)');
    // A report without a GLOSSARY still yields its findings, titled `QID <n>`.
    yield* reader.takeFindings();
  },
};
