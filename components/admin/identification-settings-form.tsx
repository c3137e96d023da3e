'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { previewIdentificationAction, reidentificationStatusAction, saveIdentificationAction } from '@/app/(app)/admin/identification/actions';
import { ATTRIBUTE_LABELS, IDENTITY_ATTRIBUTES, type IdentityAttribute } from '@/lib/identification/attribute-names';
import { FIELD_GROUP_LABELS, FIELD_GROUPS, MERGE_STRATEGIES, STRATEGY_LABELS, type MergeStrategy } from '@/lib/identification/merge-rule-names';
import type { IdentificationPreview } from '@/lib/identification/preview';
import type { IdentificationSettings, ReidentificationStatus } from '@/lib/identification/settings';
import { IdentificationRuleList, type EditableRule } from './identification-rule-list';

const INPUT_CLASS = 'rounded-tremor-default border border-tremor-border bg-white px-3 py-2 text-tremor-default text-tremor-content-strong';
const SMALL_BUTTON = 'rounded-tremor-small border border-tremor-border px-2 py-0.5 text-tremor-label text-tremor-content-strong hover:bg-tremor-background-muted disabled:opacity-40';
const TYPES = [
  { type: 'vulnerability', label: 'Vulnerabilities' },
  { type: 'misconfiguration', label: 'Misconfigurations' },
] as const;
type FindingKind = (typeof TYPES)[number]['type'];

/** Ids from the position on the server, so the first render matches; rules added later get a fresh one. */
function editable(type: FindingKind, rules: IdentificationSettings['rules'][FindingKind]): EditableRule[] {
  return rules.map((rule, index) => ({ ...rule, id: `${type}-${index}` }));
}

