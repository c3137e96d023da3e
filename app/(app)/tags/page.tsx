import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateTagForm } from '@/components/tags/create-tag-form';
import { PageHeading } from '@/components/ui/states';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { listTags } from '@/lib/tags/tags';

export const metadata: Metadata = { title: 'Tags' };

export default async function TagsPage() {
  const { db, user } = await requireSession();
  const tags = await listTags(db);
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'tagging', 'write');

  return (
    <>
      <PageHeading title="Tags">
        <Link href="/business-entities" className="text-tremor-default text-tremor-brand hover:underline">
          Business entities
        </Link>
      </PageHeading>
      {canEdit ? (
        <Card className="mb-6">
          <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">New tag</h2>
          <CreateTagForm />
        </Card>
      ) : null}
      <Card>
        {tags.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">
            No tags yet. A tag groups assets; its Asset Criticality Score (1–5) raises the Risk Score of its assets.
          </p>
        ) : (
          <table className="w-full text-left text-tremor-default" data-testid="tags-table">
            <thead>
              <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
                <th scope="col" className="py-2 font-medium">Tag</th>
                <th scope="col" className="py-2 font-medium">Asset Criticality Score</th>
                <th scope="col" className="py-2 text-right font-medium">Assets</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-tremor-border">
              {tags.map((tag) => (
                <tr key={tag.id}>
                  <td className="py-2">
                    <Link href={`/tags/${tag.id}`} className="font-medium text-tremor-brand hover:underline">
                      {tag.name}
                    </Link>
                    {tag.query ? (
                      <p className="mt-0.5 truncate font-mono text-tremor-label text-tremor-content" title={tag.query}>
                        dynamic: {tag.query}
                      </p>
                    ) : null}
                  </td>
                  <td className="py-2 tabular-nums">{tag.criticalityScore ?? '—'}</td>
                  <td className="py-2 text-right tabular-nums">{tag.assetCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
