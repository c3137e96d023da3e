// Parser for SARIF 2.1.0 logs (`{"version": "2.1.0", "runs": [...]}`), the output format of most
// SAST, code-quality and some dependency scanners. Each run is one tool's analysis of one
// code base, which becomes an asset named, in this order, after:
//
// 1. `versionControlProvenance[0].repositoryUri`, a repository asset;
// 2. the source root in `originalUriBaseIds` (`SRCROOT`, else the first absolute URI), a
//    repository asset named by its path;
// 3. the report's file name without its extension, an application asset, because nothing in the
//    run names what was analyzed.
//
// Each result becomes a finding (see sarif-findings.ts), except results of kind `pass` or
// `notApplicable` and results with baselineState `absent` (no longer present), which the asset
// counts in raw. A run's keys may come in any order, so results wait in a spill queue until the
// run ends, and rules and artifacts wait in keyed spill stores for the lookup.

import { detachString, parseIsoDate } from '../field-values';
import { formatJsonPath, streamJson, type JsonEvent, type JsonPath, type JsonValueType } from '../json-stream';
import { KeyedSpillStore } from '../keyed-spill-store';
import type { AssetRecord, ParseContext, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { expectContainer } from './json-fields';
import { assetNameFromFile } from './asset-name-from-file';
import { resultReferences, sarifFinding, uriPath, type RuleReference } from './sarif-findings';
import { readArtifact, readRule, type SarifArtifact, type SarifRule } from './sarif-rules';

const SUPPORTED_VERSION = '2.1.0';

/** Driver and extension fields kept in the asset's raw; the large ones (notifications, taxa) are not read. */
const COMPONENT_KEYS: ReadonlySet<string> = new Set(['name', 'fullName', 'version', 'semanticVersion', 'informationUri', 'organization', 'product', 'guid', 'language']);
/** Run fields kept in the asset's raw; taxonomies, graphs and the other large lookup tables are skipped. */
const RUN_KEYS: ReadonlySet<string> = new Set([
  'versionControlProvenance',
  'originalUriBaseIds',
  'automationDetails',
  'invocations',
  'properties',
  'language',
  'columnKind',
  'defaultSourceLanguage',
  'defaultEncoding',
  'baselineGuid',
  'conversion',
]);
/** Invocation fields kept; notifications and environment variables can be large or hold secrets. */
const INVOCATION_KEYS = ['commandLine', 'startTimeUtc', 'endTimeUtc', 'executionSuccessful', 'exitCode', 'exitCodeDescription', 'machine', 'account', 'workingDirectory'];

/** Result kinds that report no problem: the check passed or did not apply. */
const NON_FINDING_KINDS: ReadonlySet<string> = new Set(['pass', 'notApplicable']);

interface QueuedResult {
  value: unknown;
  path: JsonPath;
  rule: RuleReference;
  artifactIndex?: number;
}

/** The run being read. */
interface RunState {
  index: number;
  driver: Record<string, unknown>;
  extensions: Record<string, unknown>[];
  toolProperties?: unknown;
  header: Record<string, unknown>;
  rules: KeyedSpillStore<SarifRule>;
  /** Rule id to its key in `rules`; the driver's rule wins over an extension's of the same id. */
  ruleKeys: Map<string, string>;
  artifacts: KeyedSpillStore<SarifArtifact>;
  results: SpillQueue<QueuedResult>;
  /** Results that are no finding, counted by kind or baseline state. */
  skipped: Record<string, number>;
  artifactCount: number;
}

class SarifReader {
  private run: RunState | undefined;
  private readonly emittedAssets = new Set<string>();
  private sawRuns = false;
  private version: string | undefined;
  private scannedAt: Date | undefined;
  private titleSet = false;

  constructor(
    private readonly onMetadata: (meta: Partial<ReportMetadata>) => void,
    private readonly context: ParseContext | undefined,
  ) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid SARIF log: expected a JSON object at the top level, found an ${type}`);
      return 'enter';
    }
    if (path[0] === 'version' && path.length === 1) return 'assemble';
    if (path[0] !== 'runs') return 'skip';
    if (path.length === 1) {
      this.sawRuns = true;
      return expectContainer(path, type, 'array');
    }
    if (path.length === 2) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a run object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'enter';
    }
    return this.selectInRun(path.slice(2), path, type);
  }

  /** Chooses the action for a value inside a run, from its path below `runs[i]`. */
  private selectInRun(inRun: JsonPath, path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    const [key, second, third, fourth, fifth] = inRun;
    const depth = inRun.length;
    if (key === 'results' || key === 'artifacts') {
      if (depth === 1) return expectContainer(path, type, 'array');
      if (depth === 2) {
        if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be an object, but it is an ${type}`, { field: formatJsonPath(path) });
        return 'assemble';
      }
      return 'skip';
    }
    if (key !== 'tool') return depth === 1 && RUN_KEYS.has(String(key)) ? 'assemble' : 'skip';

    if (depth === 1) return expectContainer(path, type, 'object');
    if (second === 'properties' && depth === 2) return 'assemble';
    if (second === 'driver') {
      if (depth === 2) return expectContainer(path, type, 'object');
      if (third === 'rules') return depth === 3 ? expectContainer(path, type, 'array') : depth === 4 ? 'assemble' : 'skip';
      return depth === 3 && COMPONENT_KEYS.has(String(third)) ? 'assemble' : 'skip';
    }
    if (second === 'extensions') {
      if (depth === 2) return expectContainer(path, type, 'array');
      if (depth === 3) return expectContainer(path, type, 'object');
      if (fourth === 'rules') return depth === 4 ? expectContainer(path, type, 'array') : depth === 5 && fifth !== undefined ? 'assemble' : 'skip';
      return depth === 4 && COMPONENT_KEYS.has(String(fourth)) ? 'assemble' : 'skip';
    }
    return 'skip';
  }

  async *handle(event: JsonEvent): AsyncGenerator<ReportRecord> {
    const path = event.path;
    if (event.kind !== 'value') {
      if (path.length !== 2 || path[0] !== 'runs') return;
      if (event.kind === 'start') this.startRun(Number(path[1]));
      else yield* this.finishRun();
      return;
    }

    if (path.length === 1 && path[0] === 'version') {
      this.readVersion(event.value);
      return;
    }
    const run = this.run;
    if (!run || path[0] !== 'runs') return;
    await this.readRunValue(run, path.slice(2), path, event.value);
  }

  async finish(): Promise<void> {
    if (this.version === undefined) throw new ReportError('invalid_field', 'SARIF log has no version; expected "version": "2.1.0"', { field: 'version' });
    if (!this.sawRuns) throw new ReportError('invalid_field', 'SARIF log has no runs array', { field: 'runs' });
    if (this.emittedAssets.size === 0) throw new ReportError('empty', 'SARIF log contains no runs');
  }

  async dispose(): Promise<void> {
    await this.disposeRun();
  }

  private readVersion(value: unknown): void {
    this.version = String(value);
    if (this.version !== SUPPORTED_VERSION) {
      throw new ReportError('invalid_field', `SARIF version ${JSON.stringify(value)} is not supported; export the log as SARIF ${SUPPORTED_VERSION}`, { field: 'version' });
    }
  }

  private startRun(index: number): void {
    this.run = {
      index,
      driver: {},
      extensions: [],
      header: {},
      rules: new KeyedSpillStore(),
      ruleKeys: new Map(),
      artifacts: new KeyedSpillStore(),
      results: new SpillQueue(),
      skipped: {},
      artifactCount: 0,
    };
  }

  private async readRunValue(run: RunState, inRun: JsonPath, path: JsonPath, value: unknown): Promise<void> {
    const [key, second, third, fourth] = inRun;
    if (key === 'results') {
      await this.queueResult(run, path, value);
    } else if (key === 'artifacts') {
      run.artifactCount++;
      await run.artifacts.set(String(second), readArtifact(value, path));
    } else if (key === 'tool' && second === 'driver' && third === 'rules') {
      await this.addRule(run, `d/${String(fourth)}`, readRule(value, path), false);
    } else if (key === 'tool' && second === 'driver') {
      run.driver[String(third)] = value;
    } else if (key === 'tool' && second === 'extensions' && fourth === 'rules') {
      await this.addRule(run, `e${String(third)}/${String(inRun[4])}`, readRule(value, path), true);
    } else if (key === 'tool' && second === 'extensions') {
      const index = Number(third);
      run.extensions[index] = { ...run.extensions[index], [String(fourth)]: value };
    } else if (key === 'tool' && second === 'properties') {
      run.toolProperties = value;
    } else if (typeof key === 'string') {
      run.header[key] = key === 'invocations' ? invocationSummaries(value) : value;
    }
  }

  private async addRule(run: RunState, key: string, rule: SarifRule, extension: boolean): Promise<void> {
    await run.rules.set(key, rule);
    if (rule.id && (!extension || !run.ruleKeys.has(rule.id))) run.ruleKeys.set(detachString(rule.id), key);
  }

  private async queueResult(run: RunState, path: JsonPath, value: unknown): Promise<void> {
    const references = resultReferences(value);
    let skippedAs: string | undefined;
    if (references.kind && NON_FINDING_KINDS.has(references.kind)) skippedAs = references.kind;
    else if (references.baselineState === 'absent') skippedAs = 'absent';
    if (skippedAs) {
      run.skipped[skippedAs] = (run.skipped[skippedAs] ?? 0) + 1;
      return;
    }
    const queued: QueuedResult = { value, path: path.slice(), rule: references.rule };
    if (references.artifactIndex !== undefined) queued.artifactIndex = references.artifactIndex;
    await run.results.push(queued);
  }

  /** Emits the run's asset, unless an earlier run had the same one, then maps its results. */
  private async *finishRun(): AsyncGenerator<ReportRecord> {
    const run = this.run;
    if (!run) return;
    const asset = this.runAsset(run);
    const toolName = typeof run.driver.name === 'string' ? run.driver.name : 'SARIF tool';
    if (!this.emittedAssets.has(asset.reportKey)) {
      this.emittedAssets.add(asset.reportKey);
      yield { kind: 'asset', asset };
    }
    if (!this.titleSet) {
      this.titleSet = true;
      this.onMetadata({ title: `${toolName}: ${asset.name}` });
    }
    this.readScanTime(run);

    for await (const result of run.results.drain()) {
      const rule = await ruleOf(run, result.rule);
      const artifact = result.artifactIndex === undefined ? undefined : await run.artifacts.get(String(result.artifactIndex));
      yield { kind: 'finding', finding: sarifFinding(result.value, result.path, rule, artifact, { assetKey: asset.reportKey, toolName }) };
    }
    await this.disposeRun();
  }

  private async disposeRun(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    await run.results.dispose();
    await run.rules.dispose();
    await run.artifacts.dispose();
  }

  private runAsset(run: RunState): AssetRecord {
    const raw: Record<string, unknown> = { tool: run.driver, ...run.header };
    if (run.extensions.length > 0) raw.extensions = run.extensions.filter(Boolean);
    if (run.toolProperties !== undefined) raw.toolProperties = run.toolProperties;
    if (run.artifactCount > 0) raw.artifactCount = run.artifactCount;
    if (Object.keys(run.skipped).length > 0) raw.resultsWithoutFinding = run.skipped;

    const repository = repositoryUri(run.header.versionControlProvenance) ?? sourceRoot(run.header.originalUriBaseIds);
    const name = repository ?? assetNameFromFile(this.context?.fileName, 'SARIF', 'analyzed repository (no versionControlProvenance or originalUriBaseIds)');
    const kind = repository ? 'repository' : 'application';
    return { reportKey: `${kind}:${name}`, name: detachString(name), kind, raw };
  }

  /** Reports the earliest invocation start (else end) time as the scan time. */
  private readScanTime(run: RunState): void {
    const invocations = Array.isArray(run.header.invocations) ? (run.header.invocations as Record<string, unknown>[]) : [];
    invocations.forEach((invocation, index) => {
      const text = invocation.startTimeUtc ?? invocation.endTimeUtc;
      if (typeof text !== 'string') return;
      const field = `runs[${run.index}].invocations[${index}].${invocation.startTimeUtc ? 'startTimeUtc' : 'endTimeUtc'}`;
      const time = parseIsoDate(text, field, { field });
      if (time && (!this.scannedAt || time < this.scannedAt)) {
        this.scannedAt = time;
        this.onMetadata({ scannedAt: time });
      }
    });
  }
}

