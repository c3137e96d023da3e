// Parser for OSV-Scanner JSON reports (`osv-scanner --format json`): `results[]`, each with the
// scanned `source` (a lockfile, SBOM or image) and its vulnerable `packages[]`. The project
// directory of a lockfile or SBOM (or the image) is the asset, so two lockfiles of one project
// are one asset. One package entry is assembled at a time. `experimental_config` describes the
// scan settings, not a weakness, so it is not stored.

import path from 'node:path';
import { z } from 'zod';
import { detachString } from '../field-values';
import { formatJsonPath, streamJson, type JsonEvent, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { expectContainer, validateJson } from './json-fields';
import { packageFindings, type OsvSourceContext } from './osv-scanner-findings';

const sourceSchema = z.looseObject({ path: z.string().min(1), type: z.string().nullish() });

/** OSV-Scanner source types whose path is a file inside the project rather than the scanned thing itself. */
const FILE_SOURCE_TYPES: ReadonlySet<string> = new Set(['lockfile', 'sbom']);

interface QueuedPackage {
  value: unknown;
  path: JsonPath;
}

/** The result being read. Packages that come before its source wait in `queue`. */
interface ResultState {
  source?: OsvSourceContext;
  assetKey?: string;
  queue: SpillQueue<QueuedPackage>;
}

class OsvScannerReader {
  private result: ResultState | undefined;
  private readonly emittedAssets = new Set<string>();
  private sawResults = false;

  select(jsonPath: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (jsonPath.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid OSV-Scanner report: expected a JSON object at the top level, found an ${type}`);
      return 'enter';
    }
    if (jsonPath[0] !== 'results') return 'skip';
    if (jsonPath.length === 1) {
      this.sawResults = true;
      return expectContainer(jsonPath, type, 'array');
    }
    if (jsonPath.length === 2) {
      if (type !== 'object') throw malformedEntry(jsonPath, type, 'result');
      return 'enter';
    }
    const key = jsonPath[2];
    if (jsonPath.length === 3 && key === 'source') return 'assemble';
    if (jsonPath.length === 3 && key === 'packages') return expectContainer(jsonPath, type, 'array');
    if (jsonPath.length === 4 && key === 'packages') {
      if (type !== 'object') throw malformedEntry(jsonPath, type, 'package');
      return 'assemble';
    }
    return 'skip';
  }

  async *handle(event: JsonEvent): AsyncGenerator<ReportRecord> {
    const jsonPath = event.path;
    if (event.kind === 'start') {
      if (jsonPath.length === 2) this.result = { queue: new SpillQueue() };
      return;
    }
    if (event.kind === 'end') {
      if (jsonPath.length === 2) yield* this.endResult(jsonPath);
      return;
    }

    const result = this.result;
    if (!result) return;
    if (jsonPath[2] === 'source') {
      yield* this.setSource(result, event.value, jsonPath);
      return;
    }

    const item = { value: event.value, path: jsonPath.slice() };
    if (result.assetKey && result.source) yield* packageFindings(item.value, item.path, result.assetKey, result.source).map(asRecord);
    else await result.queue.push(item);
  }

  finish(): void {
    if (!this.sawResults) throw new ReportError('empty', 'OSV-Scanner report has no results array');
  }

  async dispose(): Promise<void> {
    await this.result?.queue.dispose();
  }

  private setSource(result: ResultState, value: unknown, jsonPath: JsonPath): ReportRecord[] {
    const source = validateJson(sourceSchema, value, jsonPath, 'OSV-Scanner');
    result.source = { path: detachString(source.path), ...(source.type ? { type: source.type } : {}) };

    const isFile = FILE_SOURCE_TYPES.has(source.type ?? 'lockfile');
    const name = isFile ? path.posix.dirname(source.path.replaceAll('\\', '/')) : source.path;
    const kind: AssetRecord['kind'] = source.type === 'docker' ? 'container_image' : 'repository';
    const key = `${kind}:${name}`;
    result.assetKey = key;
    if (this.emittedAssets.has(key)) return [];

    this.emittedAssets.add(key);
    return [{ kind: 'asset', asset: { reportKey: key, name: detachString(name), kind, raw: { sourceType: source.type ?? null } } }];
  }

  /** Yields the findings of packages that came before their result's source. */
  private async *endResult(jsonPath: JsonPath): AsyncGenerator<ReportRecord> {
    const result = this.result;
    this.result = undefined;
    if (!result) return;
    if (!result.assetKey || !result.source) {
      await result.queue.dispose();
      const field = formatJsonPath([...jsonPath, 'source']);
      throw new ReportError('invalid_field', `OSV-Scanner result ${field} is missing, so the scanned lockfile or image is unknown`, { field });
    }

    for await (const item of result.queue.drain()) yield* packageFindings(item.value, item.path, result.assetKey, result.source).map(asRecord);
  }
}

const asRecord = (finding: ReturnType<typeof packageFindings>[number]): ReportRecord => ({ kind: 'finding', finding });

function malformedEntry(jsonPath: JsonPath, type: JsonValueType, what: string): ReportError {
  const field = formatJsonPath(jsonPath);
  return new ReportError('malformed', `${field} must be a ${what} object, but it is an ${type}`, { field });
}

export const osvScannerParser: ReportParser = {
  format: 'osv-scanner',
  source: 'OSV-Scanner',

  async *parse(input, onMetadata: (meta: Partial<ReportMetadata>) => void): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'osv-scanner', source: 'OSV-Scanner' });
    const reader = new OsvScannerReader();
    try {
      for await (const event of streamJson(input, (jsonPath, type) => reader.select(jsonPath, type))) {
        yield* reader.handle(event);
      }
      reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
