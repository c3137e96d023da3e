import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { assets } from '../../db/schema';
import {
  businessEntityMemberIds,
  createBusinessEntity,
  deleteBusinessEntity,
  getBusinessEntity,
  listBusinessEntities,
  updateBusinessEntity,
} from '../../lib/business-entities/business-entities';
import { AppError } from '../../lib/http/app-error';
import { addAssetsToTag, createTag } from '../../lib/tags/tags';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDb();
});

afterAll(async () => {
  await handle.close();
});

async function createAsset(name: string): Promise<number> {
  const now = new Date();
  const [asset] = await handle.db.insert(assets).values({ name, firstSeen: now, lastSeen: now }).returning({ id: assets.id });
  if (!asset) throw new Error('asset insert returned no row');
  return asset.id;
}

describe('business entity membership', () => {
  it('is the union of its tags, each asset once', async () => {
    const web = await createTag(handle.db, { name: 'Shop web' });
    const data = await createTag(handle.db, { name: 'Shop data' });
    const front = await createAsset('shop-front.example.test');
    const shared = await createAsset('shop-shared.example.test');
    const database = await createAsset('shop-db.example.test');
    await addAssetsToTag(handle.db, web.id, { assetIds: [front, shared] });
    await addAssetsToTag(handle.db, data.id, { assetIds: [shared, database] });

    const entity = await createBusinessEntity(handle.db, { name: 'Web shop', description: 'Online store', tagIds: [web.id, data.id] });
    expect((await businessEntityMemberIds(handle.db, entity.id)).sort()).toEqual([front, shared, database].sort());

    const listed = (await listBusinessEntities(handle.db)).find((entry) => entry.id === entity.id);
    expect(listed?.assetCount).toBe(3);
    expect(listed?.tags.map((tag) => tag.name)).toEqual(['Shop data', 'Shop web']);
    expect(listed?.description).toBe('Online store');

    await updateBusinessEntity(handle.db, entity.id, { name: 'Web shop', tagIds: [web.id] });
    const updated = await getBusinessEntity(handle.db, entity.id);
    expect(updated?.assetCount).toBe(2);
    expect(updated?.description).toBeNull();
    expect(updated?.tags.map((tag) => tag.id)).toEqual([web.id]);
  });

  it('counts zero members without tags', async () => {
    const entity = await createBusinessEntity(handle.db, { name: 'Empty unit' });
    expect((await getBusinessEntity(handle.db, entity.id))?.assetCount).toBe(0);
  });

  it('rejects an unknown tag and a duplicate name', async () => {
    await createBusinessEntity(handle.db, { name: 'Billing' });
    await expect(createBusinessEntity(handle.db, { name: 'billing' })).rejects.toThrow(/a business entity named "Billing" already exists/);
    await expect(createBusinessEntity(handle.db, { name: 'Ledger', tagIds: [999_999] })).rejects.toThrow(/tag 999999 was not found/);
    expect((await listBusinessEntities(handle.db)).some((entry) => entry.name === 'Ledger')).toBe(false);
  });

  it('deletes an entity and keeps its tags', async () => {
    const tag = await createTag(handle.db, { name: 'Kept tag' });
    const entity = await createBusinessEntity(handle.db, { name: 'Short-lived', tagIds: [tag.id] });
    await deleteBusinessEntity(handle.db, entity.id);
    expect(await getBusinessEntity(handle.db, entity.id)).toBeUndefined();
    const error = await deleteBusinessEntity(handle.db, entity.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
  });
});
