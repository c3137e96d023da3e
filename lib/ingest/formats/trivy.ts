// Parser for Trivy JSON reports, in three shapes:
// - schema version 2: an object with ArtifactName, ArtifactType, Metadata and Results[];
// - the older schema: a bare array of results, without artifact fields;
// - the Kubernetes report: ClusterName plus Vulnerabilities[] / Misconfigurations[] (or
//   Resources[] in newer versions) of workloads, each with Namespace, Kind, Name and Results[].
// Each result (one scanned target) contains Vulnerabilities[], Misconfigurations[] and Secrets[].
// Only one finding object is assembled at a time, so a result with 100k vulnerabilities is
// never held in memory whole.

import { z } from 'zod';
import { detachString, parseIsoDate } from '../field-values';
import { formatJsonPath, streamJson, type JsonEvent, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, FindingRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { misconfigurationFinding, secretFinding, vulnerabilityFinding, type TrivyResultContext } from './trivy-findings';

type FindingSection = 'Vulnerabilities' | 'Misconfigurations' | 'Secrets';
const FINDING_SECTIONS: ReadonlySet<string> = new Set<FindingSection>(['Vulnerabilities', 'Misconfigurations', 'Secrets']);
const isFindingSection = (key: string): key is FindingSection => FINDING_SECTIONS.has(key);
const KUBERNETES_SECTIONS: ReadonlySet<string> = new Set(['Vulnerabilities', 'Misconfigurations', 'Resources']);
const HEADER_SCALARS: ReadonlySet<string> = new Set(['SchemaVersion', 'ArtifactName', 'ArtifactType', 'CreatedAt', 'ClusterName']);
const RESULT_SCALARS: ReadonlySet<string> = new Set(['Target', 'Class', 'Type']);
const WORKLOAD_SCALARS: ReadonlySet<string> = new Set(['Namespace', 'Kind', 'Name']);

/** Trivy's ArtifactType values and the asset kind each one scans. */
const ARTIFACT_KINDS: Record<string, AssetRecord['kind']> = {
  container_image: 'container_image',
  filesystem: 'repository',
  repository: 'repository',
  rootfs: 'host',
  vm: 'host',
};

const metadataSchema = z.looseObject({
  OS: z.looseObject({ Family: z.string().nullish(), Name: z.string().nullish() }).nullish(),
  ImageID: z.string().nullish(),
  RepoTags: z.array(z.string()).nullish(),
  RepoDigests: z.array(z.string()).nullish(),
});

interface PendingItem {
  section: FindingSection;
  value: unknown;
  path: JsonPath;
}

/** The result being read. Items that arrive before its Target wait in `pending`. */
interface ResultState {
  context: TrivyResultContext;
  pending: PendingItem[];
}

/** The Kubernetes workload being read. */
interface WorkloadState {
  fields: Record<string, string>;
  /** Image reference taken from the workload's OS-package result, e.g. `docker.io/redis:6.0.5`. */
  image?: string;
  assetKeys: Set<string>;
}

class TrivyReader {
  private shape: 'report' | 'legacy' | undefined;
  private readonly header: Record<string, string | number> = {};
  private metadata: z.infer<typeof metadataSchema> | undefined;
  private firstTarget: string | undefined;
  private result: ResultState | undefined;
  private workload: WorkloadState | undefined;
  private readonly emittedAssets = new Set<string>();

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  /** Depth at which a result object starts, when the path lies inside one. */
  private resultDepth(path: JsonPath): number | undefined {
    if (this.shape === 'legacy') return path.length >= 1 ? 1 : undefined;
    if (path[0] === 'Results' && path.length >= 2) return 2;
    if (typeof path[0] === 'string' && KUBERNETES_SECTIONS.has(path[0]) && path[2] === 'Results' && path.length >= 4) return 4;
    return undefined;
  }

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type === 'scalar') throw new ReportError('malformed', 'invalid Trivy report: expected a JSON object or array at the top level, found a single value');
      this.shape = type === 'object' ? 'report' : 'legacy';
      return 'enter';
    }

    const depth = this.resultDepth(path);
    if (depth !== undefined) {
      const relative = path.length - depth;
      const key = String(path[depth]);
      if (relative === 0) return expectType(path, type, 'object');
      if (relative === 1 && RESULT_SCALARS.has(key)) return 'assemble';
      if (relative === 1 && FINDING_SECTIONS.has(key)) return expectType(path, type, 'array');
      if (relative === 2 && FINDING_SECTIONS.has(key)) return 'assemble';
      return 'skip';
    }

    const top = String(path[0]);
    if (path.length === 1) {
      if (HEADER_SCALARS.has(top) || top === 'Metadata') return 'assemble';
      if (top === 'Results' || KUBERNETES_SECTIONS.has(top)) return expectType(path, type, 'array');
      return 'skip';
    }
    if (KUBERNETES_SECTIONS.has(top)) {
      if (path.length === 2) return expectType(path, type, 'object');
      const key = String(path[2]);
      if (path.length === 3 && WORKLOAD_SCALARS.has(key)) return 'assemble';
      if (path.length === 3 && key === 'Results') return expectType(path, type, 'array');
    }
    return 'skip';
  }

  handle(event: JsonEvent): ReportRecord[] {
    const { path } = event;
    const depth = this.resultDepth(path);

    if (event.kind === 'start') {
      if (depth !== undefined && path.length === depth) this.result = { context: this.workloadContext(), pending: [] };
      else if (this.isWorkloadPath(path)) this.workload = { fields: {}, assetKeys: new Set() };
      return [];
    }

    if (event.kind === 'end') {
      if (depth !== undefined && path.length === depth) return this.endResult();
      if (this.isWorkloadPath(path)) return this.endWorkload();
      return [];
    }

    if (depth !== undefined) {
      const key = String(path[depth]);
      if (path.length === depth + 1) return this.setResultField(key, event.value, path);
      if (isFindingSection(key)) return this.addItem({ section: key, value: event.value, path });
      return [];
    }
    if (this.isWorkloadPath(path.slice(0, 2)) && path.length === 3) {
      if (this.workload) this.workload.fields[String(path[2]).toLowerCase()] = requireString(event.value, path);
      return [];
    }
    this.setHeaderField(String(path[0]), event.value, path);
    return [];
  }

  /** Emits the artifact asset of a report without results, or fails when the report has no asset. */
  finish(): ReportRecord[] {
    const records: ReportRecord[] = [];
    if (this.shape === 'report' && this.header.ArtifactName !== undefined) this.artifactAsset(records);
    if (this.emittedAssets.size === 0) {
      throw new ReportError('empty', 'Trivy report contains no scanned artifact (no ArtifactName, Results or Kubernetes resources)');
    }
    return records;
  }

  private isWorkloadPath(path: JsonPath): boolean {
    return this.shape === 'report' && path.length === 2 && typeof path[0] === 'string' && KUBERNETES_SECTIONS.has(path[0]);
  }

  private workloadContext(): TrivyResultContext {
    return this.workload ? { workload: { ...this.workload.fields } } : {};
  }

  private setHeaderField(key: string, value: unknown, path: JsonPath): void {
    if (key === 'Metadata') {
      const parsed = metadataSchema.safeParse(value);
      if (!parsed.success) {
        throw new ReportError('invalid_field', `invalid Trivy field Metadata: ${parsed.error.issues[0]?.message ?? 'unexpected value'}`, { field: 'Metadata' });
      }
      this.metadata = parsed.data;
      return;
    }
    if (key === 'SchemaVersion') {
      if (typeof value !== 'number') throw new ReportError('invalid_field', 'SchemaVersion must be a number', { field: 'SchemaVersion' });
      this.header.SchemaVersion = value;
      return;
    }

    const text = requireString(value, path);
    this.header[key] = text;
    if (key === 'ArtifactName' || key === 'ClusterName') this.onMetadata({ title: text });
    if (key === 'CreatedAt') {
      const scannedAt = parseIsoDate(text, 'CreatedAt', { field: 'CreatedAt' });
      if (scannedAt) this.onMetadata({ scannedAt });
    }
  }

  private setResultField(key: string, value: unknown, path: JsonPath): ReportRecord[] {
    const result = this.result;
    if (!result) return [];
    const text = requireString(value, path);
    if (key === 'Class') result.context.resultClass = text;
    else if (key === 'Type') result.context.resultType = text;
    else {
      result.context.target = text;
      this.firstTarget ??= text;
    }
    if (key !== 'Target') return [];

    const records: ReportRecord[] = [];
    for (const item of result.pending.splice(0)) this.emitItem(item, result.context, records);
    return records;
  }

  /**
   * Maps a finding object, or keeps it until the result's Target is known. Trivy writes Target
   * before the findings, so nothing waits in practice. A report re-serialized with sorted keys
   * has Misconfigurations and Secrets before Target, and only those wait.
   */
  private addItem(item: PendingItem): ReportRecord[] {
    const result = this.result;
    if (!result) return [];
    if (result.context.target === undefined) {
      result.pending.push(item);
      return [];
    }
    const records: ReportRecord[] = [];
    this.emitItem(item, result.context, records);
    return records;
  }

  private emitItem(item: PendingItem, context: TrivyResultContext, records: ReportRecord[]): void {
    const assetKey = this.assetFor(item.section, context, records);
    let finding: FindingRecord | undefined;
    if (item.section === 'Vulnerabilities') finding = vulnerabilityFinding(item.value, item.path, assetKey, context);
    else if (item.section === 'Misconfigurations') finding = misconfigurationFinding(item.value, item.path, assetKey, context);
    else finding = secretFinding(item.value, item.path, assetKey, context);
    if (finding) records.push({ kind: 'finding', finding });
  }

  private endResult(): ReportRecord[] {
    const result = this.result;
    this.result = undefined;
    if (!result) return [];

    const records: ReportRecord[] = [];
    for (const item of result.pending) this.emitItem(item, result.context, records);
    // A target without findings was still scanned, so its asset is reported clean.
    if (!this.workload) this.artifactAsset(records);
    else if (result.context.resultClass === 'os-pkgs') this.assetFor('Vulnerabilities', result.context, records);
    return records;
  }

  private endWorkload(): ReportRecord[] {
    const workload = this.workload;
    this.workload = undefined;
    const records: ReportRecord[] = [];
    if (workload && workload.assetKeys.size === 0) this.resourceAsset(workload, records);
    return records;
  }

  /** Returns the key of the asset a finding belongs to, emitting the asset the first time. */
  private assetFor(section: FindingSection, context: TrivyResultContext, records: ReportRecord[]): string {
    const workload = this.workload;
    if (!workload) return this.artifactAsset(records);

    if (context.resultClass === 'os-pkgs' && context.target) workload.image ??= stripOsSuffix(context.target);
    // Misconfigurations are about the Kubernetes resource; vulnerabilities and secrets are in
    // the image, when the workload's OS-package result has named it.
    if (section === 'Misconfigurations' || !workload.image) return this.resourceAsset(workload, records);

    const key = `image:${workload.image}`;
    workload.assetKeys.add(key);
    this.emitAsset(records, {
      reportKey: key,
      name: workload.image,
      kind: 'container_image',
      raw: { ...this.clusterRaw(), ...workload.fields },
    });
    return key;
  }

  private resourceAsset(workload: WorkloadState, records: ReportRecord[]): string {
    const { namespace, kind = 'Resource', name = 'unnamed' } = workload.fields;
    const resourceName = namespace ? `${namespace}/${kind}/${name}` : `${kind}/${name}`;
    const key = `resource:${resourceName}`;
    workload.assetKeys.add(key);
    this.emitAsset(records, { reportKey: key, name: resourceName, kind: 'cloud_resource', raw: { ...this.clusterRaw(), ...workload.fields } });
    return key;
  }

  private clusterRaw(): Record<string, string> {
    const cluster = this.header.ClusterName;
    return typeof cluster === 'string' ? { cluster } : {};
  }

  /** Emits the single asset of a schema-2 or older-schema report. */
  private artifactAsset(records: ReportRecord[]): string {
    const key = 'artifact';
    if (this.emittedAssets.has(key)) return key;

    const artifactName = this.header.ArtifactName;
    const artifactType = this.header.ArtifactType;
    let name: string | undefined;
    // `trivy fs .` names every scanned folder ".", so such reports become one repository asset
    // unless each import gives an asset name (explicit-asset-name.ts), which replaces this name.
    if (typeof artifactName === 'string') name = artifactName;
    else if (this.firstTarget) name = stripOsSuffix(this.firstTarget);
    if (name === undefined) return key;

    // The older schema has no ArtifactType: a target like `alpine:3.10 (alpine 3.10.2)` names an image.
    const legacyKind = this.firstTarget && this.firstTarget !== stripOsSuffix(this.firstTarget) ? 'container_image' : 'repository';
    const kind = typeof artifactType === 'string' ? ARTIFACT_KINDS[artifactType] ?? 'repository' : legacyKind;
    const asset: AssetRecord = { reportKey: key, name, kind, raw: this.artifactRaw() };
    const os = [this.metadata?.OS?.Family, this.metadata?.OS?.Name].filter(Boolean).join(' ');
    if (os) asset.os = os;
    this.emitAsset(records, asset);
    return key;
  }

  private artifactRaw(): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    if (this.header.ArtifactType !== undefined) raw.artifactType = this.header.ArtifactType;
    if (this.metadata?.ImageID) raw.imageId = this.metadata.ImageID;
    if (this.metadata?.RepoTags) raw.repoTags = this.metadata.RepoTags;
    if (this.metadata?.RepoDigests) raw.repoDigests = this.metadata.RepoDigests;
    return raw;
  }

  private emitAsset(records: ReportRecord[], asset: AssetRecord): void {
    if (this.emittedAssets.has(asset.reportKey)) return;
    this.emittedAssets.add(detachString(asset.reportKey));
    records.push({ kind: 'asset', asset });
  }
}

