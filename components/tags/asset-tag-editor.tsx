'use client';

import { Button } from '@tremor/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { addAssetsToTagAction, removeAssetsFromTagAction } from '@/app/(app)/tags/actions';
import { INPUT_CLASS } from './criticality';

interface TagOption {
  id: number;
  name: string;
  criticalityScore: number | null;
}

interface AssetTagEditorProps {
  assetId: number;
  tags: TagOption[];
  /** Every tag, for the add menu. */
  allTags: TagOption[];
  canEdit: boolean;
}

/** Shows an asset's tags and, for editors, adds or removes them. */
export function AssetTagEditor({ assetId, tags, allTags, canEdit }: AssetTagEditorProps) {
  const router = useRouter();
  const [selected, setSelected] = useState('');
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const current = new Set(tags.map((tag) => tag.id));
  const addable = allTags.filter((tag) => !current.has(tag.id));

  function change(tagId: number, add: boolean) {
    startTransition(async () => {
      const result = add ? await addAssetsToTagAction(tagId, [assetId]) : await removeAssetsFromTagAction(tagId, [assetId]);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      setSelected('');
      router.refresh();
    });
  }

  return (
    <div className="space-y-3" data-testid="asset-tag-editor">
      {tags.length === 0 ? (
        <p className="text-tremor-default text-tremor-content-subtle">No tags.</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {tags.map((tag) => (
            <li key={tag.id} className="flex items-center gap-1 rounded-tremor-full bg-tremor-background-subtle px-3 py-1 text-tremor-default">
              <Link href={`/tags/${tag.id}`} className="text-tremor-content-strong hover:underline">
                {tag.name}
              </Link>
              {tag.criticalityScore !== null ? <span className="text-tremor-label text-tremor-content-subtle">ACS {tag.criticalityScore}</span> : null}
              {canEdit ? (
                <button
                  type="button"
                  className="ml-1 text-tremor-content-subtle hover:text-red-600"
                  onClick={() => change(tag.id, false)}
                  disabled={pending}
                  aria-label={`Remove the tag ${tag.name}`}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {canEdit ? (
        addable.length > 0 ? (
          <div className="flex flex-wrap items-center gap-2">
            <select className={INPUT_CLASS} value={selected} onChange={(event) => setSelected(event.target.value)} aria-label="Tag to add">
              <option value="">Choose a tag…</option>
              {addable.map((tag) => (
                <option key={tag.id} value={String(tag.id)}>
                  {tag.name}
                </option>
              ))}
            </select>
            <Button size="xs" variant="secondary" onClick={() => change(Number(selected), true)} disabled={selected === '' || pending}>
              Add tag
            </Button>
          </div>
        ) : (
          <p className="text-tremor-label text-tremor-content-subtle">
            {allTags.length === 0 ? 'No tags exist yet. ' : 'The asset has every tag. '}
            <Link href="/tags" className="text-tremor-brand hover:underline">
              Manage tags
            </Link>
          </p>
        )
      ) : null}

      {error ? (
        <p role="alert" className="text-tremor-default text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
