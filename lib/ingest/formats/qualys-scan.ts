// Parser for Qualys VM scan results in the `scan-1.dtd` layout (root element SCAN), as
// downloaded from the scan list of the Qualys web UI. Layout: HEADER with KEY elements, then
// one IP element per host holding OS and the categories INFOS, SERVICES, VULNS and PRACTICES,
// each with CAT groups (attributes value, port, protocol, fqdn) of INFO, SERVICE, VULN or
// PRACTICE entries (attributes number = QID, severity, cveid).
// VULNS (confirmed) and PRACTICES (potential) become findings at their severity; INFOS and
// SERVICES are information gathered and become severity-1 findings (see qualys-common.ts).

import { normalizeCveId, parseIsoDate, parsePort, splitAddresses, unique, UniqueKeys } from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childText, elementToRaw, nonBlank, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import {
  applyCves,
  cveIdsOf,
  parseQualysSeverity,
  parseScoreWithVector,
  QUALYS_SOURCE,
  qualysFindingId,
  vendorReferencesOf,
  type QualysCategory,
} from './qualys-common';

const ROOT = 'SCAN';

/** Category containers of an IP element, the entry element inside each, and its category. */
const CATEGORY_CONTAINERS: Record<string, { entry: string; category: QualysCategory }> = {
  VULNS: { entry: 'VULN', category: 'confirmed' },
  PRACTICES: { entry: 'PRACTICE', category: 'potential' },
  INFOS: { entry: 'INFO', category: 'information' },
  SERVICES: { entry: 'SERVICE', category: 'information' },
};

/** Qualys writes this in place of a DNS name when the address has none. */
const NO_HOSTNAME = 'No registered hostname';

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  const name = path[path.length - 1] ?? '';
  switch (path.length) {
    case 1:
      if (name !== ROOT) throw new ReportError('wrong_format', `root element is <${name}>, but a Qualys scan report has <${ROOT}>`);
      return 'enter';
    case 2:
      if (name === 'IP') return 'enter';
      return name === 'HEADER' || name === 'ERROR' ? 'collect' : 'skip';
    case 3:
      return name in CATEGORY_CONTAINERS ? 'enter' : 'collect';
    case 4:
      return name === 'CAT' ? 'enter' : 'skip';
    case 5: {
      const container = CATEGORY_CONTAINERS[path[2] ?? ''];
      return container?.entry === name ? 'collect' : 'skip';
    }
    default:
      return 'skip';
  }
}

interface HostState {
  asset: AssetRecord;
  emitted: boolean;
}

export const qualysScanParser: ReportParser = {
  format: 'qualys-scan',
  source: QUALYS_SOURCE,

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'qualys-scan', source: QUALYS_SOURCE });
    const keys = new UniqueKeys();
    let host: HostState | undefined;
    let hostCount = 0;
    let category: Record<string, string> = {};
    let scanError: string | undefined;

    for await (const event of streamXml(input, selectElement)) {
      if (event.kind === 'open') {
        if (event.name === 'IP') {
          hostCount++;
          host = { asset: hostAsset(keys, event.attributes, event), emitted: false };
        } else if (event.name === 'CAT') {
          category = event.attributes;
        } else if (host && !host.emitted && event.name in CATEGORY_CONTAINERS) {
          // IP lists its OS and names before the categories, so the asset is complete here.
          host.emitted = true;
          yield { kind: 'asset', asset: host.asset };
        }
        continue;
      }

      if (event.kind === 'close') {
        if (event.name === 'IP' && host) {
          if (!host.emitted) yield { kind: 'asset', asset: host.asset };
          host = undefined;
        }
        continue;
      }

      const element = event.element;
      if (event.path.length === 2) {
        if (element.name === 'HEADER') onMetadata(headerMetadata(element));
        else scanError = element.text.trim();
      } else if (host && event.path.length === 3) {
        addHostField(host.asset, element);
      } else if (host) {
        const container = CATEGORY_CONTAINERS[event.path[2] ?? ''];
        if (container) yield { kind: 'finding', finding: entryFinding(host.asset.reportKey, element, container.category, category) };
      }
    }

    if (hostCount === 0) {
      const reason = scanError ? `; the scan reported an error: ${scanError}` : '';
      throw new ReportError('empty', `Qualys scan report contains no hosts (no IP elements)${reason}`);
    }
  },
};

function hostAsset(keys: UniqueKeys, attributes: Record<string, string>, position: { line: number; column: number }): AssetRecord {
  const address = nonBlank(attributes.value);
  if (!address) throw new ReportError('malformed', 'IP element has no value attribute', { line: position.line, column: position.column });

  const dnsName = nonBlank(attributes.name);
  const fqdn = dnsName && dnsName !== NO_HOSTNAME ? dnsName : undefined;
  const raw: Record<string, unknown> = {};
  if (attributes.status) raw.status = attributes.status;
  const asset: AssetRecord = {
    reportKey: keys.next(address),
    name: fqdn ?? address,
    kind: 'host',
    ...splitAddresses([address]),
    raw,
  };
  if (fqdn) asset.fqdn = fqdn;
  return asset;
}

