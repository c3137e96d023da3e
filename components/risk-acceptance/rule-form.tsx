'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition, type FormEvent } from 'react';
import { countMatchesAction, createRuleAction, updateRuleAction } from '@/app/(app)/risk-acceptance/actions';
import { QueryBox } from '@/components/query/query-box';
import { INPUT_CLASS } from '@/components/tags/criticality';
import { DEFAULT_NOTIFY_DAYS_BEFORE, REASON_TYPE_LABELS, REASON_TYPES, RISK_ACCEPTANCE_TYPES, TYPE_LABELS, type ReasonType, type RiskAcceptanceType } from '@/lib/risk-acceptance/schemas';

export interface RuleFormValues {
  name: string;
  type: RiskAcceptanceType;
  reasonType: ReasonType;
  justification: string;
  query: string;
  /** YYYY-MM-DD or an ISO timestamp. */
  startDate: string;
  endDate: string;
  notifyDaysBefore: number;
}

const LABEL = 'flex flex-col gap-1 text-tremor-default text-tremor-content';
const COUNT_DELAY_MS = 400;

/** Creates a rule, or with `ruleId` edits one. The count of matching findings follows the query as it is typed. */
export function RuleForm({ ruleId, initial, today }: { ruleId?: number; initial?: RuleFormValues; today: string }) {
  const router = useRouter();
  const [values, setValues] = useState<RuleFormValues>(
    initial ?? { name: '', type: 'RISK_ACCEPTED', reasonType: 'compensating_control', justification: '', query: '', startDate: today, endDate: '', notifyDaysBefore: DEFAULT_NOTIFY_DAYS_BEFORE },
  );
  const [count, setCount] = useState<{ query: string; value?: number; error?: string }>();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const query = values.query.trim();
    if (query === '') return;
    const timer = setTimeout(async () => {
      const result = await countMatchesAction(query);
      setCount(result.ok ? { query, value: result.data } : { query, error: result.error });
    }, COUNT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [values.query]);

  const set = <Key extends keyof RuleFormValues>(key: Key, value: RuleFormValues[Key]) => setValues((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = { ...values, endDate: values.endDate.trim() === '' ? null : values.endDate.trim(), startDate: values.startDate.trim() };
    startTransition(async () => {
      const result = ruleId === undefined ? await createRuleAction(input) : await updateRuleAction(ruleId, input);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      router.push(`/risk-acceptance/${ruleId ?? (result.data as { id: number }).id}`);
      router.refresh();
    });
  }

  const shownCount = count && count.query === values.query.trim() ? count : undefined;

  return (
    <form onSubmit={submit} className="space-y-4" aria-label={ruleId === undefined ? 'Create a risk acceptance rule' : 'Edit the risk acceptance rule'}>
      <div className="grid gap-4 md:grid-cols-3">
        <label className={`${LABEL} md:col-span-3`}>
          Name
          <input className={INPUT_CLASS} name="name" value={values.name} onChange={(event) => set('name', event.target.value)} required maxLength={200} />
        </label>
        <label className={LABEL}>
          Type
          <select className={INPUT_CLASS} name="type" value={values.type} onChange={(event) => set('type', event.target.value as RiskAcceptanceType)}>
            {RISK_ACCEPTANCE_TYPES.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Reason
          <select className={INPUT_CLASS} name="reasonType" value={values.reasonType} onChange={(event) => set('reasonType', event.target.value as ReasonType)}>
            {REASON_TYPES.map((reason) => (
              <option key={reason} value={reason}>
                {REASON_TYPE_LABELS[reason]}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Notify days before the end
          <input
            className={INPUT_CLASS}
            type="number"
            min={0}
            max={365}
            name="notifyDaysBefore"
            value={values.notifyDaysBefore}
            onChange={(event) => set('notifyDaysBefore', Number(event.target.value))}
          />
        </label>
        <label className={LABEL}>
          Start date
          <input className={INPUT_CLASS} name="startDate" value={values.startDate} onChange={(event) => set('startDate', event.target.value)} placeholder="2026-06-01" required />
        </label>
        <label className={LABEL}>
          End date {values.type === 'FALSE_POSITIVE' ? '(optional)' : ''}
          <input className={INPUT_CLASS} name="endDate" value={values.endDate} onChange={(event) => set('endDate', event.target.value)} placeholder="2026-08-31" />
        </label>
      </div>
      <p className="text-tremor-label text-tremor-content-subtle">Dates are whole days in the organization&apos;s time zone; a rule ending on 2026-08-31 covers that day too.</p>
      <label className={LABEL}>
        Justification
        <textarea className={`${INPUT_CLASS} min-h-24`} name="justification" value={values.justification} onChange={(event) => set('justification', event.target.value)} required maxLength={10_000} />
      </label>
      <div>
        <p className="mb-1 text-tremor-default text-tremor-content">Findings (query)</p>
        <QueryBox entity="finding" initialQuery={values.query} onQueryChange={(query) => set('query', query)} label="Findings the rule covers" />
        <p className="text-tremor-default text-tremor-content" aria-live="polite" data-testid="matching-count">
          {values.query.trim() === ''
            ? 'Type a query over findings, such as finding.cveId:CVE-2021-44228 AND asset.tags.name:dmz.'
            : shownCount?.error
              ? shownCount.error
              : shownCount?.value !== undefined
                ? `${shownCount.value} ${shownCount.value === 1 ? 'finding matches' : 'findings match'} now.`
                : 'Counting matching findings…'}
        </p>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" loading={pending} disabled={values.name.trim() === '' || values.query.trim() === ''}>
          {ruleId === undefined ? 'Create rule' : 'Save changes'}
        </Button>
        {error ? (
          <p role="alert" className="text-tremor-default text-red-600">
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}
