// Parser for Wiz CSV exports: the Issues export and the vulnerability findings export
// (wiz-records.ts maps their rows). The layout is chosen from the header, and each row is read
// on its own. A resource's asset is emitted once per report, before its first finding.

import { streamCsv, type CsvRow } from '../csv-stream';
import type { ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { ISSUE_REQUIRED_COLUMNS, issueRecords, VULNERABILITY_REQUIRED_COLUMNS, vulnerabilityRecords, type WizRowRecords } from './wiz-records';

export const WIZ_SOURCE = 'Wiz';

/** Returns the layout of a Wiz CSV export from its column names, or undefined for another CSV. */
export function wizLayout(columns: ReadonlySet<string>): 'issues' | 'vulnerabilities' | undefined {
  if (columns.has('Resource external ID') && columns.has('Title') && columns.has('Severity') && (columns.has('Issue ID') || columns.has('Control ID'))) return 'issues';
  if (columns.has('WizURL') && columns.has('AssetID') && (columns.has('VendorSeverity') || columns.has('CVSSSeverity'))) return 'vulnerabilities';
  return undefined;
}

class WizReader {
  private readonly emittedAssets = new Set<string>();
  private map: ((row: CsvRow) => WizRowRecords) | undefined;
  private rows = 0;

  header(names: string[], line: number): void {
    const layout = wizLayout(new Set(names.map((name) => name.trim())));
    if (layout === 'issues') this.map = issueRecords;
    else if (layout === 'vulnerabilities') this.map = vulnerabilityRecords;
    else {
      const required = [...ISSUE_REQUIRED_COLUMNS, 'Issue ID'].join(', ');
      const alternative = ['WizURL', ...VULNERABILITY_REQUIRED_COLUMNS, 'VendorSeverity'].join(', ');
      throw new ReportError('invalid_field', `CSV header is not a Wiz export: expected the Issues columns ${required} or the vulnerability findings columns ${alternative}`, { line });
    }
  }

  read(row: CsvRow): ReportRecord[] {
    if (!this.map) throw new ReportError('invalid_field', 'Wiz CSV export has no header line', { line: row.line });
    this.rows++;
    const { asset, finding } = this.map(row);
    const records: ReportRecord[] = [];
    if (!this.emittedAssets.has(asset.reportKey)) {
      this.emittedAssets.add(asset.reportKey);
      records.push({ kind: 'asset', asset });
    }
    if (finding) records.push({ kind: 'finding', finding });
    return records;
  }

  finish(): void {
    if (this.rows === 0) throw new ReportError('empty', 'Wiz CSV export has a header but no rows');
  }
}

export const wizParser: ReportParser = {
  format: 'wiz',
  source: WIZ_SOURCE,

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'wiz', source: WIZ_SOURCE });
    const reader = new WizReader();
    for await (const row of streamCsv(input, { delimiter: ',', onHeader: (names, line) => reader.header(names, line) })) yield* reader.read(row);
    reader.finish();
  },
};
