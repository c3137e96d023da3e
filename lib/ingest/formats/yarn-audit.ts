// Parser for yarn's audit reports, which are JSON Lines:
//
// - yarn 1 (`yarn audit --json`): `{"type":"auditAdvisory","data":{"resolution":{…},"advisory":{…}}}`
//   lines carrying npm 6 advisories, `auditAction` lines with the upgrade that resolves them, and one
//   `auditSummary` line. yarn repeats an advisory on one line per dependency path (`resolution`),
//   so each advisory id is mapped once, with npm audit's mapping (npm-audit-findings.ts).
// - yarn 2 and later (`yarn npm audit --json`): `{"value":"<package>","children":{"ID",…}}`, one
//   line per advisory and package, where `Tree Versions` lists the installed versions.
//
// Neither names the audited project, so the one application asset is named after the report's
// file name, as for npm audit. Advisories wait in a spill queue until the end of the report,
// so the actions and resolutions of later lines are known when each one is mapped.

import { z } from 'zod';
import { unique } from '../field-values';
import type { AssetRecord, FindingRecord, ParseContext, ReportParser, ReportRecord, Severity } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { severityFrom, validateJson } from './json-fields';
import { streamJsonLines } from './json-lines';
import { firstFixedVersion, npm6AdvisoryFindings, type AdvisoryAction } from './npm-audit-findings';
import { assetNameFromFile } from './asset-name-from-file';

export const YARN_AUDIT_SOURCE = 'yarn audit';
const FORMAT_NAME = 'yarn audit';
const ASSET_KEY = 'project';

/** yarn's severities on the product's 1–5 scale; `moderate` is medium. */
const SEVERITIES: Record<string, Severity> = { info: 1, low: 2, moderate: 3, high: 4, critical: 5 };

/** info and warning messages kept in the asset's raw; a broken install can print thousands. */
const MAX_MESSAGES = 100;

const resolutionSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  path: z.string().nullish(),
  dev: z.boolean().nullish(),
  optional: z.boolean().nullish(),
  bundled: z.boolean().nullish(),
});

const advisoryLineSchema = z.looseObject({
  resolution: resolutionSchema.nullish(),
  advisory: z.looseObject({ id: z.union([z.number(), z.string()]) }),
});

const actionLineSchema = z.looseObject({
  action: z.looseObject({
    action: z.string(),
    module: z.string().nullish(),
    target: z.string().nullish(),
    isMajor: z.boolean().nullish(),
    resolves: z.array(z.looseObject({ id: z.union([z.number(), z.string()]) })).nullish(),
  }),
});

const berryLineSchema = z.looseObject({
  value: z.string().min(1),
  children: z.looseObject({
    ID: z.union([z.number(), z.string()]),
    Issue: z.string().min(1),
    URL: z.string().nullish(),
    Severity: z.string(),
    'Vulnerable Versions': z.string().nullish(),
    'Tree Versions': z.array(z.string()).nullish(),
    Dependents: z.array(z.string()).nullish(),
  }),
});

const MAPPED_BERRY_FIELDS = new Set(['ID', 'Issue', 'URL', 'Severity', 'Tree Versions']);

type QueuedLine = { layout: 'yarn1'; advisory: unknown; line: number } | { layout: 'berry'; entry: unknown; line: number };

/** yarn 1: the dependency paths through which one advisory was found. */
interface Resolutions {
  paths: string[];
  dev: boolean;
  optional: boolean;
  bundled: boolean;
}

/** Dependency paths listed per advisory; the advisory's own `findings` list them all. */
const MAX_RESOLUTION_PATHS = 100;

class YarnAuditReader {
  private readonly pending = new SpillQueue<QueuedLine>();
  private readonly advisoryIds = new Set<string>();
  private readonly resolutions = new Map<string, Resolutions>();
  private readonly actions = new Map<string, AdvisoryAction[]>();
  private readonly layouts = new Set<'yarn 1' | 'yarn 2+'>();
  private readonly messages: unknown[] = [];
  private summary: unknown;
  private lines = 0;

  constructor(private readonly context: ParseContext | undefined) {}

