'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { deleteTagAction, updateTagAction } from '@/app/(app)/tags/actions';
import { CRITICALITY_OPTIONS, INPUT_CLASS, parseCriticality } from './criticality';

interface TagSettingsFormProps {
  tag: { id: number; name: string; criticalityScore: number | null; assetCount: number };
}

/** Renames a tag, sets its Asset Criticality Score, or deletes it after a confirmation. */
export function TagSettingsForm({ tag }: TagSettingsFormProps) {
  const router = useRouter();
  const [name, setName] = useState(tag.name);
  const [criticality, setCriticality] = useState(tag.criticalityScore === null ? '' : String(tag.criticalityScore));
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string }>();
  const [pending, startTransition] = useTransition();

  function save(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await updateTagAction(tag.id, { name, criticalityScore: parseCriticality(criticality) });
      setMessage(result.ok ? { kind: 'saved', text: 'Saved. The scores of the tag’s assets were recomputed.' } : { kind: 'error', text: result.error });
      if (result.ok) router.refresh();
    });
  }

  function remove() {
    const members = tag.assetCount === 1 ? '1 asset' : `${tag.assetCount} assets`;
    if (!window.confirm(`Delete the tag "${tag.name}"? It is removed from ${members} and from every business entity that uses it.`)) return;
    startTransition(async () => {
      const result = await deleteTagAction(tag.id);
      if (!result.ok) {
        setMessage({ kind: 'error', text: result.error });
        return;
      }
      router.push('/tags');
      router.refresh();
    });
  }

  return (
    <form onSubmit={save} className="flex flex-wrap items-end gap-3" aria-label="Tag settings">
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
      <Button type="submit" loading={pending}>
        Save
      </Button>
      <Button type="button" variant="secondary" color="red" onClick={remove} disabled={pending}>
        Delete tag
      </Button>
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={`basis-full text-tremor-default ${message.kind === 'error' ? 'text-red-600' : 'text-tremor-content'}`}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
