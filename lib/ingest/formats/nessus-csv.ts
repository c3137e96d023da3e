// Parser for Nessus and Tenable CSV exports, in two layouts:
// - the classic export (Nessus Professional, Tenable Vulnerability Management "Vulnerabilities"
//   CSV): `Plugin ID, CVE, CVSS, Risk, Host, Protocol, Port, Name, …`, one row per plugin, port
//   and CVE;
// - the newer Tenable export with dotted names (`asset.name`, `definition.id`, `port`, …),
//   usually `;`-separated, one row per plugin and port with the CVEs in one cell.
// Each row is read on its own. Rows of the same host, plugin, port and protocol that follow one
// another are merged into one finding with all their CVEs.

import type { AssetRecord, FindingRecord, ReportParser, ReportRecord, Severity } from '../model';
import { streamCsv, type CsvRow } from '../csv-stream';
import { detachString, normalizeCveId, normalizeCweId, parseCvssScore, parseIsoDate, parsePort, splitAddresses, splitLines, unique } from '../field-values';
import { ReportError } from '../report-error';

/** Risk and severity names of both layouts on the product's 1–5 scale; numbers are Nessus's 0–4. */
const SEVERITIES: Record<string, Severity> = { none: 1, info: 1, informational: 1, low: 2, medium: 3, high: 4, critical: 5, '0': 1, '1': 2, '2': 3, '3': 4, '4': 5 };

/** The header names of each field in the classic and the dotted layout, first match wins. */
const COLUMNS = {
  pluginId: ['Plugin ID', 'definition.id'],
  cve: ['CVE', 'definition.cve'],
  risk: ['Risk', 'definition.severity', 'severity', 'Risk Factor', 'Severity'],
  host: ['Host', 'asset.name'],
  ip: ['IP Address', 'asset.display_ipv4_address'],
  ipv6: ['asset.display_ipv6_address'],
  mac: ['asset.display_mac_address'],
  fqdn: ['FQDN', 'asset.display_fqdn'],
  hostname: ['NetBios', 'asset.netbios_name', 'asset.host_name'],
  os: ['OS', 'asset.operating_system'],
  protocol: ['Protocol', 'protocol'],
  port: ['Port', 'port'],
  name: ['Name', 'definition.name'],
  synopsis: ['Synopsis', 'definition.synopsis'],
  // The dotted layout leaves the description's header cell empty; it sits where the
  // alphabetical order puts definition.description, right after definition.cwe.
  description: ['Description', 'definition.description'],
  solution: ['Solution', 'definition.solution'],
  seeAlso: ['See Also', 'definition.see_also'],
  cwe: ['definition.cwe'],
  cvss2Score: ['CVSS Base Score', 'CVSS', 'definition.cvss2.base_score'],
  cvss2Vector: ['CVSS Vector', 'definition.cvss2.base_vector'],
  cvss3Score: ['CVSS3 Base Score', 'definition.cvss3.base_score'],
  cvss3Vector: ['CVSS3 Vector', 'definition.cvss3.base_vector'],
  firstSeen: ['First Found', 'first_observed'],
  lastSeen: ['Last Found', 'last_seen'],
  state: ['Vulnerability State', 'state'],
  findingId: ['id'],
} as const satisfies Record<string, readonly string[]>;
type Field = keyof typeof COLUMNS;

/** Row states that mean the weakness is gone; such rows are history, not findings. */
const FIXED_STATES: ReadonlySet<string> = new Set(['fixed']);

interface PendingFinding {
  key: string;
  finding: FindingRecord;
}

class NessusCsvReader {
  private readonly emittedAssets = new Set<string>();
  private pending: PendingFinding | undefined;
  private rows = 0;