function expectType(path: JsonPath, actual: JsonValueType, expected: 'object' | 'array'): 'enter' | 'skip' {
  // Go writes a nil slice as null, which the reader sees as a scalar; there is nothing in it.
  if (actual === 'scalar') return 'skip';
  if (actual !== expected) {
    const field = formatJsonPath(path);
    throw new ReportError('malformed', `${field} must be an ${expected}, but it is an ${actual}`, { field });
  }
  return 'enter';
}

function requireString(value: unknown, path: JsonPath): string {
  if (typeof value === 'string') return value;
  const field = formatJsonPath(path);
  throw new ReportError('invalid_field', `${field} must be a string, got ${JSON.stringify(value)}`, { field });
}

/** Removes Trivy's ` (debian 10.4)` suffix from an OS-package target to leave the image reference. */
function stripOsSuffix(target: string): string {
  if (!target.endsWith(')')) return target;
  const start = target.lastIndexOf(' (');
  return start > 0 ? target.slice(0, start) : target;
}

export const trivyParser: ReportParser = {
  format: 'trivy',
  source: 'Trivy',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'trivy', source: 'Trivy' });
    const reader = new TrivyReader(onMetadata);
    for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
      const records = reader.handle(event);
      if (records.length > 0) yield* records;
    }
    yield* reader.finish();
  },
};
