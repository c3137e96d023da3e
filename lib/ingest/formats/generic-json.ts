// Parser for DefectDojo's "Generic Findings Import" JSON: `{ name?, type?, version?,
// description?, findings: [{ title, severity, description, … }] }`. Findings with endpoints are
// recorded on the endpoint hosts. Findings without endpoints belong to one application asset
// named after the report's `name`, else after the file (`shop.json` gives `shop`). The name may
// come after `findings[]`, so those findings wait in a spill queue until it is read or the
// document ends.

import { detachString } from '../field-values';
import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ParseContext, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { genericJsonFinding } from './generic-json-findings';
import { fileNameStem } from './asset-name-from-file';
import { expectContainer } from './json-fields';

const REPORT_ASSET_KEY = '\u0000report';

/** Name of the asset of findings without endpoints when neither the report nor the import names one. */
export const DEFAULT_REPORT_ASSET_NAME = 'Generic Findings Import';

interface PendingFinding {
  value: unknown;
  path: JsonPath;
}

class GenericJsonReader {
  private readonly header: Record<string, unknown> = {};
  private readonly pending = new SpillQueue<PendingFinding>();
  private readonly emittedHosts = new Set<string>();
  private reportAssetEmitted = false;
  private sawFindings = false;
  private findings = 0;

  constructor(
    private readonly onMetadata: (meta: Partial<ReportMetadata>) => void,
    private readonly context: ParseContext | undefined,
  ) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid Generic Findings Import report: expected a JSON object with findings[] at the top level, found an ${type}`);
      return 'enter';
    }
    const top = String(path[0]);
    if (path.length === 1) {
      if (top === 'findings') {
        this.sawFindings = true;
        return expectContainer(path, type, 'array');
      }
      // Top-level fields other than findings[] describe the report and go to its asset's raw fields.
      return 'assemble';
    }
    if (path.length === 2 && top === 'findings') {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a finding object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  async handle(path: JsonPath, value: unknown): Promise<ReportRecord[]> {
    const top = String(path[0]);
    if (top !== 'findings') {
      this.header[top] = value;
      if (top === 'name' && typeof value === 'string' && value.trim()) this.onMetadata({ title: value.trim() });
      return [];
    }

    this.findings++;
    const mapped = genericJsonFinding(value, path, REPORT_ASSET_KEY);
    if (mapped.hosts.length === 0 && !this.reportAssetReady()) {
      await this.pending.push({ value, path: path.slice() });
      return [];
    }
    const records: ReportRecord[] = mapped.hosts.length === 0 ? this.reportAsset() : [];
    for (const asset of mapped.hosts) {
      if (this.emittedHosts.has(asset.reportKey)) continue;
      this.emittedHosts.add(asset.reportKey);
      records.push({ kind: 'asset', asset });
    }
    for (const finding of mapped.findings) records.push({ kind: 'finding', finding });
    return records;
  }

  /** Yields the findings without endpoints that waited for the report's name. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (!this.sawFindings) throw new ReportError('invalid_field', 'Generic Findings Import report has no findings array; expected { "findings": [ … ] }', { field: 'findings' });
    if (this.findings === 0) throw new ReportError('empty', 'Generic Findings Import report has an empty findings array');
    for await (const item of this.pending.drain()) {
      yield* this.reportAsset();
      for (const finding of genericJsonFinding(item.value, item.path, REPORT_ASSET_KEY).findings) yield { kind: 'finding', finding };
    }
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  /** Returns true once the report asset can be emitted: it was emitted already, or the report's name was read. */
  private reportAssetReady(): boolean {
    return this.reportAssetEmitted || typeof this.header.name === 'string';
  }

  private reportAsset(): ReportRecord[] {
    if (this.reportAssetEmitted) return [];
    this.reportAssetEmitted = true;
    const reportName = typeof this.header.name === 'string' ? this.header.name.trim() : '';
    const fileName = this.context?.fileName ? fileNameStem(this.context.fileName) : '';
    const name = reportName || fileName || DEFAULT_REPORT_ASSET_NAME;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.header)) if (key !== 'name' || value !== name) raw[key] = value;
    const asset: AssetRecord = { reportKey: REPORT_ASSET_KEY, name: detachString(name), kind: 'application', raw };
    return [{ kind: 'asset', asset }];
  }
}

export const genericJsonParser: ReportParser = {
  format: 'generic-json',
  source: 'Generic Findings Import',

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'generic-json', source: 'Generic Findings Import' });
    const reader = new GenericJsonReader(onMetadata, context);
    try {
      for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
        if (event.kind !== 'value') continue;
        const records = await reader.handle(event.path, event.value);
        if (records.length > 0) yield* records;
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
