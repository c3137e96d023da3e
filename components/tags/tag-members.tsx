'use client';

import { Button } from '@tremor/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { addAssetsToTagAction, removeAssetsFromTagAction, searchAssetsForTagAction } from '@/app/(app)/tags/actions';
import type { AssetMatch } from '@/lib/tags/tags';
import { INPUT_CLASS } from './criticality';

interface TagMembersProps {
  tagId: number;
  members: { id: number; name: string; kind: string }[];
  /** All members, of which `members` may show only the first page. */
  assetCount: number;
  canEdit: boolean;
}

/** Lists a tag's assets with remove buttons, and adds assets found by name. */
export function TagMembers({ tagId, members, assetCount, canEdit }: TagMembersProps) {
  const router = useRouter();
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<AssetMatch[]>();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function search(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await searchAssetsForTagAction(tagId, query);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      setMatches(result.data);
    });
  }

  function change(assetId: number, add: boolean) {
    startTransition(async () => {
      const result = add ? await addAssetsToTagAction(tagId, [assetId]) : await removeAssetsFromTagAction(tagId, [assetId]);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(undefined);
      setMatches((current) => current?.map((match) => (match.id === assetId ? { ...match, onTag: add } : match)));
      router.refresh();
    });
  }

  return (
    <div className="space-y-6">
      {canEdit ? (
        <section aria-label="Add assets">
          <form onSubmit={search} className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col gap-1 text-tremor-default text-tremor-content">
              Find assets by name
              <input className={INPUT_CLASS} value={query} onChange={(event) => setQuery(event.target.value)} name="query" placeholder="e.g. web-01" />
            </label>
            <Button type="submit" variant="secondary" loading={pending} disabled={query.trim() === ''}>
              Search
            </Button>
          </form>
          {matches ? (
            matches.length === 0 ? (
              <p className="mt-3 text-tremor-default text-tremor-content-subtle">No asset name contains “{query.trim()}”.</p>
            ) : (
              <ul className="mt-3 divide-y divide-tremor-border" data-testid="tag-asset-matches">
                {matches.map((match) => (
                  <li key={match.id} className="flex items-center justify-between gap-3 py-2">
                    <span className="break-all text-tremor-default text-tremor-content-strong">{match.name}</span>
                    {match.onTag ? (
                      <span className="text-tremor-label text-tremor-content-subtle">On this tag</span>
                    ) : (
                      <Button size="xs" variant="secondary" onClick={() => change(match.id, true)} disabled={pending}>
                        Add
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </section>
      ) : null}

      {error ? (
        <p role="alert" className="text-tremor-default text-red-600">
          {error}
        </p>
      ) : null}

      <section aria-label="Assets on this tag">
        {members.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">No asset has this tag yet.</p>
        ) : (
          <ul className="divide-y divide-tremor-border" data-testid="tag-members">
            {members.map((member) => (
              <li key={member.id} className="flex items-center justify-between gap-3 py-2">
                <Link href={`/assets/${member.id}`} className="break-all text-tremor-default text-tremor-brand hover:underline">
                  {member.name}
                </Link>
                {canEdit ? (
                  <Button size="xs" variant="light" color="red" onClick={() => change(member.id, false)} disabled={pending} aria-label={`Remove ${member.name} from the tag`}>
                    Remove
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {assetCount > members.length ? (
          <p className="mt-2 text-tremor-label text-tremor-content-subtle">
            Showing the first {members.length} of {assetCount} assets by name.
          </p>
        ) : null}
      </section>
    </div>
  );
}
