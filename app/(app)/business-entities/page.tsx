import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { BandBadge, RiskScore } from '@/components/ui/badges';
import { PageHeading } from '@/components/ui/states';
import { requireSession } from '@/lib/auth/session';
import { listBusinessEntityRisks } from '@/lib/scoring/groups';

export const metadata: Metadata = { title: 'Business entities' };

export default async function BusinessEntitiesPage() {
  const { db } = await requireSession();
  const { displayedVersion, entities } = await listBusinessEntityRisks(db);

  return (
    <>
      <PageHeading title="Business entities">
        <Link href="/business-entities/new" className="text-tremor-default font-medium text-tremor-brand hover:underline">
          New business entity
        </Link>
      </PageHeading>
      <Card>
        {entities.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">No business entities yet. A business entity groups the assets of one or more tags.</p>
        ) : (
          <table className="w-full text-left text-tremor-default" data-testid="business-entities-table">
            <thead>
              <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
                <th scope="col" className="py-2 font-medium">Business entity</th>
                <th scope="col" className="py-2 font-medium">Risk Score {displayedVersion}</th>
                <th scope="col" className="py-2 font-medium">{displayedVersion === 'v2' ? 'v1 (mean)' : 'v2'}</th>
                <th scope="col" className="py-2 text-right font-medium">Assets</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-tremor-border">
              {entities.map((entity) => (
                <tr key={entity.id}>
                  <td className="py-2">
                    <Link href={`/business-entities/${entity.id}`} className="font-medium text-tremor-brand hover:underline">
                      {entity.name}
                    </Link>
                    <Link href={`/business-entities/${entity.id}/edit`} className="ml-3 text-tremor-label text-tremor-content-subtle hover:underline" aria-label={`Edit ${entity.name}`}>
                      Edit
                    </Link>
                    {entity.description ? <p className="text-tremor-label text-tremor-content-subtle">{entity.description}</p> : null}
                  </td>
                  <td className="py-2">
                    <span className="flex items-center gap-2">
                      <RiskScore score={displayedVersion === 'v2' ? entity.v2 : entity.v1} /> <BandBadge band={entity.band} />
                    </span>
                  </td>
                  <td className="py-2">
                    <RiskScore score={displayedVersion === 'v2' ? entity.v1 : entity.v2} />
                  </td>
                  <td className="py-2 text-right tabular-nums">{entity.assetCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
