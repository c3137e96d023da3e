import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ProfileEditor } from '@/components/connector-profiles/profile-editor';
import { PageHeading } from '@/components/ui/states';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { PROFILE_PRESETS } from '@/lib/connector-profiles/presets';
import { getProfile } from '@/lib/connector-profiles/profiles';
import { parseId } from '@/lib/http/ids';

export const metadata: Metadata = { title: 'Connector profile' };

export default async function ConnectorProfilePage({ params }: { params: Promise<{ id: string }> }) {
  const { db, user } = await requireSession();
  const id = parseId((await params).id);
  const profile = id === undefined ? undefined : await getProfile(db, id);
  if (!profile) notFound();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'imports', 'write');

  return (
    <>
      <PageHeading
        title={profile.name}
        description={`Created ${profile.createdBy ? `by ${profile.createdBy} ` : ''}on ${profile.createdAt.slice(0, 10)}; updated ${profile.updatedBy ? `by ${profile.updatedBy} ` : ''}on ${profile.updatedAt.slice(0, 10)}.`}
      />
      <ProfileEditor presets={[...PROFILE_PRESETS]} profile={profile} readOnly={!canEdit} />
    </>
  );
}
