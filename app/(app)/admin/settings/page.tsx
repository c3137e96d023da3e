import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { OrganizationSettingsForm } from '@/components/admin/organization-settings-form';
import { PageHeading } from '@/components/ui/states';
import { ROLE_GRANTS, hasPermission } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { getOrganizationSettings } from '@/lib/settings/organization-settings';
import { eolCheckDisabledByEnvironment } from '@/lib/end-of-life/settings';

export const metadata: Metadata = { title: 'Organization settings' };

export default async function OrganizationSettingsPage() {
  const { db, user } = await requireSession();
  if (!hasPermission(ROLE_GRANTS[user.role], 'administration', 'read')) {
    return (
      <>
        <PageHeading title="Organization settings" />
        <p className="text-tremor-default">Organization settings need the administration permission, which your role ({user.role}) does not hold. Ask an admin.</p>
      </>
    );
  }

  const settings = await getOrganizationSettings(db);
  const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((name) => name !== 'UTC')];
  if (!timeZones.includes(settings.timeZone)) timeZones.push(settings.timeZone);

  return (
    <>
      <PageHeading title="Organization settings" />
      <Card>
        <OrganizationSettingsForm
          timeZone={settings.timeZone}
          displayedVersion={settings.displayedVersion}
          timeZones={timeZones}
          endOfLifeCheck={settings.endOfLifeCheck}
          endOfLifeCheckDisabledByEnvironment={eolCheckDisabledByEnvironment()}
        />
      </Card>
    </>
  );
}
