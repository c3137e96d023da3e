import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { IdentificationSettingsForm } from '@/components/admin/identification-settings-form';
import { TechnologyAliasEditor } from '@/components/admin/technology-alias-editor';
import { PageHeading } from '@/components/ui/states';
import { ROLE_GRANTS, hasPermission } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { bundledAliasSize, listOrganizationAliases } from '@/lib/identification/alias-store';
import { getIdentificationSettings } from '@/lib/identification/settings';

export const metadata: Metadata = { title: 'Identification rules' };

export default async function IdentificationSettingsPage() {
  const { db, user } = await requireSession();
  if (!hasPermission(ROLE_GRANTS[user.role], 'administration', 'read')) {
    return (
      <>
        <PageHeading title="Identification rules" />
        <p className="text-tremor-default">Identification rules need the administration permission, which your role ({user.role}) does not hold. Ask an admin.</p>
      </>
    );
  }

  const [settings, aliases] = await Promise.all([getIdentificationSettings(db), listOrganizationAliases(db)]);
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'administration', 'write');
  return (
    <>
      <PageHeading title="Identification rules" />
      <Card>
        <IdentificationSettingsForm initial={settings} canEdit={canEdit} />
      </Card>
      <Card className="mt-6">
        <TechnologyAliasEditor aliases={aliases} bundledSize={bundledAliasSize()} canEdit={canEdit} />
      </Card>
    </>
  );
}
