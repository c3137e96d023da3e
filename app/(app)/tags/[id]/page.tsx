import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TagMembers } from '@/components/tags/tag-members';
import { TagSettingsForm } from '@/components/tags/tag-settings-form';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { parseId } from '@/lib/http/ids';
import { getTag } from '@/lib/tags/tags';

export const metadata: Metadata = { title: 'Tag' };

interface TagPageProps {
  params: Promise<{ id: string }>;
}

export default async function TagPage({ params }: TagPageProps) {
  const { db, user } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const tag = await getTag(db, id);
  if (!tag) notFound();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'tagging', 'write');
  const members = tag.members.map((member) => ({ id: member.id, name: member.name, kind: member.kind }));

  return (
    <article className="space-y-6">
      <header>
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/tags" className="hover:text-tremor-content-strong hover:underline">
            Tags
          </Link>
        </p>
        <h1 className="mt-2 break-words text-2xl font-semibold text-tremor-content-strong">{tag.name}</h1>
        <p className="mt-1 text-tremor-default text-tremor-content-subtle">
          {tag.assetCount === 1 ? '1 asset' : `${tag.assetCount} assets`} · Asset Criticality Score {tag.criticalityScore ?? 'not set'}
        </p>
      </header>
      {canEdit ? (
        <Card>
          <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Settings</h2>
          <TagSettingsForm tag={{ id: tag.id, name: tag.name, criticalityScore: tag.criticalityScore, assetCount: tag.assetCount }} />
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-4 text-tremor-title font-medium text-tremor-content-strong">Assets</h2>
        <TagMembers tagId={tag.id} members={members} assetCount={tag.assetCount} canEdit={canEdit} />
      </Card>
    </article>
  );
}
