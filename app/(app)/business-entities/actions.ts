'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import { createBusinessEntity, deleteBusinessEntity, updateBusinessEntity } from '@/lib/business-entities/business-entities';
import { parseOrThrow } from '@/lib/http/app-error';
import { idSchema } from '@/lib/business-entities/schemas';

// Business entities are built from tags, so changing them needs write access to tagging.
const WRITE = { module: 'tagging', permission: 'write' } as const;

export async function createBusinessEntityAction(input: unknown): Promise<ActionResult<{ id: number }>> {
  return runAction({ ...WRITE, action: 'createBusinessEntity' }, (db) => createBusinessEntity(db, input));
}

export async function updateBusinessEntityAction(id: unknown, input: unknown): Promise<ActionResult> {
  return runAction({ ...WRITE, action: 'updateBusinessEntity' }, async (db) => {
    await updateBusinessEntity(db, parseOrThrow(idSchema, id), input);
    return null;
  });
}

export async function deleteBusinessEntityAction(id: unknown): Promise<ActionResult> {
  return runAction({ ...WRITE, action: 'deleteBusinessEntity' }, async (db) => {
    await deleteBusinessEntity(db, parseOrThrow(idSchema, id));
    return null;
  });
}
