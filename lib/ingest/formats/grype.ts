// Parser for Grype JSON reports (`grype -o json`): `matches[]`, `ignoredMatches[]`, `source`,
// `distro` and `descriptor`. The scanned image, directory or file in `source.target` is the one
// asset. Each match (one vulnerability in one package) becomes a finding. Grype writes `source`,
// `distro` and `descriptor` after `matches[]`, so matches wait in a spill queue until the asset
// and the scan time are known, and only one match object is assembled at a time.

import { z } from 'zod';
import { detachString, parseIsoDate } from '../field-values';
import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { expectContainer, validateJson } from './json-fields';
import { grypeMatchFinding } from './grype-findings';

const HEADER_KEYS: ReadonlySet<string> = new Set(['source', 'distro', 'descriptor']);
const MATCH_LISTS: ReadonlySet<string> = new Set(['matches', 'ignoredMatches']);

/** Grype's `source.type` values and the asset kind each one scans. */
const SOURCE_KINDS: Record<string, AssetRecord['kind']> = {
  image: 'container_image',
  directory: 'repository',
  file: 'repository',
};

/**
 * Image fields left out of the asset: `manifest` and `config` are base64 copies of the
 * registry's manifest and image configuration (tens of kilobytes), which `imageID`,
 * `manifestDigest` and `repoDigests` identify.
 */
const OMITTED_IMAGE_FIELDS: ReadonlySet<string> = new Set(['manifest', 'config']);

const sourceSchema = z.looseObject({
  type: z.string().nullish(),
  target: z.union([z.string(), z.looseObject({ userInput: z.string().nullish(), tags: z.array(z.string()).nullish(), imageID: z.string().nullish() })]),
});
const distroSchema = z.looseObject({ name: z.string().nullish(), version: z.string().nullish() });
const descriptorSchema = z.looseObject({ name: z.string().nullish(), version: z.string().nullish(), timestamp: z.string().nullish() });

interface PendingMatch {
  value: unknown;
  path: JsonPath;
  ignored: boolean;
}

class GrypeReader {
  private source: z.infer<typeof sourceSchema> | undefined;
  private distro: z.infer<typeof distroSchema> | null | undefined;
  private descriptor: z.infer<typeof descriptorSchema> | undefined;
  private readonly pending = new SpillQueue<PendingMatch>();
  private assetEmitted = false;
  private sawMatchList = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid Grype report: expected a JSON object at the top level, found an ${type}`);
      return 'enter';
    }
    const top = String(path[0]);
    if (path.length === 1) {
      if (HEADER_KEYS.has(top)) return 'assemble';
      if (MATCH_LISTS.has(top)) {
        this.sawMatchList = true;
        return expectContainer(path, type, 'array');
      }
      return 'skip';
    }
    if (path.length === 2 && MATCH_LISTS.has(top)) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a match object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  async handle(path: JsonPath, value: unknown): Promise<ReportRecord[]> {
    const top = String(path[0]);
    if (MATCH_LISTS.has(top)) {
      const match: PendingMatch = { value, path, ignored: top === 'ignoredMatches' };
      if (this.assetEmitted) return this.mapMatch(match);
      await this.pending.push({ ...match, path: path.slice() });
      return [];
    }

    if (top === 'source') this.source = validateJson(sourceSchema, value, ['source'], 'Grype');
    else if (top === 'distro') this.distro = value === null ? null : validateJson(distroSchema, value, ['distro'], 'Grype');
    else if (top === 'descriptor') this.readDescriptor(value);
    return [];
  }

  /** Yields the matches still waiting, after emitting the asset. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (!this.source) {
      await this.pending.dispose();
      if (!this.sawMatchList) throw new ReportError('empty', 'Grype report has no matches and no source');
      throw new ReportError('invalid_field', 'Grype report has no source, so the scanned image or directory is unknown; export it again with grype -o json', { field: 'source' });
    }
    yield* this.asset();
    for await (const match of this.pending.drain()) yield* this.mapMatch(match);
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  /** True once everything the asset and the scan time come from has been read. */
  private isReady(): boolean {
    return this.source !== undefined && this.distro !== undefined && this.descriptor !== undefined;
  }

  /** Yields the asset and then the matches that waited for it, once the header is complete. */
  async *flushIfReady(): AsyncGenerator<ReportRecord> {
    if (!this.isReady() || this.assetEmitted) return;
    yield* this.asset();
    for await (const match of this.pending.drain()) yield* this.mapMatch(match);
  }

  private readDescriptor(value: unknown): void {
    this.descriptor = validateJson(descriptorSchema, value, ['descriptor'], 'Grype');
    const scannedAt = parseIsoDate(this.descriptor.timestamp ?? undefined, 'descriptor.timestamp', { field: 'descriptor.timestamp' });
    if (scannedAt) this.onMetadata({ scannedAt });
  }

  private mapMatch(match: PendingMatch): ReportRecord[] {
    return [{ kind: 'finding', finding: grypeMatchFinding(match.value, match.path, ASSET_KEY, match.ignored) }];
  }

  private asset(): ReportRecord[] {
    if (this.assetEmitted || !this.source) return [];
    this.assetEmitted = true;
    const source = this.source;
    const { type, target } = source;

    const raw: Record<string, unknown> = { sourceType: type ?? null };
    let name: string;
    if (typeof target === 'string') {
      name = target;
    } else {
      name = target.userInput || target.tags?.[0] || target.imageID || '';
      for (const [key, field] of Object.entries(target)) if (!OMITTED_IMAGE_FIELDS.has(key)) raw[key] = field;
    }
    if (!name) throw new ReportError('invalid_field', 'Grype source.target names no image or path; expected userInput, tags or imageID', { field: 'source.target' });
    for (const [key, field] of Object.entries(source)) if (key !== 'type' && key !== 'target') raw[key] = field;
    if (this.distro) raw.distro = this.distro;
    if (this.descriptor) raw.scanner = this.descriptor;

    const asset: AssetRecord = { reportKey: ASSET_KEY, name: detachString(name), kind: SOURCE_KINDS[type ?? ''] ?? 'application', raw };
    const os = [this.distro?.name, this.distro?.version].filter(Boolean).join(' ');
    if (os) asset.os = os;
    this.onMetadata({ title: asset.name });
    return [{ kind: 'asset', asset }];
  }
}

const ASSET_KEY = 'source';

export const grypeParser: ReportParser = {
  format: 'grype',
  source: 'Grype',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'grype', source: 'Grype' });
    const reader = new GrypeReader(onMetadata);
    try {
      for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
        if (event.kind !== 'value') continue;
        const records = await reader.handle(event.path, event.value);
        if (records.length > 0) yield* records;
        yield* reader.flushIfReady();
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
