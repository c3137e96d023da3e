import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { ProfileEditor } from '@/components/connector-profiles/profile-editor';
import { PageHeading } from '@/components/ui/states';
import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { PROFILE_PRESETS } from '@/lib/connector-profiles/presets';

export const metadata: Metadata = { title: 'New connector profile' };

export default async function NewConnectorProfilePage() {
  const { user } = await requireSession();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'imports', 'write');

  return (
    <>
      <PageHeading title="New connector profile" description="Upload a sample CSV file, choose the field each column fills, check the preview, then save." />
      {canEdit ? (
        <ProfileEditor presets={[...PROFILE_PRESETS]} />
      ) : (
        <Card>
          <p className="text-tremor-default text-tremor-content-subtle">Your role ({user.role}) may not create connector profiles; ask an administrator for the analyst role.</p>
        </Card>
      )}
    </>
  );
}