  /** Maps one row, returning the records it completes: a new asset and the previous finding. */
  read(row: CsvRow): ReportRecord[] {
    const values = withDescription(row.values);
    if (this.rows === 0) checkHeader(values);
    this.rows++;
    // Columns a value was taken from; the others go to the finding's raw.
    const used = new Set<string>();
    const get = (field: Field) => valueOf(values, field, used);

    // The state stays in raw, so its column is not marked used.
    const state = valueOf(values, 'state', new Set())?.toLowerCase();
    if (state && FIXED_STATES.has(state)) return [];

    const host = get('host') ?? get('fqdn') ?? get('ip');
    if (!host) throw new ReportError('invalid_field', 'row names no host; expected a Host, FQDN or IP Address value', { line: row.line, field: 'Host' });
    const pluginId = get('pluginId');
    if (!pluginId) throw new ReportError('invalid_field', 'row has no plugin id; expected a Plugin ID value', { line: row.line, field: 'Plugin ID' });

    const records: ReportRecord[] = [];
    const assetKey = this.asset(host, get, records);
    const finding = this.finding(assetKey, pluginId, { values, used, line: row.line });
    const key = `${assetKey}\u0000${pluginId}\u0000${finding.port ?? ''}\u0000${finding.protocol ?? ''}`;
    if (this.pending?.key === key) {
      mergeCves(this.pending.finding, finding);
      return records;
    }
    if (this.pending) records.push({ kind: 'finding', finding: this.pending.finding });
    this.pending = { key, finding };
    return records;
  }

  finish(): ReportRecord[] {
    if (this.rows === 0) throw new ReportError('empty', 'Nessus CSV export has a header but no rows');
    const last = this.pending;
    this.pending = undefined;
    return last ? [{ kind: 'finding', finding: last.finding }] : [];
  }

  private asset(host: string, get: (field: Field) => string | undefined, records: ReportRecord[]): string {
    const key = detachString(host);
    if (this.emittedAssets.has(key)) return key;
    this.emittedAssets.add(key);

    const asset: AssetRecord = { reportKey: key, name: key, kind: 'host', ...splitAddresses([get('ip'), get('ipv6'), host]) };
    const fqdn = get('fqdn');
    if (fqdn) asset.fqdn = fqdn;
    const hostname = get('hostname');
    if (hostname) asset.hostname = hostname;
    const os = get('os');
    if (os) asset.os = os;
    const mac = get('mac');
    if (mac) asset.mac = mac.split(/[\s,]+/).filter(Boolean);
    records.push({ kind: 'asset', asset });
    return key;
  }

