'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import { getCurrentSession } from '@/lib/auth/session';
import { previewProfile, type ProfilePreview } from '@/lib/connector-profiles/preview';
import { createProfile, deleteProfile, profileIdSchema, updateProfile } from '@/lib/connector-profiles/profiles';
import { parseOrThrow } from '@/lib/http/app-error';

const WRITE = { module: 'imports', permission: 'write' } as const;

async function currentUserId(): Promise<number | undefined> {
  return (await getCurrentSession())?.user.id;
}

export async function createProfileAction(input: unknown): Promise<ActionResult<{ id: number }>> {
  return runAction({ ...WRITE, action: 'createConnectorProfile' }, async (db) => ({ id: (await createProfile(db, input, await currentUserId())).id }));
}

export async function updateProfileAction(id: unknown, input: unknown): Promise<ActionResult> {
  return runAction({ ...WRITE, action: 'updateConnectorProfile' }, async (db) => {
    await updateProfile(db, parseOrThrow(profileIdSchema, id), input, await currentUserId());
    return null;
  });
}

export async function deleteProfileAction(id: unknown): Promise<ActionResult> {
  return runAction({ ...WRITE, action: 'deleteConnectorProfile' }, async (db) => {
    await deleteProfile(db, parseOrThrow(profileIdSchema, id), await currentUserId());
    return null;
  });
}

/** Maps the first rows of a sample with unsaved settings, using the import's own row mapper. */
export async function previewProfileAction(input: unknown): Promise<ActionResult<ProfilePreview>> {
  return runAction({ ...WRITE, action: 'previewConnectorProfile' }, () => previewProfile(input));
}
