'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import { saveOrganizationSettings } from '@/lib/settings/organization-settings';

export async function saveOrganizationSettingsAction(input: unknown): Promise<ActionResult> {
  return runAction({ module: 'administration', permission: 'write', action: 'saveOrganizationSettings' }, async (db) => {
    await saveOrganizationSettings(db, input);
    return null;
  });
}