/** Edits identification rules, merge rules and the IP address window, with a preview on current data before saving. */
export function IdentificationSettingsForm({ initial, canEdit }: { initial: IdentificationSettings; canEdit: boolean }) {
  const router = useRouter();
  const [rules, setRules] = useState({ vulnerability: editable('vulnerability', initial.rules.vulnerability), misconfiguration: editable('misconfiguration', initial.rules.misconfiguration) });
  const [strategies, setStrategies] = useState(initial.mergeRules.strategies);
  const [ranking, setRanking] = useState(initial.mergeRules.trustRanking);
  const [ipWindowDays, setIpWindowDays] = useState(String(initial.ipWindowDays));
  const [preview, setPreview] = useState<IdentificationPreview>();
  const [job, setJob] = useState<ReidentificationStatus | undefined>(initial.job);
  // A job queued elsewhere on the page, such as by an alias change, arrives with the refreshed props.
  const [initialJobId, setInitialJobId] = useState(initial.job?.jobId);
  if (initial.job && initial.job.jobId !== initialJobId) {
    setInitialJobId(initial.job.jobId);
    setJob(initial.job);
  }
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();
  const disabled = !canEdit || pending;

  const plainRules = () => ({
    vulnerability: rules.vulnerability.map(({ attributes, enabled }) => ({ attributes, enabled })),
    misconfiguration: rules.misconfiguration.map(({ attributes, enabled }) => ({ attributes, enabled })),
  });

  // Polls the re-identification job while it runs.
  const active = job?.status === 'queued' || job?.status === 'running';
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      void reidentificationStatusAction().then((result) => {
        if (result.ok) {
          setJob(result.data ?? undefined);
          if (result.data && (result.data.status === 'succeeded' || result.data.status === 'failed')) router.refresh();
        }
      });
    }, 2000);
    return () => clearInterval(timer);
  }, [active, router]);

  function edit(type: FindingKind, next: EditableRule[]) {
    setRules((current) => ({ ...current, [type]: next }));
    setPreview(undefined);
  }

  function runPreview() {
    startTransition(async () => {
      const result = await previewIdentificationAction(plainRules());
      if (result.ok) {
        setPreview(result.data);
        setMessage(undefined);
      } else setMessage({ ok: false, text: result.error });
    });
  }

  function save() {
    startTransition(async () => {
      const result = await saveIdentificationAction({
        rules: plainRules(),
        mergeRules: { strategies, trustRanking: ranking },
        ipWindowDays: Number(ipWindowDays),
      });
      if (!result.ok) {
        setMessage({ ok: false, text: result.error });
        return;
      }
      setMessage({ ok: true, text: result.data.jobId ? `Saved. Re-identification job ${result.data.jobId} is queued.` : 'Saved. The rules did not change, so nothing is re-identified.' });
      if (result.data.jobId) {
        const status = await reidentificationStatusAction();
        if (status.ok) setJob(status.data ?? undefined);
      }
    });
  }

  const unranked = initial.sources.filter((source) => !ranking.some((ranked) => ranked.toLowerCase() === source.toLowerCase()));

  return (
    <div className="flex flex-col gap-6">
      <p className="text-tremor-default text-tremor-content">
        Findings on one asset are matched by these rules, tried from the top: the first enabled rule whose attributes all have a value decides, and
        observations with equal values become one finding. Values are compared after normalization: CPE 2.2 and 2.3 names compare equal, case and
        spaces fold, vendor and product aliases map to one name, and versions compare by their parsed form. Vendor ID and Source Finding ID count
        within their source only.
      </p>

      {TYPES.map(({ type, label }) => (
        <section key={type} className="flex flex-col gap-2" aria-label={`${label} rules`}>
          <h2 className="text-tremor-title font-semibold text-tremor-content-strong">{label}</h2>
          <IdentificationRuleList label={`${label} rules in order`} rules={rules[type]} onChange={(next) => edit(type, next)} disabled={disabled} />
          {canEdit ? <AddRule existing={rules[type]} disabled={disabled} onAdd={(attributes) => edit(type, [...rules[type], { id: `${type}-added-${crypto.randomUUID()}`, attributes, enabled: true, builtin: false }])} /> : null}
        </section>
      ))}

      <section className="flex flex-col gap-2" aria-label="Merge rules">
        <h2 className="text-tremor-title font-semibold text-tremor-content-strong">Merge rules</h2>
        <p className="text-tremor-default text-tremor-content">When several sources report one finding and disagree, each field group shows the value this strategy picks.</p>
        {FIELD_GROUPS.map((group) => (
          <label key={group} className="flex max-w-xl items-center justify-between gap-3 text-tremor-default text-tremor-content">
            {FIELD_GROUP_LABELS[group]}
            <select
              className={INPUT_CLASS}
              value={strategies[group]}
              disabled={disabled}
              onChange={(event) => setStrategies({ ...strategies, [group]: event.target.value as MergeStrategy })}
              name={`strategy-${group}`}
            >
              {MERGE_STRATEGIES.map((strategy) => (
                <option key={strategy} value={strategy}>
                  {STRATEGY_LABELS[strategy]}
                </option>
              ))}
            </select>
          </label>
        ))}
        <h3 className="text-tremor-default font-semibold text-tremor-content-strong">Source trust ranking (most trusted first)</h3>
        <ol className="flex max-w-xl flex-col gap-1" aria-label="Source trust ranking">
          {ranking.map((source, index) => (
            <li key={source} className="flex items-center gap-2 rounded-tremor-small border border-tremor-border px-2 py-1 text-tremor-default">
              <span className="w-6 text-right tabular-nums">{index + 1}.</span>
              <span className="flex-1">{source}</span>
              <button type="button" className={SMALL_BUTTON} disabled={disabled || index === 0} onClick={() => setRanking(swap(ranking, index, index - 1))} aria-label={`Trust ${source} more`}>
                Up
              </button>
              <button type="button" className={SMALL_BUTTON} disabled={disabled || index === ranking.length - 1} onClick={() => setRanking(swap(ranking, index, index + 1))} aria-label={`Trust ${source} less`}>
                Down
              </button>
              <button type="button" className={SMALL_BUTTON} disabled={disabled} onClick={() => setRanking(ranking.filter((other) => other !== source))} aria-label={`Remove ${source} from the ranking`}>
                Remove
              </button>
            </li>
          ))}
          {ranking.length === 0 ? <li className="text-tremor-default text-tremor-content-subtle">No source is ranked; unranked sources fall back to the most recent detection.</li> : null}
        </ol>
        {canEdit && unranked.length > 0 ? (
          <div className="flex flex-wrap items-center gap-2 text-tremor-default">
            Add a source:
            {unranked.map((source) => (
              <button key={source} type="button" className={SMALL_BUTTON} disabled={disabled} onClick={() => setRanking([...ranking, source])}>
                {source}
              </button>
            ))}
          </div>
        ) : null}
      </section>

      <section className="flex flex-col gap-2" aria-label="Asset matching">
        <h2 className="text-tremor-title font-semibold text-tremor-content-strong">Asset matching</h2>
        <p className="text-tremor-default text-tremor-content">
          Assets are matched across sources by agent ID, cloud instance ID, FQDN, hostname, then IP address. An IP address matches an asset only if
          that asset was seen within this many days of the scan, because addresses move between machines.
        </p>
        <label className="flex max-w-xs flex-col gap-1 text-tremor-default text-tremor-content">
          IP address window (days)
          <input className={INPUT_CLASS} type="number" min={0} max={3650} value={ipWindowDays} disabled={disabled} onChange={(event) => setIpWindowDays(event.target.value)} name="ipWindowDays" />
        </label>
      </section>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" loading={pending} onClick={runPreview}>
          Preview
        </Button>
        {canEdit ? (
          <Button type="button" loading={pending} disabled={active} onClick={save}>
            Save and re-identify
          </Button>
        ) : null}
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'text-tremor-default text-emerald-700' : 'text-tremor-default text-red-600'}>
            {message.text}
          </p>
        ) : null}
      </div>

      {preview ? (
        <div role="status" aria-label="Preview" className="rounded-tremor-default border border-tremor-border p-3 text-tremor-default text-tremor-content-strong">
          On the current {preview.detections} detections, these rules would turn {preview.findingsBefore} findings into {preview.findingsAfter}:{' '}
          {preview.findingsMerged} would merge into another finding, {preview.findingsSplit} would split (adding {preview.findingsAddedBySplits}), and{' '}
          {preview.findingsRekeyed} would only get a new identity key.
        </div>
      ) : null}

      {job ? <JobStatus job={job} /> : null}
    </div>
  );
}

