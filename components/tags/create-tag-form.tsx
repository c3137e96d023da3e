'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { createTagAction } from '@/app/(app)/tags/actions';
import { CRITICALITY_OPTIONS, INPUT_CLASS, parseCriticality } from './criticality';

/** Creates a tag, optionally with an Asset Criticality Score and, for a dynamic tag, a query. */
export function CreateTagForm() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [criticality, setCriticality] = useState('');
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createTagAction({ name, criticalityScore: parseCriticality(criticality), query: query.trim() === '' ? null : query });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      setName('');
      setCriticality('');
      setQuery('');
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Create a tag">
      <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
        Name
        <input className={INPUT_CLASS} value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} name="name" />
      </label>
      <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
        Asset Criticality Score
        <select className={INPUT_CLASS} value={criticality} onChange={(event) => setCriticality(event.target.value)} name="criticalityScore">
          {CRITICALITY_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex min-w-[20rem] flex-1 flex-col gap-1 text-tremor-default text-tremor-content">
        Query (optional, makes the tag dynamic)
        <input
          className={`${INPUT_CLASS} font-mono`}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          maxLength={2000}
          name="query"
          placeholder="asset.os:*windows* AND asset.internetFacing:true"
        />
      </label>
      <Button type="submit" loading={pending} disabled={name.trim() === ''}>
        Create tag
      </Button>
      {error ? (
        <p role="alert" className="basis-full text-tremor-default text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}
