// Parser for Tenable Nessus `.nessus` files, version 2 (root element NessusClientData_v2).
// Layout: Policy (skipped), then Report > ReportHost* > (HostProperties, ReportItem*). Each
// ReportHost becomes an asset and each ReportItem a finding. Informational plugins (severity 0)
// are kept as severity-1 findings, because Nessus lists them beside the vulnerabilities.

import {
  normalizeCveId,
  normalizeCweId,
  parseCvssScore,
  parseNumber,
  parsePort,
  quote,
  splitAddresses,
  splitLines,
  unique,
  UniqueKeys,
} from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord, Severity, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, elementToRaw, nonBlank, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import { copyCvssScores } from './cvss-facts';

const ROOT = 'NessusClientData_v2';

/** Nessus severity 0 (info) to 4 (critical) on the product's 1–5 scale. */
const SEVERITIES: Record<string, Severity> = { '0': 1, '1': 2, '2': 3, '3': 4, '4': 5 };

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** HostProperties tags that map to asset fields; all others go to the asset's `raw`. */
const MAPPED_HOST_TAGS = new Set([
  'host-ip',
  'host-fqdn',
  'netbios-name',
  'hostname',
  'mac-address',
  'operating-system',
  'HOST_START',
  'HOST_END',
  'HOST_START_TIMESTAMP',
  'HOST_END_TIMESTAMP',
]);

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  switch (path.length) {
    case 1:
      if (path[0] !== ROOT) {
        throw new ReportError('wrong_format', `root element is <${path[0]}>, but a Nessus v2 report has <${ROOT}>`);
      }
      return 'enter';
    case 2:
      return path[1] === 'Report' ? 'enter' : 'skip';
    case 3:
      return path[2] === 'ReportHost' ? 'enter' : 'skip';
    case 4:
      return path[3] === 'HostProperties' || path[3] === 'ReportItem' ? 'collect' : 'skip';
    default:
      return 'skip';
  }
}

/** The host being read: its asset is emitted once, from HostProperties or at its first item. */
interface HostState {
  name: string;
  reportKey: string;
  assetEmitted: boolean;
}

export const nessusParser: ReportParser = {
  format: 'nessus',
  source: 'Nessus',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'nessus', source: 'Nessus' });
    const keys = new UniqueKeys();
    let host: HostState | undefined;
    let hostCount = 0;
    let earliestStart: Date | undefined;

    for await (const event of streamXml(input, selectElement)) {
      if (event.kind === 'open') {
        if (event.name === 'Report' && event.attributes.name) {
          onMetadata({ title: event.attributes.name });
        } else if (event.name === 'ReportHost') {
          const name = nonBlank(event.attributes.name);
          if (!name) {
            throw new ReportError('malformed', 'ReportHost has no name attribute', { line: event.line, column: event.column });
          }
          hostCount++;
          host = { name, reportKey: keys.next(name), assetEmitted: false };
        }
        continue;
      }

      if (event.kind === 'close') {
        if (event.name === 'ReportHost' && host) {
          if (!host.assetEmitted) yield { kind: 'asset', asset: basicAsset(host) };
          host = undefined;
        }
        continue;
      }

      // A collected element is always inside a ReportHost, because only depth 4 is collected.
      if (!host) continue;
      const element = event.element;
      if (element.name === 'HostProperties') {
        if (host.assetEmitted) continue;
        const asset = assetFromProperties(host, element);
        host.assetEmitted = true;
        if (asset.firstSeen && (!earliestStart || asset.firstSeen < earliestStart)) {
          earliestStart = asset.firstSeen;
          onMetadata({ scannedAt: earliestStart });
        }
        yield { kind: 'asset', asset };
      } else {
        if (!host.assetEmitted) {
          host.assetEmitted = true;
          yield { kind: 'asset', asset: basicAsset(host) };
        }
        const finding = findingFromItem(host.reportKey, element);
        if (finding) yield { kind: 'finding', finding };
      }
    }

    if (hostCount === 0) throw new ReportError('empty', 'Nessus report contains no hosts (no ReportHost elements)');
  },
};

function basicAsset(host: HostState): AssetRecord {
  return { reportKey: host.reportKey, name: host.name, kind: 'host', ...splitAddresses([host.name]) };
}

