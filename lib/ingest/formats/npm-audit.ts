// Parser for `npm audit --json` reports of npm 6 (`actions`, `advisories`, `muted`, `metadata`)
// and of npm 7 and later (`auditReportVersion: 2`, `vulnerabilities`, `metadata`). Neither
// layout names the audited project, so the one application asset is named after the report's
// file name without its extension. The advisories wait in a spill queue until the end of the
// report, so npm 6's `actions` and `muted` and npm 7's dependency tree are known when each
// advisory is mapped, whatever the order of the keys. npm-audit-findings.ts maps them.

import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { AssetRecord, ParseContext, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { expectContainer } from './json-fields';
import { dependencyChains, npm6AdvisoryFindings, npm7PackageFindings, packageNode, type AdvisoryAction, type PackageNode } from './npm-audit-findings';
import { assetNameFromFile } from './asset-name-from-file';

const ASSET_KEY = 'project';

/** Top-level fields of either layout kept in the asset's raw. */
const HEADER_KEYS: ReadonlySet<string> = new Set(['metadata', 'runId', 'auditReportVersion']);

interface QueuedEntry {
  layout: 'advisories' | 'vulnerabilities';
  value: unknown;
  path: JsonPath;
}

class NpmAuditReader {
  private readonly pending = new SpillQueue<QueuedEntry>();
  private readonly header: Record<string, unknown> = {};
  /** npm 6: the actions that resolve each advisory, by advisory id. */
  private readonly actions = new Map<string, AdvisoryAction[]>();
  private readonly muted: Record<string, unknown>[] = [];
  /** npm 7+: every vulnerable package's place in the tree, for the dependency chains. */
  private readonly nodes = new Map<string, PackageNode>();
  private readonly layouts = new Set<QueuedEntry['layout']>();

  constructor(private readonly context: ParseContext | undefined) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type !== 'object') throw new ReportError('malformed', `invalid npm audit report: expected a JSON object at the top level, found an ${type}`);
      return 'enter';
    }
    const top = String(path[0]);
    if (path.length === 1) {
      if (top === 'advisories' || top === 'vulnerabilities') {
        this.layouts.add(top);
        return expectContainer(path, type, 'object');
      }
      if (top === 'actions' || top === 'muted') return expectContainer(path, type, 'array');
      return HEADER_KEYS.has(top) || top === 'error' ? 'assemble' : 'skip';
    }
    if (path.length === 2 && (top === 'advisories' || top === 'vulnerabilities' || top === 'actions' || top === 'muted')) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be an object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  async handle(path: JsonPath, value: unknown): Promise<void> {
    const top = String(path[0]);
    if (top === 'advisories' || top === 'vulnerabilities') {
      if (top === 'vulnerabilities') {
        const { name, node } = packageNode(value, path);
        this.nodes.set(name, node);
      }
      await this.pending.push({ layout: top, value, path: path.slice() });
    } else if (top === 'actions') {
      this.readAction(value as Record<string, unknown>);
    } else if (top === 'muted') {
      this.muted.push(value as Record<string, unknown>);
    } else if (top === 'error') {
      throw new ReportError('invalid_field', `npm audit did not run: ${errorSummary(value)}`, { field: 'error' });
    } else {
      this.header[top] = value;
    }
  }

  /** Emits the asset, then the findings of every advisory. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (this.layouts.size === 0) {
      throw new ReportError('invalid_field', 'npm audit report has neither advisories (npm 6) nor vulnerabilities (npm 7 and later); run npm audit --json again', {
        field: 'vulnerabilities',
      });
    }
    const name = assetNameFromFile(this.context?.fileName, 'npm audit', 'project');
    const raw: Record<string, unknown> = { ...this.header, layout: this.layouts.has('vulnerabilities') ? 'npm 7+' : 'npm 6' };
    const asset: AssetRecord = { reportKey: ASSET_KEY, name, kind: 'application', raw };
    yield { kind: 'asset', asset };

    for await (const entry of this.pending.drain()) {
      const findings =
        entry.layout === 'advisories'
          ? npm6AdvisoryFindings(entry.value, entry.path, ASSET_KEY, this.advisoryExtras(entry))
          : npm7PackageFindings(entry.value, entry.path, ASSET_KEY, dependencyChains(String(entry.path[1]), this.nodes));
      for (const finding of findings) yield { kind: 'finding', finding };
    }
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private advisoryExtras(entry: QueuedEntry): { actions: AdvisoryAction[]; muted: unknown[] } {
    const id = advisoryIdOf(entry.value) ?? String(entry.path[1]);
    return { actions: this.actions.get(id) ?? [], muted: this.muted.filter((mute) => String(mute.id) === id) };
  }

  /** Records, per advisory, the action that resolves it, without its per-path `resolves` details. */
  private readAction(action: Record<string, unknown>): void {
    const summary: AdvisoryAction = { action: String(action.action ?? '') };
    if (typeof action.module === 'string') summary.module = action.module;
    if (typeof action.target === 'string') summary.target = action.target;
    if (typeof action.isMajor === 'boolean') summary.isMajor = action.isMajor;
    const resolves = Array.isArray(action.resolves) ? action.resolves : [];
    const ids = new Set(resolves.flatMap((resolve: unknown) => (typeof resolve === 'object' && resolve !== null && 'id' in resolve ? [String(resolve.id)] : [])));
    const key = JSON.stringify(summary);
    for (const id of ids) {
      const list = this.actions.get(id) ?? [];
      if (!list.some((existing) => JSON.stringify(existing) === key)) list.push(summary);
      this.actions.set(id, list);
    }
  }
}

function advisoryIdOf(value: unknown): string | undefined {
  const id = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).id : undefined;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

function errorSummary(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const error = value as Record<string, unknown>;
    const text = [error.code, error.summary, error.detail].filter((part) => typeof part === 'string' && part.trim() !== '').join(': ');
    if (text) return text;
  }
  return JSON.stringify(value).slice(0, 200);
}

export const npmAuditParser: ReportParser = {
  format: 'npm-audit',
  source: 'npm audit',

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'npm-audit', source: 'npm audit' });
    const reader = new NpmAuditReader(context);
    try {
      for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
        if (event.kind === 'value') await reader.handle(event.path, event.value);
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
