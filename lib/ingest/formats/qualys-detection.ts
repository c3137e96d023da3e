// Parser for the output of the Qualys VM host list detection API
// (`/api/2.0/fo/asset/host/vm/detection/`, root element HOST_LIST_VM_DETECTION_OUTPUT).
// Layout: RESPONSE > (DATETIME, HOST_LIST > HOST*, WARNING?). Each HOST lists its fields (ID, IP,
// IPV6, TRACKING_METHOD, DNS, DNS_DATA, NETBIOS, OS, QG_HOSTID, LAST_SCAN_DATETIME, …) and then
// DETECTION_LIST > DETECTION* (QID, TYPE, SEVERITY, PORT, PROTOCOL, SSL, RESULTS, STATUS,
// FIRST_FOUND_DATETIME, LAST_FOUND_DATETIME, UNIQUE_VULN_ID, …).
// Titles are not in this output (they are in the KnowledgeBase), so each finding is titled
// `QID <n>`. Confirmed and potential detections become findings at their severity, Info
// detections become severity-1 findings (see qualys-common.ts).

import { parseIsoDate, parsePort, splitAddresses, UniqueKeys } from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childText, elementToRaw, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import {
  isFixedStatus,
  parseCategory,
  parseQualysBoolean,
  parseQualysSeverity,
  QUALYS_SOURCE,
  qualysFindingId,
} from './qualys-common';

const ROOT = 'HOST_LIST_VM_DETECTION_OUTPUT';

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  const name = path[path.length - 1] ?? '';
  switch (path.length) {
    case 1:
      if (name !== ROOT) throw new ReportError('wrong_format', `root element is <${name}>, but a Qualys host list detection output has <${ROOT}>`);
      return 'enter';
    case 2:
      return name === 'RESPONSE' ? 'enter' : 'skip';
    case 3:
      if (name === 'HOST_LIST') return 'enter';
      return name === 'DATETIME' || name === 'WARNING' ? 'collect' : 'skip';
    case 4:
      return name === 'HOST' ? 'enter' : 'skip';
    case 5:
      return name === 'DETECTION_LIST' ? 'enter' : 'collect';
    case 6:
      return name === 'DETECTION' ? 'collect' : 'skip';
    default:
      return 'skip';
  }
}

interface HostState {
  fields: XmlElement[];
  line: number;
  column: number;
  asset?: AssetRecord;
}

export const qualysDetectionParser: ReportParser = {
  format: 'qualys-detection',
  source: QUALYS_SOURCE,

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'qualys-detection', source: QUALYS_SOURCE });
    const keys = new UniqueKeys();
    let host: HostState | undefined;
    let hostCount = 0;

    for await (const event of streamXml(input, selectElement)) {
      if (event.kind === 'open') {
        if (event.name === 'HOST') {
          hostCount++;
          host = { fields: [], line: event.line, column: event.column };
        } else if (event.name === 'DETECTION_LIST' && host && !host.asset) {
          // The host's fields all come before DETECTION_LIST, so the asset is complete here.
          host.asset = hostAsset(keys, host);
          yield { kind: 'asset', asset: host.asset };
        }
        continue;
      }

      if (event.kind === 'close') {
        if (event.name === 'HOST' && host) {
          if (!host.asset) yield { kind: 'asset', asset: hostAsset(keys, host) };
          host = undefined;
        }
        continue;
      }

      const element = event.element;
      if (element.name === 'DETECTION' && host?.asset) {
        const finding = detectionFinding(host.asset.reportKey, element);
        if (finding) yield { kind: 'finding', finding };
      } else if (host && event.path.length === 5) {
        // NOTE: fields after DETECTION_LIST are not in Qualys's DTD and would miss the emitted asset.
        host.fields.push(element);
      }
      // DATETIME is when the API sent the response, not when hosts were scanned, so it is not the
      // scan date. A WARNING contains the URL of the next page of a truncated response.
      // TODO: warn the user when a WARNING shows the output is only one page of hosts.
    }

    if (hostCount === 0) throw new ReportError('empty', 'Qualys host list detection output contains no hosts (no HOST elements)');
  },
};

/** HOST children that map to asset fields; all others go to the asset's `raw`. */
const HOST_FIELDS = new Set(['IP', 'IPV6', 'DNS', 'NETBIOS', 'OS', 'QG_HOSTID', 'LAST_SCAN_DATETIME', 'EC2_INSTANCE_ID']);