function AddRule({ existing, disabled, onAdd }: { existing: EditableRule[]; disabled: boolean; onAdd: (attributes: IdentityAttribute[]) => void }) {
  const [chosen, setChosen] = useState<IdentityAttribute[]>([]);
  const key = chosen.join('+');
  const duplicate = existing.some((rule) => rule.attributes.join('+') === key);
  return (
    <fieldset className="flex flex-wrap items-center gap-2 text-tremor-label text-tremor-content">
      <legend className="sr-only">Add an attribute set</legend>
      Add an attribute set:
      {IDENTITY_ATTRIBUTES.map((attribute) => (
        <label key={attribute} className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={chosen.includes(attribute)}
            disabled={disabled}
            onChange={(event) => setChosen(event.target.checked ? [...chosen, attribute] : chosen.filter((other) => other !== attribute))}
          />
          {ATTRIBUTE_LABELS[attribute]}
        </label>
      ))}
      <button
        type="button"
        className={SMALL_BUTTON}
        disabled={disabled || chosen.length === 0 || duplicate}
        onClick={() => {
          onAdd(chosen);
          setChosen([]);
        }}
      >
        Add rule
      </button>
      {duplicate ? <span>That set is already a rule.</span> : null}
    </fieldset>
  );
}

function JobStatus({ job }: { job: ReidentificationStatus }) {
  const percent = job.detectionsTotal > 0 ? Math.min(100, Math.round((job.detectionsDone / job.detectionsTotal) * 100)) : 100;
  const result = job.result as { findingsMerged?: number; findingsSplit?: number; findingsCreated?: number } | null;
  return (
    <div role="status" aria-label="Re-identification" className="flex flex-col gap-1 text-tremor-default text-tremor-content">
      <span>
        Re-identification job {job.jobId}: {job.status}
        {job.status === 'running' || job.status === 'queued' ? ` (${job.detectionsDone} of ${job.detectionsTotal} detections, ${percent}%)` : ''}
        {job.status === 'succeeded' && result ? `: ${result.findingsMerged ?? 0} findings merged, ${result.findingsSplit ?? 0} split, ${result.findingsCreated ?? 0} created.` : ''}
        {job.status === 'failed' && job.error ? `: ${job.error}` : ''}
      </span>
      {job.status === 'running' || job.status === 'queued' ? (
        <div className="h-2 w-full max-w-md rounded bg-tremor-background-muted" aria-hidden>
          <div className="h-2 rounded bg-tremor-brand" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
    </div>
  );
}

function swap<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const a = next[from];
  const b = next[to];
  if (a === undefined || b === undefined) return list;
  next[from] = b;
  next[to] = a;
  return next;
}
