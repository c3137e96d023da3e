'use client';

import { Button } from '@tremor/react';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { createBusinessEntityAction, deleteBusinessEntityAction, updateBusinessEntityAction } from '@/app/(app)/business-entities/actions';
import { INPUT_CLASS } from '@/components/tags/criticality';

interface BusinessEntityFormProps {
  /** The entity to edit; absent, the form creates one. */
  entity?: { id: number; name: string; description: string | null; tagIds: number[] };
  tags: { id: number; name: string; assetCount: number }[];
}

/** Creates or edits a business entity: its name, description and the tags whose assets it groups. */
export function BusinessEntityForm({ entity, tags }: BusinessEntityFormProps) {
  const router = useRouter();
  const [name, setName] = useState(entity?.name ?? '');
  const [description, setDescription] = useState(entity?.description ?? '');
  const [tagIds, setTagIds] = useState<Set<number>>(new Set(entity?.tagIds ?? []));
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function toggle(tagId: number, checked: boolean) {
    setTagIds((current) => {
      const next = new Set(current);
      if (checked) next.add(tagId);
      else next.delete(tagId);
      return next;
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = { name, description, tagIds: [...tagIds] };
    startTransition(async () => {
      let id: number;
      if (entity) {
        const result = await updateBusinessEntityAction(entity.id, input);
        if (!result.ok) return setError(result.error);
        id = entity.id;
      } else {
        const result = await createBusinessEntityAction(input);
        if (!result.ok) return setError(result.error);
        id = result.data.id;
      }
      router.push(`/business-entities/${id}`);
      router.refresh();
    });
  }

  function remove() {
    if (!entity || !window.confirm(`Delete the business entity "${entity.name}"? Its tags and assets stay.`)) return;
    startTransition(async () => {
      const result = await deleteBusinessEntityAction(entity.id);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      router.push('/business-entities');
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label={entity ? 'Edit business entity' : 'Create business entity'}>
      <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
        Name
        <input className={INPUT_CLASS} value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} name="name" />
      </label>
      <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
        Description
        <textarea className={INPUT_CLASS} value={description} onChange={(event) => setDescription(event.target.value)} maxLength={2000} rows={3} name="description" />
      </label>
      <fieldset>
        <legend className="mb-2 text-tremor-default text-tremor-content">Tags; the members are the assets of any of them</legend>
        {tags.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">No tags exist yet; create tags first on the Tags page.</p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2">
            {tags.map((tag) => (
              <li key={tag.id}>
                <label className="flex items-center gap-2 text-tremor-default text-tremor-content-strong">
                  <input type="checkbox" checked={tagIds.has(tag.id)} onChange={(event) => toggle(tag.id, event.target.checked)} />
                  {tag.name}
                  <span className="text-tremor-label text-tremor-content-subtle">{tag.assetCount === 1 ? '1 asset' : `${tag.assetCount} assets`}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" loading={pending} disabled={name.trim() === ''}>
          {entity ? 'Save' : 'Create business entity'}
        </Button>
        {entity ? (
          <Button type="button" variant="secondary" color="red" onClick={remove} disabled={pending}>
            Delete business entity
          </Button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-tremor-default text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}
