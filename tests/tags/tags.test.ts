import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { assets, findings } from '../../db/schema';
import { AppError } from '../../lib/http/app-error';
import { addAssetsToTag, createTag, deleteTag, getTag, listAssetTags, listTags, removeAssetsFromTag, searchAssetsForTag, updateTag } from '../../lib/tags/tags';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;
let serial = 0;

beforeAll(async () => {
  handle = await createTestDb();
});

afterAll(async () => {
  await handle.close();
});

/** Creates an asset with one open high finding, so its Risk Score depends on its criticality. */
async function createAsset(name: string): Promise<number> {
  const now = new Date();
  const [asset] = await handle.db.insert(assets).values({ name, firstSeen: now, lastSeen: now }).returning({ id: assets.id });
  if (!asset) throw new Error('asset insert returned no row');
  serial += 1;
  await handle.db.insert(findings).values({
    type: 'vulnerability',
    assetId: asset.id,
    identityKey: `test:${serial}`,
    title: 'Test finding',
    severity: 4,
    firstFound: now,
    lastFound: now,
    detectionScore: 75,
  });
  return asset.id;
}

async function assetScores(id: number) {
  const [row] = await handle.db.select({ criticality: assets.criticalityScore, risk: assets.riskScore }).from(assets).where(eq(assets.id, id));
  return row;
}

async function expectAppError(promise: Promise<unknown>, code: AppError['code'], message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe('tag CRUD', () => {
  it('creates, renames and deletes a tag', async () => {
    const tag = await createTag(handle.db, { name: '  Payments  ' });
    expect(tag.name).toBe('Payments');
    expect(tag.criticalityScore).toBeNull();

    await updateTag(handle.db, tag.id, { name: 'Payment platform' });
    expect((await getTag(handle.db, tag.id))?.name).toBe('Payment platform');

    await deleteTag(handle.db, tag.id);
    expect(await getTag(handle.db, tag.id)).toBeUndefined();
  });

  it('rejects a duplicate name ignoring case', async () => {
    await createTag(handle.db, { name: 'DMZ' });
    await expectAppError(createTag(handle.db, { name: 'dmz' }), 'invalid_input', /a tag named "DMZ" already exists/);
  });

  it.each([
    [{ name: '' }, /name: a tag name must not be empty/],
    [{ name: 'x'.repeat(101) }, /at most 100 characters/],
    [{ name: 'Scores', criticalityScore: 6 }, /criticalityScore: the Asset Criticality Score must be 1 to 5/],
    [{ name: 'Scores', criticalityScore: 2.5 }, /criticalityScore/],
  ])('rejects invalid input %j', async (input, message) => {
    await expectAppError(createTag(handle.db, input), 'invalid_input', message);
  });

  it('rejects changes to a missing tag', async () => {
    await expectAppError(updateTag(handle.db, 999_999, { name: 'Ghost' }), 'not_found', /tag 999999 was not found/);
    await expectAppError(deleteTag(handle.db, 999_999), 'not_found', /tag 999999 was not found/);
    await expectAppError(addAssetsToTag(handle.db, 999_999, { assetIds: [1] }), 'not_found', /tag 999999/);
  });
});

describe('tag members', () => {
  it('adds and removes assets and counts them', async () => {
    const tag = await createTag(handle.db, { name: 'Web servers' });
    const first = await createAsset('web-01.example.test');
    const second = await createAsset('web-02.example.test');

    expect(await addAssetsToTag(handle.db, tag.id, { assetIds: [first, second, first] })).toBe(2);
    expect(await addAssetsToTag(handle.db, tag.id, { assetIds: [first] })).toBe(0);
    const listed = (await listTags(handle.db)).find((entry) => entry.id === tag.id);
    expect(listed?.assetCount).toBe(2);
    expect((await getTag(handle.db, tag.id))?.members.map((member) => member.name)).toEqual(['web-01.example.test', 'web-02.example.test']);
    expect((await listAssetTags(handle.db, first)).map((entry) => entry.name)).toEqual(['Web servers']);

    expect(await removeAssetsFromTag(handle.db, tag.id, { assetIds: [first] })).toBe(1);
    expect((await getTag(handle.db, tag.id))?.assetCount).toBe(1);
  });

  it('rejects an unknown asset and adds nothing', async () => {
    const tag = await createTag(handle.db, { name: 'Partial' });
    const known = await createAsset('partial-01.example.test');
    await expectAppError(addAssetsToTag(handle.db, tag.id, { assetIds: [known, 999_999] }), 'not_found', /asset 999999 was not found/);
    expect((await getTag(handle.db, tag.id))?.assetCount).toBe(0);
  });

  it('searches asset names literally', async () => {
    const tag = await createTag(handle.db, { name: 'Search target' });
    const plain = await createAsset('db_primary.example.test');
    await createAsset('dbXprimary.example.test');
    await addAssetsToTag(handle.db, tag.id, { assetIds: [plain] });

    const matches = await searchAssetsForTag(handle.db, tag.id, { query: 'DB_PRIMARY' });
    expect(matches.map((match) => match.name)).toEqual(['db_primary.example.test']);
    expect(matches[0]?.onTag).toBe(true);
    await expectAppError(searchAssetsForTag(handle.db, tag.id, { query: '  ' }), 'invalid_input', /type part of an asset name/);
  });
});

describe('Asset Criticality Score', () => {
  it('recomputes member scores when set, changed and cleared', async () => {
    const tag = await createTag(handle.db, { name: 'Crown jewels' });
    const asset = await createAsset('vault.example.test');
    await addAssetsToTag(handle.db, tag.id, { assetIds: [asset] });
    const baseline = await assetScores(asset);
    expect(baseline?.criticality).toBe(2);

    await updateTag(handle.db, tag.id, { criticalityScore: 5 });
    const raised = await assetScores(asset);
    expect(raised?.criticality).toBe(5);
    expect(raised?.risk).toBeGreaterThan(baseline?.risk ?? 0);

    await updateTag(handle.db, tag.id, { criticalityScore: null });
    expect((await assetScores(asset))?.criticality).toBe(2);
    expect((await assetScores(asset))?.risk).toBe(baseline?.risk);
  });

  it('recomputes when a scored tag gains, loses or is deleted', async () => {
    const tag = await createTag(handle.db, { name: 'Tier 1', criticalityScore: 4 });
    const asset = await createAsset('tier1.example.test');

    await addAssetsToTag(handle.db, tag.id, { assetIds: [asset] });
    expect((await assetScores(asset))?.criticality).toBe(4);
    await removeAssetsFromTag(handle.db, tag.id, { assetIds: [asset] });
    expect((await assetScores(asset))?.criticality).toBe(2);

    await addAssetsToTag(handle.db, tag.id, { assetIds: [asset] });
    await deleteTag(handle.db, tag.id);
    expect((await assetScores(asset))?.criticality).toBe(2);
  });
});
