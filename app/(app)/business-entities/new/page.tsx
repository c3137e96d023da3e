import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { BusinessEntityForm } from '@/components/business-entities/business-entity-form';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { listTags } from '@/lib/tags/tags';

export const metadata: Metadata = { title: 'New business entity' };

export default async function NewBusinessEntityPage() {
  const { db, user } = await requireSession();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'tagging', 'write');
  const tags = canEdit ? await listTags(db) : [];

  return (
    <article className="space-y-6">
      <header>
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/business-entities" className="hover:text-tremor-content-strong hover:underline">
            Business entities
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold text-tremor-content-strong">New business entity</h1>
      </header>
      <Card>
        {canEdit ? (
          <BusinessEntityForm tags={tags.map((tag) => ({ id: tag.id, name: tag.name, assetCount: tag.assetCount }))} />
        ) : (
          <p className="text-tremor-default">Your role ({user.role}) can view business entities but not create them. Ask an administrator for the analyst role.</p>
        )}
      </Card>
    </article>
  );
}
