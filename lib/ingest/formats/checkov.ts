// Parser for Checkov JSON reports (`checkov -o json`): one report object per runner
// (`check_type`: terraform, dockerfile, kubernetes, secrets, sca_package …), alone or in an
// array when several runners ran. Each has `results` with `passed_checks[]`, `failed_checks[]`,
// `skipped_checks[]` and `parsing_errors[]`, then `summary` and `url`.
//
// The scanned folder is one repository asset. Its name is the repository that Checkov sent the
// results to, from `repo_id` or the `repository` parameter of a Prisma Cloud (Bridgecrew)
// `url`, else the stem of the report's file name. `url` comes after the results, so the checks
// wait in a spill queue until the report ends. Failed and skipped checks become findings (see
// checkov-findings.ts); passed checks are not findings, and their number stays in the asset's
// `raw.summaries` with the rest of each runner's summary.

import { z } from 'zod';
import { detachString } from '../field-values';
import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ParseContext, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { checkovFinding } from './checkov-findings';
import { assetNameFromFile } from './asset-name-from-file';
import { expectContainer } from './json-fields';

const ASSET_KEY = 'repository';
const FINDING_LISTS: ReadonlySet<string> = new Set(['failed_checks', 'skipped_checks']);

/** The top-level fields of one runner's report, apart from its results. */
interface RunnerHeader {
  checkType?: string;
  fields: Record<string, unknown>;
  parsingErrors?: unknown;
  recognized: boolean;
}

interface PendingCheck {
  value: unknown;
  path: JsonPath;
  runner: number;
  skipped: boolean;
}

class CheckovReader {
  /** Path length of a runner's report: 1 inside a top-level array, 0 for a top-level object. */
  private runnerDepth = 0;
  private readonly runners = new Map<number, RunnerHeader>();
  private readonly pending = new SpillQueue<PendingCheck>();

  constructor(private readonly context: ParseContext | undefined) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type === 'scalar') throw new ReportError('malformed', 'invalid Checkov report: expected a JSON object or array at the top level, found a single value');
      this.runnerDepth = type === 'array' ? 1 : 0;
      return 'enter';
    }
    const relative = path.slice(this.runnerDepth);
    if (relative.length === 0) return expectContainer(path, type, 'object');
    const key = String(relative[0]);
    if (relative.length === 1) return key === 'results' ? expectContainer(path, type, 'object') : 'assemble';
    if (key !== 'results') return 'skip';

    const list = String(relative[1]);
    if (relative.length === 2) {
      if (FINDING_LISTS.has(list)) return expectContainer(path, type, 'array');
      return list === 'parsing_errors' ? 'assemble' : 'skip';
    }
    if (relative.length === 3 && FINDING_LISTS.has(list)) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a check object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  async handle(path: JsonPath, value: unknown): Promise<void> {
    const runnerIndex = this.runnerDepth === 1 ? Number(path[0]) : 0;
    const runner = this.runner(runnerIndex);
    const relative = path.slice(this.runnerDepth);
    const key = String(relative[0]);

    if (key === 'results') {
      runner.recognized = true;
      if (relative[1] === 'parsing_errors') runner.parsingErrors = value;
      else await this.pending.push({ value, path: path.slice(), runner: runnerIndex, skipped: relative[1] === 'skipped_checks' });
      return;
    }
    if (key === 'check_type') {
      if (typeof value !== 'string') throw new ReportError('invalid_field', `${formatJsonPath(path)} must be a string, got ${JSON.stringify(value)}`, { field: formatJsonPath(path) });
      runner.checkType = detachString(value);
      runner.recognized = true;
      return;
    }
    runner.fields[detachString(key)] = value;
  }

  /** Emits the repository asset and then every failed and skipped check. */
  async *finish(): AsyncGenerator<ReportRecord> {
    const runners = [...this.runners.values()].filter((runner) => runner.recognized);
    if (runners.length === 0) throw new ReportError('empty', 'Checkov report contains no check_type and no results; expected the output of checkov -o json');
    yield { kind: 'asset', asset: this.asset(runners) };
    for await (const check of this.pending.drain()) {
      const checkType = this.runners.get(check.runner)?.checkType;
      yield { kind: 'finding', finding: checkovFinding(check.value, check.path, ASSET_KEY, checkType, check.skipped) };
    }
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private runner(index: number): RunnerHeader {
    let runner = this.runners.get(index);
    if (!runner) {
      runner = { fields: {}, recognized: false };
      this.runners.set(index, runner);
    }
    return runner;
  }

  private asset(runners: RunnerHeader[]): AssetRecord {
    const repository = runners.map((runner) => repositoryOf(runner.fields)).find((name) => name !== undefined);
    const name = repository ?? assetNameFromFile(this.context?.fileName, 'Checkov', 'repository (no repo_id or Prisma Cloud url)');
    const raw: Record<string, unknown> = { scanner: 'Checkov' };
    const summaries: Record<string, unknown> = {};
    const parsingErrors: Record<string, unknown> = {};
    const fields: Record<string, unknown> = {};
    runners.forEach((runner, index) => {
      const checkType = runner.checkType ?? `report ${index + 1}`;
      const { summary, ...rest } = runner.fields;
      if (summary !== undefined) summaries[checkType] = summary;
      if (Array.isArray(runner.parsingErrors) && runner.parsingErrors.length > 0) parsingErrors[checkType] = runner.parsingErrors;
      Object.assign(fields, rest);
    });
    if (Object.keys(summaries).length > 0) raw.summaries = summaries;
    if (Object.keys(parsingErrors).length > 0) raw.parsingErrors = parsingErrors;
    Object.assign(raw, fields);
    return { reportKey: ASSET_KEY, name, kind: 'repository', raw };
  }
}

const urlSchema = z.string();

/**
 * Returns the repository that a runner's report names: `repo_id`, else the `repository` query
 * parameter of a Prisma Cloud project URL. Without an API key, Checkov writes a hint sentence in
 * `url` instead of a URL, which names nothing.
 */
function repositoryOf(fields: Record<string, unknown>): string | undefined {
  const repoId = fields.repo_id;
  if (typeof repoId === 'string' && repoId.trim()) return repoId.trim();
  const url = urlSchema.safeParse(fields.url);
  if (!url.success || !/^https?:\/\//i.test(url.data.trim())) return undefined;
  try {
    const repository = new URL(url.data.trim()).searchParams.get('repository')?.trim();
    return repository || undefined;
  } catch {
    return undefined;
  }
}

export const checkovParser: ReportParser = {
  format: 'checkov',
  source: 'Checkov',

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'checkov', source: 'Checkov' });
    const reader = new CheckovReader(context);
    try {
      for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
        if (event.kind === 'value') await reader.handle(event.path, event.value);
      }
      for await (const record of reader.finish()) {
        if (record.kind === 'asset') onMetadata({ title: record.asset.name });
        yield record;
      }
    } finally {
      await reader.dispose();
    }
  },
};
