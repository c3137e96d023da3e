'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { saveOrganizationSettingsAction } from '@/app/(app)/admin/settings/actions';

const INPUT_CLASS = 'rounded-tremor-default border border-tremor-border bg-white px-3 py-2 text-tremor-default text-tremor-content-strong';

interface OrganizationSettingsFormProps {
  timeZone: string;
  displayedVersion: 'v1' | 'v2';
  timeZones: string[];
  endOfLifeCheck: boolean;
  /** RISKBOARD_EOL_CHECK=off turns the check off whatever this form stores. */
  endOfLifeCheckDisabledByEnvironment: boolean;
}

/** Edits the organization's time zone, the Risk Score version it shows and the end-of-life check. */
export function OrganizationSettingsForm({ timeZone, displayedVersion, timeZones, endOfLifeCheck, endOfLifeCheckDisabledByEnvironment }: OrganizationSettingsFormProps) {
  const router = useRouter();
  const [zone, setZone] = useState(timeZone);
  const [version, setVersion] = useState(displayedVersion);
  const [checkEndOfLife, setCheckEndOfLife] = useState(endOfLifeCheck);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await saveOrganizationSettingsAction({ timeZone: zone, displayedVersion: version, endOfLifeCheck: checkEndOfLife });
      setMessage(result.ok ? { ok: true, text: 'Settings saved.' } : { ok: false, text: result.error });
      if (result.ok) router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Organization settings">
      <label className="flex max-w-md flex-col gap-1 text-tremor-default text-tremor-content">
        Time zone (query dates such as <code>finding.lastFoundDate:2026-03-01</code> cover that day in this zone)
        <select className={INPUT_CLASS} value={zone} onChange={(event) => setZone(event.target.value)} name="timeZone">
          {timeZones.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex max-w-md flex-col gap-1 text-tremor-default text-tremor-content">
        Risk Score version shown on the home page and in asset lists
        <select className={INPUT_CLASS} value={version} onChange={(event) => setVersion(event.target.value === 'v1' ? 'v1' : 'v2')} name="displayedVersion">
          <option value="v2">v2: maximum-driven and risk-averse (recommended)</option>
          <option value="v1">v1: average-based</option>
        </select>
      </label>
      <label className="flex max-w-md items-start gap-2 text-tremor-default text-tremor-content">
        <input type="checkbox" className="mt-1" checked={checkEndOfLife} onChange={(event) => setCheckEndOfLife(event.target.checked)} name="endOfLifeCheck" />
        <span>
          Derive end-of-life findings: after each import, report operating systems and technologies past their endoflife.date end of life as
          misconfigurations
          {endOfLifeCheckDisabledByEnvironment ? ' (turned off on this server by RISKBOARD_EOL_CHECK=off, whatever is chosen here)' : ''}
        </span>
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" loading={pending}>
          Save settings
        </Button>
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'text-tremor-default text-emerald-700' : 'text-tremor-default text-red-600'}>
            {message.text}
          </p>
        ) : null}
      </div>
    </form>
  );
}
