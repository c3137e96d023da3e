// Parser for Qualys VM CSV exports, in three layouts that share column names:
// - the scan or vulnerability report CSV (`IP, DNS, NetBIOS, OS, QID, Title, Vuln Status, Type,
//   Severity, Port, Protocol, …, CVE ID, CVSS3 Base, Threat, Impact, Solution, …`);
// - the VMDR "Asset Vuln Datalist" exports, QID-oriented (`QID, Title, Severity, …, Asset Name,
//   Asset IPV4, …`) or CVE-oriented (`CVE, CVE-Description, CVSSv2 Base (nvd), …, QID, …`, one row
//   per CVE and detection).
// Any of them may start with report metadata lines (title, company, user) before the header,
// which is the first line with a QID column. Each row is one detection. Rows of the same host,
// QID, port and protocol that follow one another are merged into one finding with all their CVEs.

import { streamCsv, type CsvRow } from '../csv-stream';
import { detachString, normalizeCveId, parseCvssScore, parsePort, quote, splitAddresses, unique } from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord, SourcePosition } from '../model';
import { ReportError } from '../report-error';
import { isFixedStatus, parseCategory, parseQualysSeverity, QUALYS_SOURCE } from './qualys-common';

/** The header names of each field in the report and the VMDR layouts, first match wins. */
const COLUMNS = {
  qid: ['QID'],
  title: ['Title'],
  severity: ['Severity'],
  type: ['Type', 'Type Detected'],
  status: ['Vuln Status', 'Status'],
  port: ['Port'],
  protocol: ['Protocol'],
  ip: ['IP', 'Asset IPV4'],
  ipv6: ['Asset IPV6'],
  dns: ['DNS', 'Asset Name'],
  netbios: ['NetBIOS'],
  fqdn: ['FQDN'],
  os: ['OS', 'Operating System'],
  cve: ['CVE ID', 'CVE'],
  cvss3: ['CVSS3 Base', 'CVSSv3.1 Base (nvd)'],
  cvss2: ['CVSS Base', 'CVSSv2 Base (nvd)'],
  threat: ['Threat'],
  impact: ['Impact'],
  solution: ['Solution'],
  firstSeen: ['First Detected'],
  lastSeen: ['Last Detected'],
} as const satisfies Record<string, readonly string[]>;
type Field = keyof typeof COLUMNS;

/** VMDR names information gathered differently from the XML outputs. */
const TYPE_ALIASES: Record<string, string> = { information: 'Ig', 'information gathered': 'Ig' };

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

interface PendingFinding {
  key: string;
  finding: FindingRecord;
}

class QualysCsvReader {
  private readonly emittedAssets = new Set<string>();
  private pending: PendingFinding | undefined;
  private preamble: string[] = [];
  private rows = 0;

  setPreamble(lines: string[]): void {
    this.preamble = lines;
  }

  read(row: CsvRow): ReportRecord[] {
    this.rows++;
    const { values } = row;
    const used = new Set<string>();
    const get = (field: Field) => valueOf(values, field, used);
    const at = (field: Field): SourcePosition => ({ line: row.line, field: COLUMNS[field].find((column) => column in values) ?? COLUMNS[field][0] });

    if (isFixedStatus(valueOf(values, 'status', new Set()))) return [];
    const qid = get('qid');
    if (!qid) throw new ReportError('invalid_field', 'row has no QID; expected a QID value in every detection row', at('qid'));

    const records: ReportRecord[] = [];
    const assetKey = this.asset(get, row, records);

    const typeText = get('type');
    const category = typeText ? parseCategory(TYPE_ALIASES[typeText.toLowerCase()] ?? typeText, at('type')) : 'confirmed';
    const level = parseQualysSeverity(get('severity'), at('severity').field ?? 'Severity', { line: row.line });
    const raw: Record<string, unknown> = {};
    if (level !== undefined && category === 'information') raw.qualysSeverity = level;

    const finding: FindingRecord = {
      assetKey,
      type: 'vulnerability',
      vendorId: qid,
      title: get('title') ?? `Qualys QID ${qid}`,
      severity: category === 'information' ? 1 : (level ?? 3),
      raw,
      position: { line: row.line },
    };
    const port = parsePort(get('port'), 'Port', at('port'));
    if (port !== undefined) finding.port = port;
    const protocol = get('protocol')?.toLowerCase();
    if (protocol) finding.protocol = protocol;

    const description = [get('threat'), get('impact')].filter((text) => text).join('\n\n');
    if (description) finding.description = description;
    const solution = get('solution');
    if (solution) finding.solution = solution;

    const cveIds = unique((get('cve') ?? '').split(/[\s,;]+/).map((value) => normalizeCveId(value)).filter((id): id is string => id !== undefined));
    if (cveIds.length > 0) {
      finding.cveId = cveIds[0];
      finding.cveIds = cveIds;
    }
    addCvss(finding, get('cvss3'), 3, at('cvss3'));
    addCvss(finding, get('cvss2'), 2, at('cvss2'));

    const firstSeen = parseQualysDate(get('firstSeen'), at('firstSeen'));
    if (firstSeen) finding.firstSeen = firstSeen;
    const lastSeen = parseQualysDate(get('lastSeen'), at('lastSeen'));
    if (lastSeen) finding.lastSeen = lastSeen;
    for (const [column, value] of Object.entries(values)) if (!used.has(column) && value.trim() !== '') raw[column] = value;

    const key = `${assetKey}\u0000${qid}\u0000${finding.port ?? ''}\u0000${finding.protocol ?? ''}`;
    if (this.pending?.key === key) {
      const merged = unique([...(this.pending.finding.cveIds ?? []), ...cveIds]);
      if (merged.length > 0) {
        this.pending.finding.cveId = merged[0];
        this.pending.finding.cveIds = merged;
      }
      return records;
    }
    if (this.pending) records.push({ kind: 'finding', finding: this.pending.finding });
    this.pending = { key, finding };
    return records;
  }