/** Finds a result's rule by index (in the driver or an extension), else by id or its hierarchical parent (`a/b` → `a`). */
async function ruleOf(run: RunState, reference: RuleReference): Promise<SarifRule | undefined> {
  if (reference.index !== undefined) {
    const key = reference.extension !== undefined ? `e${reference.extension}/${reference.index}` : `d/${reference.index}`;
    const rule = await run.rules.get(key);
    if (rule) return rule;
  }
  let id = reference.id;
  while (id) {
    const key = run.ruleKeys.get(id);
    if (key) return run.rules.get(key);
    const slash = id.lastIndexOf('/');
    id = slash > 0 ? id.slice(0, slash) : undefined;
  }
  return undefined;
}

function invocationSummaries(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((invocation: unknown) => {
    if (typeof invocation !== 'object' || invocation === null) return invocation;
    const entry = invocation as Record<string, unknown>;
    return Object.fromEntries(INVOCATION_KEYS.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
  });
}

function repositoryUri(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const entry of value) {
    const uri = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).repositoryUri : undefined;
    if (typeof uri === 'string' && uri.trim() !== '') return uri.trim().replace(/\/+$/, '');
  }
  return undefined;
}

/** Returns the path of the source root among `originalUriBaseIds`: SRCROOT, else the first absolute URI. */
function sourceRoot(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).flatMap(([key, base]) => {
    const uri = typeof base === 'object' && base !== null ? (base as Record<string, unknown>).uri : undefined;
    return typeof uri === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(uri) ? [{ key, uri }] : [];
  });
  const root = entries.find((entry) => entry.key.replace(/[%_]/g, '').toUpperCase() === 'SRCROOT') ?? entries[0];
  if (!root) return undefined;
  const rootPath = uriPath(root.uri).replace(/\/+$/, '');
  return rootPath || undefined;
}

export const sarifParser: ReportParser = {
  format: 'sarif',
  source: 'SARIF',

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'sarif', source: 'SARIF' });
    const reader = new SarifReader(onMetadata, context);
    try {
      for await (const event of streamJson(input, (path, type) => reader.select(path, type))) yield* reader.handle(event);
      await reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