function assetFromProperties(host: HostState, properties: XmlElement): AssetRecord {
  const tags = new Map<string, string>();
  const raw: Record<string, unknown> = {};
  for (const tag of properties.children) {
    const name = tag.attributes.name;
    if (tag.name !== 'tag' || !name) continue;
    const value = tag.text.trim();
    tags.set(name, value);
    if (!MAPPED_HOST_TAGS.has(name)) appendRaw(raw, name, value);
  }

  const position = { line: properties.line, column: properties.column };
  const addresses = splitAddresses([tags.get('host-ip'), host.name]);
  const macs = unique(splitLines(tags.get('mac-address')).map((mac) => mac.toLowerCase()));
  const osLines = splitLines(tags.get('operating-system'));
  // Nessus lists several candidate operating systems, one per line, when it cannot tell them apart.
  if (osLines.length > 1) raw['operating-system'] = tags.get('operating-system');

  const asset: AssetRecord = {
    reportKey: host.reportKey,
    name: host.name,
    kind: 'host',
    ...addresses,
    raw,
  };
  const fqdn = nonBlank(tags.get('host-fqdn'));
  if (fqdn) asset.fqdn = fqdn;
  const hostname = nonBlank(tags.get('netbios-name')) ?? nonBlank(tags.get('hostname'));
  if (hostname) asset.hostname = hostname;
  if (macs.length > 0) asset.mac = macs;
  if (osLines[0]) asset.os = osLines[0];

  const firstSeen = hostTime(tags, 'HOST_START', position);
  if (firstSeen) asset.firstSeen = firstSeen;
  const lastSeen = hostTime(tags, 'HOST_END', position);
  if (lastSeen) asset.lastSeen = lastSeen;
  return asset;
}

/**
 * Reads HOST_START or HOST_END, preferring the `_TIMESTAMP` variant (Unix seconds) that newer
 * Nessus versions add beside the text date.
 */
function hostTime(tags: Map<string, string>, name: 'HOST_START' | 'HOST_END', position: { line: number; column: number }): Date | undefined {
  const seconds = parseNumber(tags.get(`${name}_TIMESTAMP`), `${name}_TIMESTAMP`, position);
  if (seconds !== undefined) return new Date(seconds * 1000);

  const text = nonBlank(tags.get(name));
  if (!text) return undefined;
  const date = parseNessusDate(text);
  if (!date) {
    throw new ReportError('invalid_field', `${name} is not a date like "Thu Jun 13 19:49:16 2013": ${quote(text)}`, { ...position, field: name });
  }
  return date;
}

/**
 * Parses Nessus's ctime-style date, e.g. `Mon Jul  1 11:40:48 2013`.
 * NOTE: the text carries no time zone (Nessus writes the scanner's local time), so it is read as
 * UTC; hosts from newer Nessus versions use HOST_START_TIMESTAMP instead and are exact.
 */
export function parseNessusDate(text: string): Date | undefined {
  const match = /^(?:[A-Za-z]{3}\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(text.trim());
  if (!match) return undefined;
  const [, monthName = '', day, hour, minute, second, year] = match;
  const month = MONTHS[monthName];
  if (month === undefined) return undefined;

  const date = new Date(Date.UTC(Number(year), month, Number(day), Number(hour), Number(minute), Number(second)));
  // Date.UTC rolls over out-of-range parts (Feb 31 becomes Mar 3); reject those instead.
  if (date.getUTCDate() !== Number(day) || date.getUTCHours() !== Number(hour)) return undefined;
  return date;
}

/** ReportItem children that map to finding fields; all others go to the finding's `raw`. */
const MAPPED_ITEM_CHILDREN = new Set([
  'cve',
  'cwe',
  'cvss_base_score',
  'cvss_vector',
  'cvss3_base_score',
  'cvss3_vector',
  'cvss4_base_score',
  'cvss4_vector',
  'description',
  'solution',
  'see_also',
  'plugin_name',
]);

/** Builds the finding for one ReportItem; returns undefined for a compliance check that passed. */
function findingFromItem(assetKey: string, item: XmlElement): FindingRecord | undefined {
  const position = { line: item.line, column: item.column };
  const pluginId = nonBlank(item.attributes.pluginID);
  if (!pluginId) throw new ReportError('malformed', 'ReportItem has no pluginID attribute', position);

  const severityText = item.attributes.severity?.trim() ?? '';
  const severity = SEVERITIES[severityText];
  if (!severity) {
    throw new ReportError('invalid_field', `ReportItem ${pluginId} has severity ${quote(severityText)}; Nessus severities are 0 to 4`, { ...position, field: 'severity' });
  }

  const port = parsePort(item.attributes.port, 'port', position);
  const protocol = nonBlank(item.attributes.protocol)?.toLowerCase();
  const texts = new Map<string, string>();
  const cves: string[] = [];
  const cwes: string[] = [];
  const raw: Record<string, unknown> = {};
  if (item.attributes.svc_name) raw.svc_name = item.attributes.svc_name;
  if (item.attributes.pluginFamily) raw.pluginFamily = item.attributes.pluginFamily;

  for (const child of item.children) {
    const text = child.text.trim();
    if (child.name === 'cve') {
      const cve = normalizeCveId(text);
      if (cve) cves.push(cve);
      // A value that is no CVE id is not stored as one, but kept as the report wrote it.
      else if (text) appendRaw(raw, 'invalid_cve', text);
    } else if (child.name === 'cwe') {
      const cwe = normalizeCweId(text);
      if (cwe) cwes.push(cwe);
    } else if (child.name === 'xref' && /^CWE:/i.test(text)) {
      const cwe = normalizeCweId(text);
      if (cwe) cwes.push(cwe);
    }

    if (MAPPED_ITEM_CHILDREN.has(child.name)) {
      if (text) texts.set(child.name, text);
    } else {
      appendRaw(raw, child.name, elementToRaw(child));
    }
  }

  const cveIds = unique(cves);
  const cweIds = unique(cwes);
  const references = splitLines(texts.get('see_also'));
  const solution = texts.get('solution');
  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: pluginId,
    sourceFindingId: `${pluginId}:${port ?? 0}/${protocol ?? ''}`,
    title: nonBlank(item.attributes.pluginName) ?? texts.get('plugin_name') ?? `Nessus plugin ${pluginId}`,
    severity,
    raw,
    position,
  };
  if (port !== undefined) finding.port = port;
  if (protocol) finding.protocol = protocol;
  const description = texts.get('description') ?? rawText(raw, 'synopsis');
  if (description) finding.description = description;
  if (solution && solution.toLowerCase() !== 'n/a') finding.solution = solution;
  if (references.length > 0) finding.references = references;
  if (cweIds.length > 0) finding.cweIds = cweIds;
  if (cveIds.length > 0) {
    finding.cveId = cveIds[0];
    finding.cveIds = cveIds;
  }
  addScores(finding, texts, position);
  finding.vulnerabilities = vulnerabilityFacts(finding, raw);
  if (finding.vulnerabilities.length === 0) delete finding.vulnerabilities;

  return applyCompliance(finding, pluginId, raw);
}

