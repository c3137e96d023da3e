// Parser for Prowler's CSV output (`prowler <provider> -M csv`): semicolon-separated, one row per
// check result and resource. Prowler 4 and later name the columns ACCOUNT_UID, RESOURCE_UID and
// FINDING_UID; Prowler 3 wrote ACCOUNT_ID, RESOURCE_ARN or RESOURCE_ID and FINDING_UNIQUE_ID,
// which are read as well. Each row is mapped as prowler-common.ts describes.

import { streamCsv, type CsvRow } from '../csv-stream';
import { parseIsoDate } from '../field-values';
import type { ReportMetadata, ReportParser, ReportRecord, SourcePosition } from '../model';
import { ReportError } from '../report-error';
import { EmittedAssets, prowlerAsset, prowlerFinding, prowlerSeverity, prowlerStatus, urlsIn, type ProwlerResult } from './prowler-common';

/** For each field, its column in Prowler 4 and later, then in Prowler 3. */
const COLUMNS = {
  checkId: ['CHECK_ID'],
  title: ['CHECK_TITLE'],
  status: ['STATUS'],
  muted: ['MUTED'],
  severity: ['SEVERITY'],
  provider: ['PROVIDER'],
  accountUid: ['ACCOUNT_UID', 'ACCOUNT_ID'],
  accountName: ['ACCOUNT_NAME'],
  resourceUid: ['RESOURCE_UID', 'RESOURCE_ARN', 'RESOURCE_ID'],
  resourceName: ['RESOURCE_NAME'],
  resourceType: ['RESOURCE_TYPE'],
  namespace: ['NAMESPACE'],
  region: ['REGION'],
  statusDetail: ['STATUS_EXTENDED'],
  description: ['DESCRIPTION'],
  risk: ['RISK'],
  remediation: ['REMEDIATION_RECOMMENDATION_TEXT'],
  findingUid: ['FINDING_UID', 'FINDING_UNIQUE_ID'],
  time: ['TIMESTAMP', 'ASSESSMENT_START_TIME'],
  compliance: ['COMPLIANCE'],
  relatedUrl: ['RELATED_URL'],
  remediationUrl: ['REMEDIATION_RECOMMENDATION_URL'],
  additionalUrls: ['ADDITIONAL_URLS'],
} as const;

/** Remediation code columns and the label each gets in the solution. */
const CODE_COLUMNS: Record<string, string> = {
  REMEDIATION_CODE_CLI: 'CLI',
  REMEDIATION_CODE_NATIVEIAC: 'Native IaC',
  REMEDIATION_CODE_TERRAFORM: 'Terraform',
  REMEDIATION_CODE_OTHER: 'Other',
};

/** Columns that describe the account or resource, kept in the asset's raw. */
const ASSET_COLUMNS: ReadonlySet<string> = new Set(['ACCOUNT_EMAIL', 'ACCOUNT_ORGANIZATION_UID', 'ACCOUNT_ORGANIZATION_NAME', 'ACCOUNT_TAGS', 'RESOURCE_TAGS', 'PARTITION']);


