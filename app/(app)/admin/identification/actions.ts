'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import { getCurrentSession } from '@/lib/auth/session';
import { deleteOrganizationAlias, resolveSpelling, saveOrganizationAlias, type AliasChange, type SpellingResolution } from '@/lib/identification/alias-store';
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

/** Id of the signed-in user, recorded as `requestedBy` on the re-identification an alias change queues. */
async function currentUserId(): Promise<number | undefined> {
  return (await getCurrentSession())?.user.id;
}

export async function saveAliasAction(input: unknown): Promise<ActionResult<AliasChange>> {
  const userId = await currentUserId();
  return runAction({ module: 'administration', permission: 'write', action: 'saveTechnologyAlias' }, (db) => saveOrganizationAlias(db, input, userId));
}

export async function deleteAliasAction(input: unknown): Promise<ActionResult<{ reidentificationJobId: number }>> {
  const userId = await currentUserId();
  return runAction({ module: 'administration', permission: 'write', action: 'deleteTechnologyAlias' }, (db) => deleteOrganizationAlias(db, input, userId));
}

export async function resolveSpellingAction(input: unknown): Promise<ActionResult<SpellingResolution>> {
  return runAction({ module: 'administration', permission: 'read', action: 'resolveTechnologySpelling' }, (db) => resolveSpelling(db, input));
}