  finish(): ReportRecord[] {
    if (this.rows === 0) throw new ReportError('empty', 'Qualys CSV export has a header but no detection rows');
    const last = this.pending;
    this.pending = undefined;
    return last ? [{ kind: 'finding', finding: last.finding }] : [];
  }

  /** Emits the host the first time it appears, named like the XML reports: DNS, else NetBIOS, else IP. */
  private asset(get: (field: Field) => string | undefined, row: CsvRow, records: ReportRecord[]): string {
    const ip = get('ip');
    const name = get('dns') ?? get('netbios') ?? ip ?? get('ipv6');
    if (!name) throw new ReportError('invalid_field', 'row names no host; expected a DNS, NetBIOS, IP or Asset Name value', { line: row.line, field: 'IP' });
    const key = detachString(name);
    if (this.emittedAssets.has(key)) return key;
    this.emittedAssets.add(key);

    const asset: AssetRecord = { reportKey: key, name: key, kind: 'host', ...splitAddresses([ip, get('ipv6')]) };
    // DNS is the host's DNS name, which is an FQDN when it has a dot, as in the XML reports.
    const dns = get('dns');
    const fqdn = get('fqdn') ?? (dns?.includes('.') ? dns : undefined);
    if (fqdn) asset.fqdn = fqdn;
    const hostname = get('netbios') ?? (dns && !dns.includes('.') ? dns : undefined);
    if (hostname) asset.hostname = hostname;
    const os = get('os');
    if (os) asset.os = os;
    if (this.preamble.length > 0) asset.raw = { reportHeader: this.preamble };
    records.push({ kind: 'asset', asset });
    return key;
  }
}

function valueOf(values: Record<string, string>, field: Field, used: Set<string>): string | undefined {
  for (const column of COLUMNS[field]) {
    const value = values[column]?.trim();
    if (value) {
      used.add(column);
      return value;
    }
  }
  return undefined;
}

/** Reads `8.1` or the report layout's `8.1 (AV:N/AC:H/…)` into a score and vector. */
function addCvss(finding: FindingRecord, value: string | undefined, version: 2 | 3, position: SourcePosition): void {
  if (!value) return;
  const match = /^([\d.]+)\s*(?:\((.*)\))?$/.exec(value);
  const score = parseCvssScore(match?.[1] ?? value, position.field ?? 'CVSS', position);
  const vector = match?.[2]?.trim();
  if (version === 3) {
    if (score !== undefined) finding.cvss3BaseScore = score;
    if (vector) finding.cvss3Vector = vector.startsWith('CVSS:') ? vector : `CVSS:3.1/${vector}`;
  } else {
    if (score !== undefined) finding.cvss2BaseScore = score;
    if (vector) finding.cvss2Vector = vector;
  }
}

/**
 * Parses Qualys CSV dates, `05/13/2021 07:08:28` (report layout) or `Feb 03, 2026 07:00 AM`
 * (VMDR). NOTE: the exports carry no time zone; the time is read as UTC, so it can be off by
 * the exporting user's offset.
 */
export function parseQualysDate(value: string | undefined, position: SourcePosition): Date | undefined {
  if (!value) return undefined;
  let date: Date | undefined;
  const numeric = /^(\d{2})\/(\d{2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  const named = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})\s*(AM|PM)?)?$/.exec(value);
  if (numeric) {
    const [, month, day, year, hour = '0', minute = '0', second = '0'] = numeric;
    date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  } else if (named) {
    const [, monthName = '', day, year, hourText = '0', minute = '0', half] = named;
    const month = MONTHS[monthName.toLowerCase()];
    let hour = Number(hourText) % 12;
    if (half?.toUpperCase() === 'PM') hour += 12;
    if (!half) hour = Number(hourText);
    if (month !== undefined) date = new Date(Date.UTC(Number(year), month, Number(day), hour, Number(minute)));
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new ReportError('invalid_field', `${position.field ?? 'date'} is not a Qualys date such as 05/13/2021 07:08:28 or Feb 03, 2026 07:00 AM: ${quote(value)}`, position);
  }
  return date;
}

export const qualysCsvParser: ReportParser = {
  format: 'qualys-csv',
  // The same source name as the Qualys XML parsers, so a CSV and an XML export are the same findings.
  source: QUALYS_SOURCE,

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'qualys-csv', source: QUALYS_SOURCE });
    const reader = new QualysCsvReader();
    const rows = streamCsv(input, {
      headerColumn: 'QID',
      onPreamble: (lines) => {
        reader.setPreamble(lines);
        const title = /^"?([^",]+)/.exec(lines[0] ?? '')?.[1];
        if (title) onMetadata({ title });
      },
    });
    for await (const row of rows) {
      const records = reader.read(row);
      if (records.length > 0) yield* records;
    }
    yield* reader.finish();
  },
};
