import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { DateTime } from '@/components/ui/date-time';
import { PageHeading } from '@/components/ui/states';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { listProfiles } from '@/lib/connector-profiles/profiles';

export const metadata: Metadata = { title: 'Connector profiles' };

export default async function ConnectorProfilesPage() {
  const { db, user } = await requireSession();
  const profiles = await listProfiles(db);
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'imports', 'write');

  return (
    <>
      <PageHeading
        title="Connector profiles"
        description="A connector profile maps the columns of a CSV file to asset and finding fields once; imports that name the profile reuse the mapping."
      >
        <Link href="/imports" className="text-tremor-default text-tremor-brand hover:underline">
          Imports
        </Link>
        {canEdit ? (
          <Link href="/imports/connector-profiles/new" className="rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-tremor-brand-inverted hover:bg-tremor-brand-emphasis">
            New profile
          </Link>
        ) : null}
      </PageHeading>
      <Card>
        {profiles.length === 0 ? (
          <p className="text-tremor-default text-tremor-content-subtle">
            No connector profile yet.{' '}
            {canEdit ? 'Create one from a sample CSV file with New profile.' : `Your role (${user.role}) can view profiles but not create them.`}
          </p>
        ) : (
          <table className="w-full text-left text-tremor-default" data-testid="connector-profiles-table">
            <thead>
              <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
                <th scope="col" className="py-2 font-medium">Profile</th>
                <th scope="col" className="py-2 font-medium">Source on findings</th>
                <th scope="col" className="py-2 text-right font-medium">Mapped columns</th>
                <th scope="col" className="py-2 font-medium">Absent findings</th>
                <th scope="col" className="py-2 font-medium">Updated</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-tremor-border">
              {profiles.map((profile) => (
                <tr key={profile.id}>
                  <td className="py-2">
                    <Link href={`/imports/connector-profiles/${profile.id}`} className="font-medium text-tremor-brand hover:underline">
                      {profile.name}
                    </Link>
                    <p className="text-tremor-label text-tremor-content-subtle">{profile.format}</p>
                  </td>
                  <td className="py-2">{profile.sourceName}</td>
                  <td className="py-2 text-right tabular-nums">{Object.keys(profile.mapping).length}</td>
                  <td className="py-2">{profile.keepAbsentFindings ? 'Kept open' : 'Marked fixed'}</td>
                  <td className="py-2">
                    <DateTime iso={profile.updatedAt} />
                    {profile.updatedBy ? <span className="block text-tremor-label text-tremor-content-subtle">{profile.updatedBy}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
