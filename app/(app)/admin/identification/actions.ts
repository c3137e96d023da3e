'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import type { IdentificationPreview } from '@/lib/identification/preview';
import { previewRules, reidentificationStatus, saveIdentificationSettings, type ReidentificationStatus } from '@/lib/identification/settings';

export async function previewIdentificationAction(rules: unknown): Promise<ActionResult<IdentificationPreview>> {
  return runAction({ module: 'administration', permission: 'read', action: 'previewIdentification' }, (db) => previewRules(db, rules));
}

export async function saveIdentificationAction(input: unknown): Promise<ActionResult<{ jobId: number | undefined }>> {
  return runAction({ module: 'administration', permission: 'write', action: 'saveIdentification' }, (db) => saveIdentificationSettings(db, input));
}

export async function reidentificationStatusAction(): Promise<ActionResult<ReidentificationStatus | null>> {
  return runAction({ module: 'administration', permission: 'read', action: 'reidentificationStatus' }, async (db) => (await reidentificationStatus(db)) ?? null);
}
