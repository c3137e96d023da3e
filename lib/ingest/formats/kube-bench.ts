// Parser for kube-bench JSON output (`kube-bench run --json`) in its three shapes:
// - `{"Controls": [control…], "Totals": {…}}`, written by current versions;
// - a bare array of controls, written by older versions;
// - one control object, written when a single target is run.
// A control is one benchmark target (`master`, `node`, `etcd`, `controlplane`, `policies`) with
// `tests[]` groups whose `results[]` are the checks. Failed and warned checks become findings
// (see kube-bench-findings.ts); passed and informational ones are skipped, not counted.
//
// kube-bench names no node or cluster, so the one asset is a host named after the report's file
// name (`node-1.json` gives the host `node-1`). An import's asset name replaces that name
// (explicit-asset-name.ts), so `kube-bench.json` files of two clusters can stay two hosts.

import { detachString } from '../field-values';
import { formatJsonPath, streamJson, type JsonEvent, type JsonPath, type JsonValueType } from '../json-stream';
import type { ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { assetNameFromFile, hostFromFileStem } from './asset-name-from-file';
import { expectContainer } from './json-fields';
import { kubeBenchFinding, type KubeBenchContext } from './kube-bench-findings';

const ASSET_KEY = 'node';
const CONTROL_FIELDS: Record<string, keyof KubeBenchContext> = {
  id: 'controlId',
  version: 'version',
  detected_version: 'detectedVersion',
  text: 'controlText',
  node_type: 'nodeType',
};
const GROUP_FIELDS: Record<string, keyof KubeBenchContext> = { section: 'section', desc: 'sectionDescription' };

interface PendingResult {
  value: unknown;
  path: JsonPath;
}

/** The control being read; its results wait in `pending` when they come before the control's id. */
interface ControlState {
  context: KubeBenchContext;
  group: KubeBenchContext;
  pending: PendingResult[];
  /** True when the results are mapped at once, because the control's and group's fields came first. */
  streaming: boolean;
  /** True once the control showed an `id` or a `tests` array. */
  recognized: boolean;
}

class KubeBenchReader {
  /** Path of a control object: `['Controls', i]`, `[i]` or `[]`. */
  private controlDepth: number | undefined;
  private control: ControlState | undefined;
  private assetEmitted = false;
  /** Controls that had an id or tests, so the document is kube-bench output. */
  private controls = 0;

  constructor(private readonly assetName: string) {}

  select(path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' {
    if (path.length === 0) {
      if (type === 'scalar') throw new ReportError('malformed', 'invalid kube-bench report: expected a JSON object or array at the top level, found a single value');
      if (type === 'array') this.controlDepth = 1;
      return 'enter';
    }
    if (this.controlDepth === undefined) {
      // The first key of a top-level object decides between the shapes.
      this.controlDepth = path[0] === 'Controls' || path[0] === 'Totals' ? 2 : 0;
    }
    // `Totals` only sums the results' statuses, so it is not read.
    if (this.controlDepth === 2 && path.length === 1) return path[0] === 'Controls' ? expectContainer(path, type, 'array') : 'skip';
    if (this.controlDepth === 2 && path[0] !== 'Controls') return 'skip';

    const relative = path.slice(this.controlDepth);
    if (relative.length === 0) return expectContainer(path, type, 'object');
    const key = String(relative[0]);
    if (relative.length === 1) {
      if (key === 'tests') return expectContainer(path, type, 'array');
      return key in CONTROL_FIELDS && type === 'scalar' ? 'assemble' : 'skip';
    }
    if (key !== 'tests') return 'skip';
    if (relative.length === 2) return expectContainer(path, type, 'object');
    const groupKey = String(relative[2]);
    if (relative.length === 3) {
      if (groupKey === 'results') return expectContainer(path, type, 'array');
      return groupKey in GROUP_FIELDS && type === 'scalar' ? 'assemble' : 'skip';
    }
    if (groupKey === 'results' && relative.length === 4) {
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a check result object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    }
    return 'skip';
  }

  handle(event: JsonEvent): ReportRecord[] {
    const depth = this.controlDepth ?? 0;
    const { path } = event;
    if (path.length < depth) return [];
    const relative = path.slice(depth);

    if (event.kind === 'start') {
      if (relative.length === 0) this.control = { context: {}, group: {}, pending: [], streaming: false, recognized: false };
      else if (relative.length === 1 && this.control) this.control.recognized = true;
      else if (relative.length === 2 && this.control) this.control.group = {};
      else if (relative.length === 3 && relative[2] === 'results' && this.control) this.control.streaming = this.control.context.controlId !== undefined && this.control.group.section !== undefined;
      return [];
    }
    if (event.kind === 'end') {
      if (relative.length === 0) return this.endControl();
      if (relative.length === 2) return this.endGroup();
      return [];
    }

    const control = this.control;
    if (!control) return [];
    if (relative.length === 1) {
      const name = CONTROL_FIELDS[String(relative[0])];
      if (name) control.context[name] = scalarText(event.value, path);
      if (name === 'controlId') control.recognized = true;
      return [];
    }
    if (relative.length === 3) {
      const name = GROUP_FIELDS[String(relative[2])];
      if (name) control.group[name] = scalarText(event.value, path);
      return [];
    }
    const result: PendingResult = { value: event.value, path: path.slice() };
    if (control.streaming) return this.mapResult(result, control);
    control.pending.push(result);
    return [];
  }

  /** Emits the asset of a report without failed checks, or fails for a report without controls. */
  finish(): ReportRecord[] {
    if (this.controls === 0) throw new ReportError('empty', 'kube-bench report contains no controls; expected the output of kube-bench run --json');
    return this.asset();
  }

  private endGroup(): ReportRecord[] {
    const control = this.control;
    if (!control) return [];
    // Results that came before the group's section wait for the end of the control only when
    // the control's own fields are still missing.
    if (control.context.controlId === undefined) return [];
    return this.flush(control);
  }

  private endControl(): ReportRecord[] {
    const control = this.control;
    this.control = undefined;
    if (!control) return [];
    if (control.recognized) this.controls++;
    return this.flush(control);
  }

  private flush(control: ControlState): ReportRecord[] {
    const records: ReportRecord[] = [];
    for (const result of control.pending.splice(0)) records.push(...this.mapResult(result, control));
    return records;
  }

  private mapResult(result: PendingResult, control: ControlState): ReportRecord[] {
    const finding = kubeBenchFinding(result.value, result.path, ASSET_KEY, { ...control.context, ...control.group });
    if (!finding) return [];
    return [...this.asset(), { kind: 'finding', finding }];
  }

  private asset(): ReportRecord[] {
    if (this.assetEmitted) return [];
    this.assetEmitted = true;
    return [{ kind: 'asset', asset: hostFromFileStem(ASSET_KEY, this.assetName, { scanner: 'kube-bench' }) }];
  }
}

function scalarText(value: unknown, path: JsonPath): string {
  if (typeof value === 'string') return detachString(value);
  if (typeof value === 'number') return String(value);
  const field = formatJsonPath(path);
  throw new ReportError('invalid_field', `${field} must be a string, got ${JSON.stringify(value)}`, { field });
}

export const kubeBenchParser: ReportParser = {
  format: 'kube-bench',
  source: 'kube-bench',

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'kube-bench', source: 'kube-bench' });
    const assetName = assetNameFromFile(context?.fileName, 'kube-bench', 'node or cluster');
    onMetadata({ title: assetName });
    const reader = new KubeBenchReader(assetName);
    for await (const event of streamJson(input, (path, type) => reader.select(path, type))) {
      const records = reader.handle(event);
      if (records.length > 0) yield* records;
    }
    yield* reader.finish();
  },
};