  private finding(assetKey: string, pluginId: string, row: { values: Record<string, string>; used: Set<string>; line: number }): FindingRecord {
    const { values, used } = row;
    const get = (field: Field) => valueOf(values, field, used);
    const at = (field: Field) => ({ line: row.line, field: columnOf(values, field) ?? COLUMNS[field][0] });

    const riskText = get('risk');
    const severity = riskText === undefined ? 1 : SEVERITIES[riskText.toLowerCase()];
    if (severity === undefined) {
      throw new ReportError('invalid_field', `unknown Nessus risk ${JSON.stringify(riskText)}; expected None, Low, Medium, High or Critical`, at('risk'));
    }

    const raw: Record<string, unknown> = {};
    // The synopsis is read without marking its column used, so it stays in raw beside the description.
    const synopsis = valueOf(values, 'synopsis', new Set());

    const finding: FindingRecord = {
      assetKey,
      type: 'vulnerability',
      vendorId: pluginId,
      title: get('name') ?? `Nessus plugin ${pluginId}`,
      severity,
      raw,
      position: { line: row.line },
    };
    const findingId = get('findingId');
    if (findingId) finding.sourceFindingId = findingId;

    const port = parsePort(get('port'), 'Port', at('port'));
    if (port !== undefined) finding.port = port;
    const protocol = get('protocol')?.toLowerCase();
    if (protocol) finding.protocol = protocol;

    const description = get('description') ?? synopsis;
    if (description) finding.description = description;
    const solution = get('solution');
    if (solution && solution.toLowerCase() !== 'n/a') finding.solution = solution;
    const references = splitLines(get('seeAlso')?.replace(/\s+(?=https?:\/\/)/g, '\n'));
    if (references.length > 0) finding.references = references;

    const cveValues = (get('cve') ?? '').split(/[\s,;]+/).filter((value) => value !== '');
    const cveIds = unique(cveValues.map((value) => normalizeCveId(value)).filter((id): id is string => id !== undefined));
    if (cveIds.length > 0) {
      finding.cveId = cveIds[0];
      finding.cveIds = cveIds;
    }
    // A value that is no CVE id is not stored as one, but kept as the report wrote it.
    const invalidCves = cveValues.filter((value) => normalizeCveId(value) === undefined);
    if (invalidCves.length > 0) raw.invalidCveIds = invalidCves;
    const cweIds = unique((get('cwe') ?? '').split(/[\s,;]+/).map((value) => normalizeCweId(value)).filter((id): id is string => id !== undefined));
    if (cweIds.length > 0) finding.cweIds = cweIds;

    const cvss2 = parseCvssScore(get('cvss2Score'), 'CVSS Base Score', at('cvss2Score'));
    if (cvss2 !== undefined) finding.cvss2BaseScore = cvss2;
    const cvss2Vector = get('cvss2Vector')?.replace(/^CVSS2#/, '');
    if (cvss2Vector) finding.cvss2Vector = cvss2Vector;
    const cvss3 = parseCvssScore(get('cvss3Score'), 'CVSS3 Base Score', at('cvss3Score'));
    if (cvss3 !== undefined) finding.cvss3BaseScore = cvss3;
    const cvss3Vector = get('cvss3Vector');
    if (cvss3Vector) finding.cvss3Vector = cvss3Vector;

    const firstSeen = parseIsoDate(get('firstSeen'), 'First Found', at('firstSeen'));
    if (firstSeen) finding.firstSeen = firstSeen;
    const lastSeen = parseIsoDate(get('lastSeen'), 'Last Found', at('lastSeen'));
    if (lastSeen) finding.lastSeen = lastSeen;
    // Every column not read above is kept as the source wrote it.
    for (const [column, value] of Object.entries(values)) if (!used.has(column) && value.trim() !== '') raw[column] = value;
    return finding;
  }
}

/** Returns the value of a field in whichever layout the row has, or undefined when blank. */
function valueOf(values: Record<string, string>, field: Field, used: Set<string>): string | undefined {
  for (const column of COLUMNS[field]) {
    const value = values[column]?.trim();
    if (value && value.toLowerCase() !== 'null') {
      used.add(column);
      return value;
    }
  }
  return undefined;
}

function columnOf(values: Record<string, string>, field: Field): string | undefined {
  return COLUMNS[field].find((column) => column in values);
}

/** Names the unnamed column after `definition.cwe` of the dotted layout as its description. */
function withDescription(values: Record<string, string>): Record<string, string> {
  if (!('definition.cwe' in values) || 'definition.description' in values) return values;
  const columns = Object.keys(values);
  const unnamed = columns[columns.indexOf('definition.cwe') + 1];
  if (!unnamed?.startsWith('column ')) return values;
  const { [unnamed]: description, ...rest } = values;
  return { ...rest, 'definition.description': description ?? '' };
}

function checkHeader(values: Record<string, string>): void {
  const hasHost = (['host', 'fqdn', 'ip'] as const).some((field) => columnOf(values, field) !== undefined);
  if (columnOf(values, 'pluginId') === undefined || !hasHost) {
    throw new ReportError('invalid_field', 'CSV header lacks the Plugin ID or Host column (or definition.id and asset.name); export the vulnerabilities again with all columns', { line: 1 });
  }
}

function mergeCves(into: FindingRecord, from: FindingRecord): void {
  const cveIds = unique([...(into.cveIds ?? []), ...(from.cveIds ?? [])]);
  if (cveIds.length === 0) return;
  into.cveId = cveIds[0];
  into.cveIds = cveIds;
}

export const nessusCsvParser: ReportParser = {
  format: 'nessus-csv',
  // The same source name as the .nessus parser, so a CSV and an XML export of one scan are the same findings.
  source: 'Nessus',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'nessus-csv', source: 'Nessus' });
    const reader = new NessusCsvReader();
    for await (const row of streamCsv(input)) {
      const records = reader.read(row);
      if (records.length > 0) yield* records;
    }
    yield* reader.finish();
  },
};
