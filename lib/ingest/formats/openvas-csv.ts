// Parser for Greenbone (OpenVAS) CSV result exports (`IP, Hostname, Port, Port Protocol, CVSS,
// Severity, QoD, …, NVT Name, Summary, Specific Result, NVT OID, CVEs, …`): one row per result,
// that is one NVT on one host and port. Each row is read on its own.

import { streamCsv, type CsvRow } from '../csv-stream';
import { detachString, normalizeCveId, parseCvssScore, parseIsoDate, parsePort, severityFromCvss, splitAddresses, unique } from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord, Severity, SourcePosition } from '../model';
import { ReportError } from '../report-error';

/** Greenbone severity classes on the product's 1–5 scale; Log results are informational. */
const SEVERITIES: Record<string, Severity> = { log: 1, none: 1, low: 2, medium: 3, high: 4, critical: 5 };

const REQUIRED_COLUMNS = ['IP', 'NVT OID'] as const;

/** Columns a mapped field is read from; every other column stays in raw. */
const MAPPED_COLUMNS: ReadonlySet<string> = new Set([
  'IP',
  'Hostname',
  'Port',
  'Port Protocol',
  'Severity',
  'NVT Name',
  'Summary',
  'Vulnerability Insight',
  'NVT OID',
  'CVEs',
  'Timestamp',
  'Result ID',
  'Solution',
  'Other References',
]);

class OpenVasCsvReader {
  private readonly emittedAssets = new Set<string>();
  private rows = 0;

  read(row: CsvRow): ReportRecord[] {
    const { values } = row;
    if (this.rows === 0) {
      const missing = REQUIRED_COLUMNS.filter((column) => !(column in values));
      if (missing.length > 0) throw new ReportError('invalid_field', `Greenbone CSV header lacks ${missing.join(' and ')}; export the results again as CSV Results`, { line: 1 });
    }
    this.rows++;
    const get = (column: string) => values[column]?.trim() || undefined;
    const at = (column: string): SourcePosition => ({ line: row.line, field: column });

    const ip = get('IP');
    if (!ip) throw new ReportError('invalid_field', 'row has no IP; expected the scanned host address in every result row', at('IP'));
    const oid = get('NVT OID');
    if (!oid) throw new ReportError('invalid_field', 'row has no NVT OID; expected the id of the test that found the result', at('NVT OID'));

    const records: ReportRecord[] = [];
    const hostname = get('Hostname');
    const assetKey = detachString(hostname ?? ip);
    if (!this.emittedAssets.has(assetKey)) {
      this.emittedAssets.add(assetKey);
      const asset: AssetRecord = { reportKey: assetKey, name: assetKey, kind: 'host', ...splitAddresses([ip]) };
      // Greenbone's Hostname is the name the target resolved to, an FQDN when it has a dot.
      if (hostname?.includes('.')) asset.fqdn = hostname;
      else if (hostname) asset.hostname = hostname;
      records.push({ kind: 'asset', asset });
    }

    // NOTE: Greenbone's CVSS column is the NVT's severity score without its version, so it only
    // decides the severity when the class is missing and stays in raw otherwise.
    const score = parseCvssScore(get('CVSS'), 'CVSS', at('CVSS'));
    const severityText = get('Severity');
    let severity: Severity = score === undefined ? 1 : severityFromCvss(score);
    if (severityText) {
      const mapped = SEVERITIES[severityText.toLowerCase()];
      if (mapped === undefined) throw new ReportError('invalid_field', `unknown Greenbone severity ${JSON.stringify(severityText)}; expected Log, Low, Medium, High or Critical`, at('Severity'));
      severity = mapped;
    }

    const raw: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(values)) if (!MAPPED_COLUMNS.has(column) && value.trim() !== '') raw[column] = value;

    const finding: FindingRecord = {
      assetKey,
      type: 'vulnerability',
      vendorId: oid,
      title: get('NVT Name') ?? `Greenbone NVT ${oid}`,
      severity,
      raw,
      position: { line: row.line },
    };
    const resultId = get('Result ID');
    if (resultId) finding.sourceFindingId = resultId;
    // Results about the host as a whole (OS detection, traceroute) have the port `general`.
    const portText = get('Port');
    const port = portText?.toLowerCase() === 'general' ? undefined : parsePort(portText, 'Port', at('Port'));
    if (port !== undefined) finding.port = port;
    else if (portText) raw.Port = portText;
    const protocol = get('Port Protocol')?.toLowerCase();
    if (protocol) finding.protocol = protocol;

    const description = [get('Summary'), get('Vulnerability Insight')].filter((text) => text).join('\n\n');
    if (description) finding.description = description;
    const solution = get('Solution');
    if (solution) finding.solution = solution;
    const references = unique((get('Other References') ?? '').split(/[\s,]+/).filter((url) => /^https?:\/\//.test(url)));
    if (references.length > 0) finding.references = references;

    // The CVE scanner reports each CVE as its own NVT whose OID is the CVE id.
    const cveIds = unique([oid, ...(get('CVEs') ?? '').split(/[\s,]+/)].map((value) => normalizeCveId(value)).filter((id): id is string => id !== undefined));
    if (cveIds.length > 0) {
      finding.cveId = cveIds[0];
      finding.cveIds = cveIds;
    }
    const seen = parseIsoDate(get('Timestamp'), 'Timestamp', at('Timestamp'));
    if (seen) {
      finding.firstSeen = seen;
      finding.lastSeen = seen;
    }
    records.push({ kind: 'finding', finding });
    return records;
  }

  finish(): void {
    if (this.rows === 0) throw new ReportError('empty', 'Greenbone CSV export has a header but no result rows');
  }
}

export const openVasCsvParser: ReportParser = {
  format: 'openvas-csv',
  source: 'Greenbone',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'openvas-csv', source: 'Greenbone' });
    const reader = new OpenVasCsvReader();
    for await (const row of streamCsv(input)) yield* reader.read(row);
    reader.finish();
  },
};
