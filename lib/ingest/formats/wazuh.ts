// Parser for Wazuh vulnerability exports in two layouts (mapped in wazuh-findings.ts):
// - Wazuh 4.7 and older: the server API response of `GET /vulnerability/{agent_id}`,
//   `{"data": {"affected_items": [...]}}`;
// - Wazuh 4.8 and later: an indexer search response over `wazuh-states-vulnerabilities-*`,
//   `{"hits": {"hits": [{"_source": {...}}]}}`.
// Each agent is a host, and each vulnerability in a package a finding with the package as its
// technology. The 4.7 API response names no agent, because the agent id is part of the request
// URL. Its items are then put on a host named after the report's file name, unless they carry
// `agent_name` or `agent_ip` fields, as exports that merge several agents add.

import { detachString } from '../field-values';
import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ParseContext, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { assetNameFromFile, hostFromFileStem } from './asset-name-from-file';
import { expectContainer } from './json-fields';
import { agentKey, hitAgentOf, indexerWazuhFinding, legacyAgentOf, legacyWazuhFinding, wazuhHost } from './wazuh-findings';

/** The two layouts' lists of records: the API's `data.affected_items` and the indexer's `hits.hits`. */
const LISTS: Record<string, string> = { data: 'affected_items', hits: 'hits' };
const FILE_ASSET_KEY = 'file';

class WazuhReader {
  private readonly emitted = new Set<string>();
  private items = 0;

  constructor(private readonly context: ParseContext | undefined) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid Wazuh report: expected a JSON object at the top level, found an ${type}`);
      return 'enter';
    }
    const list = LISTS[String(path[0])];
    if (list === undefined) return 'skip';
    if (path.length === 1) return expectContainer(path, type, 'object');
    if (path[1] !== list) return 'skip';
    if (path.length === 2) return expectContainer(path, type, 'array');
    if (path.length === 3) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a vulnerability object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  handle(path: JsonPath, value: unknown): ReportRecord[] {
    this.items++;
    const records: ReportRecord[] = [];
    if (path[0] === 'data') {
      const agent = legacyAgentOf(value, path);
      const asset = agent ? wazuhHost(agentKey(agent), agent) : this.fileHost();
      this.emit(asset, records);
      records.push({ kind: 'finding', finding: legacyWazuhFinding(value, path, asset.reportKey) });
      return records;
    }

    const agent = hitAgentOf(value, path);
    const asset = agent ? wazuhHost(agentKey(agent), agent) : this.fileHost();
    this.emit(asset, records);
    records.push({ kind: 'finding', finding: indexerWazuhFinding(value, path, asset.reportKey) });
    return records;
  }

  finish(): void {
    if (this.items === 0) throw new ReportError('empty', 'Wazuh report contains no vulnerabilities (no data.affected_items and no hits.hits), so it names no agent');
  }

  private fileHost(): AssetRecord {
    const stem = assetNameFromFile(this.context?.fileName, 'Wazuh', 'agent');
    return hostFromFileStem(FILE_ASSET_KEY, stem, { scanner: 'Wazuh' });
  }

  private emit(asset: AssetRecord, records: ReportRecord[]): void {
    if (this.emitted.has(asset.reportKey)) return;
    this.emitted.add(detachString(asset.reportKey));
    records.push({ kind: 'asset', asset });
  }
}

export const wazuhParser: ReportParser = {
  format: 'wazuh',
  source: 'Wazuh',

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'wazuh', source: 'Wazuh' });
    const reader = new WazuhReader(context);
    for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
      if (event.kind !== 'value') continue;
      const records = reader.handle(event.path, event.value);
      if (records.length > 0) yield* records;
    }
    reader.finish();
  },
};