  async read(value: unknown, line: number): Promise<void> {
    this.lines++;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ReportError('malformed', `invalid yarn audit line: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`, { line });
    }
    const record = value as Record<string, unknown>;
    if (typeof record.type === 'string') await this.readYarn1(record.type, record.data, line);
    else if ('value' in record && 'children' in record) {
      this.layouts.add('yarn 2+');
      await this.pending.push({ layout: 'berry', entry: value, line });
    } else {
      throw new ReportError('invalid_field', 'yarn audit line has neither "type" (yarn 1) nor "value" and "children" (yarn 2 and later)', { line });
    }
  }

  private async readYarn1(type: string, data: unknown, line: number): Promise<void> {
    this.layouts.add('yarn 1');
    if (type === 'auditAdvisory') {
      const parsed = withLine(line, () => validateJson(advisoryLineSchema, data, ['data'], FORMAT_NAME));
      const id = String(parsed.advisory.id);
      if (parsed.resolution) this.addResolution(id, parsed.resolution);
      if (this.advisoryIds.has(id)) return;
      this.advisoryIds.add(id);
      await this.pending.push({ layout: 'yarn1', advisory: parsed.advisory, line });
    } else if (type === 'auditAction') {
      this.addAction(withLine(line, () => validateJson(actionLineSchema, data, ['data'], FORMAT_NAME)).action);
    } else if (type === 'auditSummary') {
      this.summary = data;
    } else if (type === 'error') {
      throw new ReportError('invalid_field', `yarn audit did not run: ${typeof data === 'string' ? data : JSON.stringify(data).slice(0, 200)}`, { line, field: 'data' });
    } else if (this.messages.length < MAX_MESSAGES) {
      // info, warning and other progress lines.
      this.messages.push({ type, data });
    }
  }

  private addResolution(id: string, resolution: z.infer<typeof resolutionSchema>): void {
    const known = this.resolutions.get(id) ?? { paths: [], dev: true, optional: true, bundled: false };
    if (resolution.path && known.paths.length < MAX_RESOLUTION_PATHS && !known.paths.includes(resolution.path)) known.paths.push(resolution.path);
    // The advisory is a dev (or optional) dependency only when every path to it is one.
    known.dev &&= resolution.dev === true;
    known.optional &&= resolution.optional === true;
    known.bundled ||= resolution.bundled === true;
    this.resolutions.set(id, known);
  }

  private addAction(action: z.infer<typeof actionLineSchema>['action']): void {
    const summary: AdvisoryAction = { action: action.action };
    if (action.module) summary.module = action.module;
    if (action.target) summary.target = action.target;
    if (typeof action.isMajor === 'boolean') summary.isMajor = action.isMajor;
    const key = JSON.stringify(summary);
    for (const id of unique((action.resolves ?? []).map((resolve) => String(resolve.id)))) {
      const list = this.actions.get(id) ?? [];
      if (!list.some((existing) => JSON.stringify(existing) === key)) list.push(summary);
      this.actions.set(id, list);
    }
  }

  /** Emits the application, then the findings of every advisory. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (this.lines === 0) throw new ReportError('empty', 'file is empty');
    if (this.layouts.has('yarn 1') && this.summary === undefined && this.advisoryIds.size === 0) {
      throw new ReportError('invalid_field', 'yarn audit report has no auditAdvisory and no auditSummary line; run yarn audit --json again', { field: 'type' });
    }
    const raw: Record<string, unknown> = { layout: [...this.layouts].join(', ') };
    if (this.summary !== undefined) raw.summary = this.summary;
    if (this.messages.length > 0) raw.messages = this.messages;
    const asset: AssetRecord = { reportKey: ASSET_KEY, name: assetNameFromFile(this.context?.fileName, FORMAT_NAME, 'project'), kind: 'application', raw };
    yield { kind: 'asset', asset };

    for await (const queued of this.pending.drain()) {
      const findings = queued.layout === 'yarn1' ? this.yarn1Findings(queued.advisory, queued.line) : berryFindings(queued.entry, queued.line);
      for (const finding of findings) yield { kind: 'finding', finding };
    }
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private yarn1Findings(advisory: unknown, line: number): FindingRecord[] {
    const id = String((advisory as { id: unknown }).id);
    const findings = withLine(line, () => npm6AdvisoryFindings(advisory, ['data', 'advisory'], ASSET_KEY, { actions: this.actions.get(id) ?? [], muted: [] }));
    const resolutions = this.resolutions.get(id);
    for (const finding of findings) {
      finding.position = { line, field: 'data.advisory' };
      if (!resolutions) continue;
      finding.raw.resolutions = resolutions.paths;
      finding.raw.dev = resolutions.dev;
      finding.raw.optional = resolutions.optional;
      finding.raw.bundled = resolutions.bundled;
    }
    return findings;
  }
}

/**
 * Maps a yarn 2+ line to one finding per installed version (`Tree Versions`). yarn also reports
 * deprecated packages this way, with an ID such as `pkg (deprecation)`; they are kept as findings at
 * yarn's severity, flagged `raw.deprecation = true`.
 */
function berryFindings(value: unknown, line: number): FindingRecord[] {
  const { value: name, children } = withLine(line, () => validateJson(berryLineSchema, value, [], FORMAT_NAME));
  const severity = withLine(line, () => severityFrom(SEVERITIES, children.Severity, 'children.Severity', FORMAT_NAME)) ?? 1;
  const id = String(children.ID);
  const vendorId = (children.URL && /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(children.URL)?.[0]) || id;
  const fixedVersion = firstFixedVersion(children['Vulnerable Versions']);
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(children)) if (!MAPPED_BERRY_FIELDS.has(key) && field !== undefined) raw[key] = field;
  raw.ID = children.ID;
  if (/\(deprecation\)\s*$/.test(id)) raw.deprecation = true;

  const versions: (string | undefined)[] = children['Tree Versions']?.length ? unique(children['Tree Versions']) : [undefined];
  return versions.map((version) => {
    const finding: FindingRecord = {
      assetKey: ASSET_KEY,
      type: 'vulnerability',
      vendorId,
      sourceFindingId: `${id}:${name}@${version ?? ''}`,
      title: children.Issue,
      severity,
      technology: { product: name, category: 'npm', ...(version ? { version } : {}) },
      raw: { ...raw },
      position: { line, field: 'children' },
    };
    if (children.URL) finding.references = [children.URL];
    if (fixedVersion) {
      finding.fixedVersion = fixedVersion;
      finding.solution = `Upgrade ${name} to ${fixedVersion} or later.`;
    }
    return finding;
  });
}

/** Runs a mapping step and adds the line number to the ReportError it throws. */
function withLine<T>(line: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof ReportError && error.position.line === undefined) throw new ReportError(error.code, error.detail, { ...error.position, line }, error.file);
    throw error;
  }
}

export const yarnAuditParser: ReportParser = {
  format: 'yarn-audit',
  source: YARN_AUDIT_SOURCE,

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'yarn-audit', source: YARN_AUDIT_SOURCE });
    const reader = new YarnAuditReader(context);
    try {
      for await (const { value, line } of streamJsonLines(input, FORMAT_NAME)) await reader.read(value, line);
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
