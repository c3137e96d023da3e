'use server';

import { runAction, type ActionResult } from '@/lib/auth/action-guard';
import { parseOrThrow } from '@/lib/http/app-error';
import { tagIdSchema } from '@/lib/tags/schemas';
import { addAssetsToTag, createTag, deleteTag, removeAssetsFromTag, searchAssetsForTag, updateTag, type AssetMatch } from '@/lib/tags/tags';

const WRITE = { module: 'tagging', permission: 'write' } as const;

export async function createTagAction(input: unknown): Promise<ActionResult<{ id: number }>> {
  return runAction({ ...WRITE, action: 'createTag' }, async (db) => {
    const tag = await createTag(db, input);
    return { id: tag.id };
  });
}

export async function updateTagAction(id: unknown, input: unknown): Promise<ActionResult> {
  return runAction({ ...WRITE, action: 'updateTag' }, async (db) => {
    await updateTag(db, parseOrThrow(tagIdSchema, id), input);
    return null;
  });
}

export async function deleteTagAction(id: unknown): Promise<ActionResult> {
  return runAction({ ...WRITE, action: 'deleteTag' }, async (db) => {
    await deleteTag(db, parseOrThrow(tagIdSchema, id));
    return null;
  });
}

export async function addAssetsToTagAction(tagId: unknown, assetIds: unknown): Promise<ActionResult<{ added: number }>> {
  return runAction({ ...WRITE, action: 'addAssetsToTag' }, async (db) => ({ added: await addAssetsToTag(db, parseOrThrow(tagIdSchema, tagId), { assetIds }) }));
}

export async function removeAssetsFromTagAction(tagId: unknown, assetIds: unknown): Promise<ActionResult<{ removed: number }>> {
  return runAction({ ...WRITE, action: 'removeAssetsFromTag' }, async (db) => ({ removed: await removeAssetsFromTag(db, parseOrThrow(tagIdSchema, tagId), { assetIds }) }));
}

export async function searchAssetsForTagAction(tagId: unknown, query: unknown): Promise<ActionResult<AssetMatch[]>> {
  return runAction({ module: 'assets', permission: 'read', action: 'searchAssetsForTag' }, (db) => searchAssetsForTag(db, parseOrThrow(tagIdSchema, tagId), { query }));
}