function hostAsset(keys: UniqueKeys, host: HostState): AssetRecord {
  const position = { line: host.line, column: host.column };
  const values = new Map<string, string>();
  const raw: Record<string, unknown> = {};
  let dnsData: XmlElement | undefined;
  for (const field of host.fields) {
    const text = field.text.trim();
    if (field.children.length === 0 && text && !values.has(field.name)) values.set(field.name, text);
    if (field.name === 'DNS_DATA') dnsData = field;
    if (!HOST_FIELDS.has(field.name)) appendRaw(raw, field.name, elementToRaw(field));
  }

  const ip = values.get('IP');
  const ipv6 = values.get('IPV6');
  const fqdn = (dnsData && childText(dnsData, 'FQDN')) ?? (values.get('DNS')?.includes('.') ? values.get('DNS') : undefined);
  const hostname = values.get('NETBIOS') ?? (dnsData && childText(dnsData, 'HOSTNAME')) ?? values.get('DNS');
  const name = fqdn ?? hostname ?? ip ?? ipv6 ?? values.get('ID');
  if (!name) throw new ReportError('malformed', 'HOST has no IP, IPV6, DNS, NETBIOS or ID element to name it by', position);

  const asset: AssetRecord = { reportKey: keys.next(values.get('ID') ?? name), name, kind: 'host', ...splitAddresses([ip, ipv6]), raw };
  if (fqdn) asset.fqdn = fqdn;
  if (hostname) asset.hostname = hostname;
  const os = values.get('OS');
  if (os) asset.os = os;
  const agentId = values.get('QG_HOSTID');
  if (agentId) asset.agentId = agentId;
  const instanceId = values.get('EC2_INSTANCE_ID');
  if (instanceId) asset.cloudInstanceId = instanceId;
  const lastScan = parseIsoDate(values.get('LAST_SCAN_DATETIME'), 'LAST_SCAN_DATETIME', position);
  if (lastScan) asset.lastSeen = lastScan;
  return asset;
}

/** DETECTION children that map to finding fields; all others go to the finding's `raw`. */
const DETECTION_FIELDS = new Set(['QID', 'TYPE', 'SEVERITY', 'PORT', 'PROTOCOL', 'SSL', 'FIRST_FOUND_DATETIME', 'LAST_FOUND_DATETIME']);

/** Builds the finding of one DETECTION; returns undefined for a detection Qualys reports as fixed. */
function detectionFinding(assetKey: string, detection: XmlElement): FindingRecord | undefined {
  const position = { line: detection.line, column: detection.column };
  const qid = childText(detection, 'QID');
  if (!qid) throw new ReportError('malformed', 'DETECTION has no QID', position);
  // A detection reported as Fixed is left out, because the model cannot mark it fixed (see isFixedStatus).
  if (isFixedStatus(childText(detection, 'STATUS'))) return undefined;

  const category = parseCategory(childText(detection, 'TYPE'), position);
  const qualysSeverity = parseQualysSeverity(childText(detection, 'SEVERITY'), 'SEVERITY', position);
  if (qualysSeverity === undefined && category !== 'information') {
    throw new ReportError('invalid_field', `DETECTION of QID ${qid} has no SEVERITY`, { ...position, field: 'SEVERITY' });
  }
  const port = parsePort(childText(detection, 'PORT'), 'PORT', position);
  const protocol = childText(detection, 'PROTOCOL')?.toLowerCase();
  const ssl = parseQualysBoolean(childText(detection, 'SSL'));

  const raw: Record<string, unknown> = { qualysType: category };
  if (qualysSeverity !== undefined) raw.qualysSeverity = qualysSeverity;
  if (ssl) raw.ssl = true;
  for (const child of detection.children) {
    if (!DETECTION_FIELDS.has(child.name)) appendRaw(raw, child.name, elementToRaw(child));
  }

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: qid,
    // UNIQUE_VULN_ID is Qualys's own id of this detection and stays the same across scans.
    sourceFindingId: childText(detection, 'UNIQUE_VULN_ID') ?? qualysFindingId(qid, port, protocol, ssl),
    title: `QID ${qid}`,
    severity: category === 'information' || qualysSeverity === undefined ? 1 : qualysSeverity,
    raw,
    position,
  };
  if (port !== undefined) finding.port = port;
  if (protocol) finding.protocol = protocol;
  const firstSeen = parseIsoDate(childText(detection, 'FIRST_FOUND_DATETIME'), 'FIRST_FOUND_DATETIME', position);
  if (firstSeen) finding.firstSeen = firstSeen;
  const lastSeen = parseIsoDate(childText(detection, 'LAST_FOUND_DATETIME'), 'LAST_FOUND_DATETIME', position);
  if (lastSeen) finding.lastSeen = lastSeen;
  return finding;
}