class ProwlerCsvReader {
  private readonly assets = new EmittedAssets();
  /** The columns the mapped fields are read from; a Prowler 3 column that another one replaces stays in raw. */
  private mappedColumns: ReadonlySet<string> = new Set();
  private rows = 0;
  private scannedAtSet = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  read(row: CsvRow): ReportRecord[] {
    const { values } = row;
    if (this.rows === 0) {
      const missing = (['checkId', 'status'] as const).filter((key) => column(values, key) === undefined).map((key) => COLUMNS[key][0]);
      if (missing.length > 0) throw new ReportError('invalid_field', `Prowler CSV header lacks ${missing.join(' and ')}; export the results again with -M csv`, { line: 1 });
      const keys = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
      this.mappedColumns = new Set([...keys.flatMap((key) => column(values, key) ?? []), ...Object.keys(CODE_COLUMNS)]);
    }
    this.rows++;
    const at = (key: keyof typeof COLUMNS): SourcePosition => ({ line: row.line, field: column(values, key) ?? COLUMNS[key][0] });
    const get = (key: keyof typeof COLUMNS): string | undefined => {
      const name = column(values, key);
      return name === undefined ? undefined : values[name]?.trim() || undefined;
    };

    const checkId = get('checkId');
    if (!checkId) throw new ReportError('invalid_field', 'row has no CHECK_ID; expected the id of the Prowler check in every row', at('checkId'));
    const statusText = get('status');
    if (!statusText) throw new ReportError('invalid_field', 'row has no STATUS; expected FAIL, PASS or MANUAL', at('status'));
    const status = prowlerStatus(statusText, at('status'));
    const time = parseTimestamp(get('time'), at('time'));
    if (time && !this.scannedAtSet) {
      this.scannedAtSet = true;
      this.onMetadata({ scannedAt: time });
    }

    const raw: Record<string, unknown> = {};
    const assetRaw: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) {
      if (value.trim() === '') continue;
      if (ASSET_COLUMNS.has(name)) assetRaw[name] = value;
      else if (!this.mappedColumns.has(name)) raw[name] = value;
    }
    const compliance = get('compliance');
    if (compliance) raw.COMPLIANCE = compliance;

    const result: ProwlerResult = {
      checkId,
      status: statusText,
      muted: get('muted')?.toLowerCase() === 'true',
      references: urlsIn([get('relatedUrl'), get('remediationUrl'), get('additionalUrls')]),
      remediationCode: Object.entries(CODE_COLUMNS).flatMap(([name, label]) => (values[name]?.trim() ? [`${label}: ${values[name]?.trim()}`] : [])),
      frameworks: frameworksOf(compliance),
      raw,
      assetRaw,
      position: { line: row.line },
    };
    for (const key of ['title', 'severity', 'provider', 'accountUid', 'accountName', 'resourceUid', 'resourceName', 'resourceType', 'region', 'statusDetail', 'description', 'risk', 'remediation', 'findingUid'] as const) {
      const value = get(key);
      if (value !== undefined) result[key] = value;
    }
    const namespace = column(values, 'namespace');
    if (namespace !== undefined) result.namespace = values[namespace]?.trim() ?? '';
    if (time) result.time = time;

    const records: ReportRecord[] = [];
    const asset = prowlerAsset(result);
    for (const emitted of this.assets.emit(asset)) records.push({ kind: 'asset', asset: emitted });
    if (status === 'PASS') return records;
    const severity = prowlerSeverity(result.severity, at('severity')) ?? 1;
    records.push({ kind: 'finding', finding: prowlerFinding(result, status, asset, severity) });
    return records;
  }

  finish(): void {
    if (this.rows === 0) throw new ReportError('empty', 'Prowler CSV export has a header but no result rows');
  }
}

/** Returns the name of the first of a field's columns that the file has. */
function column(values: Record<string, string>, key: keyof typeof COLUMNS): string | undefined {
  return COLUMNS[key].find((name) => name in values);
}

/** Returns the framework names of `CIS-2.0: 1.20 | ENS-RD2022: op.acc.2`. */
function frameworksOf(compliance: string | undefined): string[] {
  if (!compliance) return [];
  return [...new Set(compliance.split('|').map((entry) => entry.split(':')[0]?.trim() ?? '').filter((name) => name))];
}

/**
 * Parses Prowler's `2025-02-14 14:27:30.710664`.
 * NOTE: the timestamp has no offset and is read as UTC. Prowler writes the scanning machine's
 * clock, so the time is off by that machine's UTC offset when it does not run in UTC.
 */
function parseTimestamp(value: string | undefined, position: SourcePosition): Date | undefined {
  if (!value) return undefined;
  let text = value.trim().replace(' ', 'T');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
  return parseIsoDate(text, position.field ?? 'TIMESTAMP', position);
}

export const prowlerCsvParser: ReportParser = {
  format: 'prowler-csv',
  source: 'Prowler',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'prowler-csv', source: 'Prowler' });
    const reader = new ProwlerCsvReader(onMetadata);
    for await (const row of streamCsv(input)) yield* reader.read(row);
    reader.finish();
  },
};