function addHostField(asset: AssetRecord, element: XmlElement): void {
  const text = element.text.trim();
  if (element.name === 'OS' && text) asset.os = text;
  else if (element.name === 'NETBIOS_HOSTNAME' && text) asset.hostname = text;
  else appendRaw((asset.raw ??= {}), element.name, elementToRaw(element));
}

/** Reads the title and scan date from HEADER's `<KEY value="DATE">` and `<KEY value="TITLE">`. */
function headerMetadata(header: XmlElement): { title?: string; scannedAt?: Date } {
  const metadata: { title?: string; scannedAt?: Date } = {};
  for (const key of header.children) {
    if (key.name !== 'KEY') continue;
    const text = key.text.trim();
    if (key.attributes.value === 'TITLE' && text) metadata.title = text;
    if (key.attributes.value === 'DATE') {
      const date = parseIsoDate(text, 'HEADER/KEY[DATE]', { line: key.line, column: key.column });
      if (date) metadata.scannedAt = date;
    }
  }
  return metadata;
}

/** Children of an entry that map to finding fields; all others go to the finding's `raw`. */
const MAPPED_CHILDREN = new Set(['TITLE', 'DIAGNOSIS', 'SOLUTION', 'CVSS_BASE', 'CVSS3_BASE', 'CVE_ID_LIST', 'VENDOR_REFERENCE_LIST']);

function entryFinding(assetKey: string, entry: XmlElement, category: QualysCategory, group: Record<string, string>): FindingRecord {
  const position = { line: entry.line, column: entry.column };
  const qid = nonBlank(entry.attributes.number);
  if (!qid) throw new ReportError('malformed', `${entry.name} has no number attribute (the QID)`, position);

  const qualysSeverity = parseQualysSeverity(entry.attributes.severity, 'severity', position);
  if (qualysSeverity === undefined && category !== 'information') {
    throw new ReportError('invalid_field', `${entry.name} ${qid} has no severity attribute`, { ...position, field: 'severity' });
  }
  const port = parsePort(group.port, 'CAT port', position);
  const protocol = nonBlank(group.protocol)?.toLowerCase();
  // Fields read from the report keep Qualys's element names; qualysType and qualysSeverity are this parser's.
  const raw: Record<string, unknown> = { qualysType: category, CATEGORY: group.value };
  if (qualysSeverity !== undefined) raw.qualysSeverity = qualysSeverity;
  if (group.fqdn) raw.FQDN = group.fqdn;
  if (group.misc) raw.MISC = group.misc;
  for (const child of entry.children) {
    if (MAPPED_CHILDREN.has(child.name)) continue;
    // RESULT has a `format` attribute that only sets how Qualys displays it, so the text is kept alone.
    appendRaw(raw, child.name, child.name === 'RESULT' ? child.text : elementToRaw(child));
  }

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: qid,
    sourceFindingId: qualysFindingId(qid, port, protocol, false),
    title: childText(entry, 'TITLE') ?? `QID ${qid}`,
    severity: category === 'information' || qualysSeverity === undefined ? 1 : qualysSeverity,
    raw,
    position,
  };
  if (port !== undefined) finding.port = port;
  if (protocol) finding.protocol = protocol;
  const description = childText(entry, 'DIAGNOSIS');
  if (description) finding.description = description;
  const solution = childText(entry, 'SOLUTION');
  if (solution) finding.solution = solution;
  const references = vendorReferencesOf(entry);
  if (references.length > 0) finding.references = references;

  const cvss2 = parseScoreWithVector(childText(entry, 'CVSS_BASE'), 'CVSS_BASE', position);
  if (cvss2.score !== undefined) finding.cvss2BaseScore = cvss2.score;
  if (cvss2.vector) finding.cvss2Vector = cvss2.vector;
  const cvss3 = parseScoreWithVector(childText(entry, 'CVSS3_BASE'), 'CVSS3_BASE', position);
  if (cvss3.score !== undefined) finding.cvss3BaseScore = cvss3.score;
  if (cvss3.vector) finding.cvss3Vector = cvss3.vector;

  // The cveid attribute repeats CVE_ID_LIST as a comma-separated list; either may be missing.
  const listed = cveIdsOf(entry);
  const fromAttribute = (entry.attributes.cveid ?? '').split(',').map(normalizeCveId);
  applyCves(finding, unique([...listed, ...fromAttribute.filter((id): id is string => id !== undefined)]));
  return finding;
}
