import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BusinessEntityForm } from '@/components/business-entities/business-entity-form';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { getBusinessEntity } from '@/lib/business-entities/business-entities';
import { parseId } from '@/lib/http/ids';
import { listTags } from '@/lib/tags/tags';

export const metadata: Metadata = { title: 'Edit business entity' };

interface EditBusinessEntityPageProps {
  params: Promise<{ id: string }>;
}

export default async function EditBusinessEntityPage({ params }: EditBusinessEntityPageProps) {
  const { db, user } = await requireSession();
  const id = parseId((await params).id);
  if (id === undefined) notFound();
  const entity = await getBusinessEntity(db, id);
  if (!entity) notFound();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'tagging', 'write');
  const tags = canEdit ? await listTags(db) : [];

  return (
    <article className="space-y-6">
      <header>
        <p className="text-tremor-default text-tremor-content-subtle">
          <Link href="/business-entities" className="hover:text-tremor-content-strong hover:underline">
            Business entities
          </Link>
          {' / '}
          <Link href={`/business-entities/${entity.id}`} className="hover:text-tremor-content-strong hover:underline">
            {entity.name}
          </Link>
        </p>
        <h1 className="mt-2 break-words text-2xl font-semibold text-tremor-content-strong">Edit {entity.name}</h1>
        <p className="mt-1 text-tremor-default text-tremor-content-subtle">
          {entity.assetCount === 1 ? '1 asset' : `${entity.assetCount} assets`} from {entity.tags.length === 1 ? '1 tag' : `${entity.tags.length} tags`}
        </p>
      </header>
      <Card>
        {canEdit ? (
          <BusinessEntityForm
            entity={{ id: entity.id, name: entity.name, description: entity.description, tagIds: entity.tags.map((tag) => tag.id) }}
            tags={tags.map((tag) => ({ id: tag.id, name: tag.name, assetCount: tag.assetCount }))}
          />
        ) : (
          <p className="text-tremor-default">Your role ({user.role}) can view business entities but not change them. Ask an administrator for the analyst role.</p>
        )}
      </Card>
    </article>
  );
}
