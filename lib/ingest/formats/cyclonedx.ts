// Parser for CycloneDX BOMs with vulnerabilities (specification 1.4 to 1.6, JSON). The BOM's
// subject, `metadata.component`, is the one asset. Each vulnerability becomes one finding per
// component it affects, found by `bom-ref` among the nested `components`. Components are read
// one field at a time and kept only as the technology a finding needs, and only one
// vulnerability is assembled at a time. `dependencies`, `compositions` and `services` describe
// the BOM, not a weakness, so they are not stored.

import { z } from 'zod';
import { detachString, parseIsoDate } from '../field-values';
import { formatJsonPath, streamJson, type JsonEvent, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { componentInfo, vulnerabilityFindings, type ComponentInfo } from './cyclonedx-findings';
import { expectContainer, validateJson } from './json-fields';

export const ASSET_KEY = 'bom';
const HEADER_SCALARS: ReadonlySet<string> = new Set(['bomFormat', 'specVersion', 'serialNumber', 'version']);

/** CycloneDX component types and the asset kind of a BOM about one. */
const COMPONENT_KINDS: Record<string, AssetRecord['kind']> = {
  container: 'container_image',
  'operating-system': 'host',
  device: 'host',
  firmware: 'host',
  platform: 'host',
  file: 'repository',
};

export const metadataSchema = z.looseObject({
  timestamp: z.string().nullish(),
  component: z.looseObject({ name: z.string().min(1), version: z.string().nullish(), type: z.string().nullish() }).nullish(),
});

interface QueuedVulnerability {
  value: unknown;
  path: JsonPath;
}

/** A component being read: its own fields, collected one at a time. */
interface ComponentFrame {
  path: JsonPath;
  fields: Record<string, unknown>;
}

/** True for `components[i]`, `components[i].components[j]`, … */
function isComponentPath(path: JsonPath, offset = 0): boolean {
  const length = path.length - offset;
  if (length < 2 || length % 2 !== 0) return false;
  for (let index = offset; index < path.length; index += 2) {
    if (path[index] !== 'components' || typeof path[index + 1] !== 'number') return false;
  }
  return true;
}

class CycloneDxReader {
  private readonly header: Record<string, unknown> = {};
  private metadata: z.infer<typeof metadataSchema> | undefined;
  private rawMetadata: Record<string, unknown> | undefined;
  private readonly components = new Map<string, ComponentInfo>();
  private readonly componentStack: ComponentFrame[] = [];
  private componentsDone = false;
  private readonly pending = new SpillQueue<QueuedVulnerability>();
  private assetEmitted = false;
  private sawBom = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid CycloneDX BOM: expected a JSON object at the top level, found an ${type}`);
      return 'enter';
    }
    const top = String(path[0]);
    if (path.length === 1) {
      if (HEADER_SCALARS.has(top) || top === 'metadata') return 'assemble';
      if (top === 'components' || top === 'vulnerabilities') return expectContainer(path, type, 'array');
      return 'skip';
    }
    if (top === 'vulnerabilities') {
      if (path.length !== 2) return 'skip';
      if (type !== 'object') throw malformedEntry(path, type, 'vulnerability');
      return 'assemble';
    }
    if (top === 'components') {
      if (isComponentPath(path)) {
        if (type !== 'object') throw malformedEntry(path, type, 'component');
        return 'enter';
      }
      // A field of a component: nested components are walked, the rest assembled.
      if (isComponentPath(path.slice(0, -1))) return path[path.length - 1] === 'components' ? expectContainer(path, type, 'array') : 'assemble';
    }
    return 'skip';
  }

  async handle(event: JsonEvent): Promise<ReportRecord[]> {
    const { path } = event;
    const top = String(path[0]);
    if (event.kind === 'start') {
      if (isComponentPath(path)) this.componentStack.push({ path: path.slice(), fields: {} });
      return [];
    }
    if (event.kind === 'end') {
      if (isComponentPath(path)) this.endComponent();
      else if (path.length === 1 && top === 'components') this.componentsDone = true;
      return this.flushIfReady();
    }

    if (top === 'vulnerabilities') {
      const item = { value: event.value, path: path.slice() };
      if (this.assetEmitted) return this.mapVulnerability(item);
      await this.pending.push(item);
      return [];
    }
    if (top === 'components') {
      const frame = this.componentStack[this.componentStack.length - 1];
      if (frame) frame.fields[String(path[path.length - 1])] = event.value;
      return [];
    }
    if (top === 'metadata') this.readMetadata(event.value);
    else this.readHeader(top, event.value);
    return this.flushIfReady();
  }

  /** Emits the asset if it is still due, then the vulnerabilities that waited. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (!this.sawBom) {
      await this.pending.dispose();
      throw new ReportError('empty', 'CycloneDX BOM has no bomFormat, metadata, components or vulnerabilities');
    }
    yield* this.asset();
    for await (const item of this.pending.drain()) yield* this.mapVulnerability(item);
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private flushIfReady(): ReportRecord[] {
    // Vulnerabilities name components by bom-ref, so they wait until the components are read.
    if (this.assetEmitted || this.metadata === undefined || !this.componentsDone || this.pending.size > 0) return [];
    return this.asset();
  }

  private readHeader(key: string, value: unknown): void {
    this.sawBom = true;
    if (key === 'bomFormat' && value !== 'CycloneDX') {
      throw new ReportError('invalid_field', `bomFormat must be "CycloneDX", got ${JSON.stringify(value)}`, { field: 'bomFormat' });
    }
    this.header[key] = value;
  }

  private readMetadata(value: unknown): void {
    this.sawBom = true;
    this.metadata = validateJson(metadataSchema, value, ['metadata'], 'CycloneDX');
    this.rawMetadata = value as Record<string, unknown>;
    const scannedAt = parseIsoDate(this.metadata.timestamp ?? undefined, 'metadata.timestamp', { field: 'metadata.timestamp' });
    if (scannedAt) this.onMetadata({ scannedAt });

    // The subject and its nested components can be the target of affects[].ref too.
    const subject = this.rawMetadata.component;
    if (subject && typeof subject === 'object') this.registerTree(subject as Record<string, unknown>, ['metadata', 'component']);
  }

  private registerTree(component: Record<string, unknown>, path: JsonPath): void {
    const { components: children, ...fields } = component;
    this.register(fields, path);
    if (!Array.isArray(children)) return;
    children.forEach((child, index) => {
      if (child && typeof child === 'object') this.registerTree(child as Record<string, unknown>, [...path, 'components', index]);
    });
  }

  private endComponent(): void {
    const frame = this.componentStack.pop();
    if (frame) this.register(frame.fields, frame.path);
  }

  private register(fields: Record<string, unknown>, path: JsonPath): void {
    this.sawBom = true;
    const info = componentInfo(fields, path);
    const ref = fields['bom-ref'];
    if (typeof ref === 'string' && ref !== '' && !this.components.has(ref)) this.components.set(detachString(ref), info);
  }

  private mapVulnerability(item: QueuedVulnerability): ReportRecord[] {
    return vulnerabilityFindings(item.value, item.path, ASSET_KEY, (ref) => this.components.get(ref)).map((finding) => ({ kind: 'finding', finding }));
  }

  private asset(): ReportRecord[] {
    if (this.assetEmitted) return [];
    this.assetEmitted = true;
    const asset = bomAsset(this.header, this.metadata, this.rawMetadata);
    this.onMetadata({ title: asset.name });
    return [{ kind: 'asset', asset }];
  }
}

/**
 * Builds the BOM's one asset from its header fields (`bomFormat`, `specVersion`, `serialNumber`,
 * `version`) and metadata. The XML parser uses it too, so both encodings give the same asset.
 */
export function bomAsset(header: Record<string, unknown>, metadata: z.infer<typeof metadataSchema> | undefined, rawMetadata: Record<string, unknown> | undefined): AssetRecord {
  const subject = metadata?.component;
  const serialNumber = typeof header.serialNumber === 'string' ? header.serialNumber : undefined;
  // A BOM without a subject is named by its serial number, which stays the same across
  // re-imports of the file but not across new BOMs of the same software.
  const name = subject?.name ?? serialNumber ?? 'CycloneDX BOM';

  const raw: Record<string, unknown> = { ...header };
  if (rawMetadata) raw.metadata = rawMetadata;
  return { reportKey: ASSET_KEY, name: detachString(name), kind: COMPONENT_KINDS[subject?.type ?? ''] ?? 'application', raw };
}

function malformedEntry(path: JsonPath, type: JsonValueType, what: string): ReportError {
  const field = formatJsonPath(path);
  return new ReportError('malformed', `${field} must be a ${what} object, but it is an ${type}`, { field });
}

export const cycloneDxParser: ReportParser = {
  format: 'cyclonedx',
  source: 'CycloneDX',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'cyclonedx', source: 'CycloneDX' });
    const reader = new CycloneDxReader(onMetadata);
    try {
      for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
        const records = await reader.handle(event);
        if (records.length > 0) yield* records;
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