function addScores(finding: FindingRecord, texts: Map<string, string>, position: { line: number; column: number }): void {
  const cvss2 = parseCvssScore(texts.get('cvss_base_score'), 'cvss_base_score', position);
  if (cvss2 !== undefined) finding.cvss2BaseScore = cvss2;
  // Nessus writes CVSS v2 vectors as `CVSS2#AV:N/AC:L/…`; the model stores the bare vector.
  const vector2 = texts.get('cvss_vector')?.replace(/^CVSS2#/, '');
  if (vector2) finding.cvss2Vector = vector2;

  const cvss3 = parseCvssScore(texts.get('cvss3_base_score'), 'cvss3_base_score', position);
  if (cvss3 !== undefined) finding.cvss3BaseScore = cvss3;
  const vector3 = texts.get('cvss3_vector');
  if (vector3) finding.cvss3Vector = vector3;

  const cvss4 = parseCvssScore(texts.get('cvss4_base_score'), 'cvss4_base_score', position);
  if (cvss4 !== undefined) finding.cvss4BaseScore = cvss4;
  const vector4 = texts.get('cvss4_vector');
  if (vector4) finding.cvss4Vector = vector4;
}

/**
 * Lists the plugin's CVEs for the vulnerability catalog. The plugin's scores describe the CVE
 * only when it is the plugin's single CVE; with several, each CVE has its own score, so only
 * the ids are given.
 */
function vulnerabilityFacts(finding: FindingRecord, raw: Record<string, unknown>): VulnerabilityFacts[] {
  const cveIds = finding.cveIds ?? [];
  if (cveIds.length !== 1) return cveIds.map((cveId) => ({ cveId }));

  const facts: VulnerabilityFacts = { cveId: cveIds[0] ?? '' };
  copyCvssScores(finding, facts);
  if (finding.cweIds) facts.cweIds = finding.cweIds;
  // vuln_publication_date looks like `2005/06/02`.
  const published = typeof raw.vuln_publication_date === 'string' ? /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(raw.vuln_publication_date.trim()) : null;
  if (published) facts.publishedAt = new Date(`${published[1]}-${published[2]}-${published[3]}T00:00:00Z`);
  return [facts];
}

/**
 * Turns a compliance-audit item (children `cm:compliance-*`) into a misconfiguration. All checks
 * of one audit share a plugin id, so the check id distinguishes them. A check that passed is no
 * weakness and is dropped.
 */
function applyCompliance(finding: FindingRecord, pluginId: string, raw: Record<string, unknown>): FindingRecord | undefined {
  const checkName = rawText(raw, 'cm:compliance-check-name');
  if (!checkName) return finding;

  const result = rawText(raw, 'cm:compliance-result')?.toUpperCase();
  if (result === 'PASSED') return undefined;

  finding.type = 'misconfiguration';
  finding.title = checkName;
  finding.sourceFindingId = `${pluginId}:${rawText(raw, 'cm:compliance-check-id') ?? checkName}`;
  const policy = rawText(raw, 'cm:compliance-audit-file');
  if (policy) finding.policyName = policy;
  const info = rawText(raw, 'cm:compliance-info');
  if (info) finding.description = info;
  const solution = rawText(raw, 'cm:compliance-solution');
  if (solution) finding.solution = solution;
  return finding;
}

function rawText(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  return typeof value === 'string' ? nonBlank(value) : undefined;
}
