import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/client';
import { assets } from '../db/schema';
import { getAsset } from '../lib/assets/get-asset';
import { listAssets, riskiestAssets } from '../lib/assets/list-assets';
import { saveScoringSettings } from '../lib/scoring/settings';
import { createTestDb } from './helpers/test-db';

describe('displayed Asset Risk Score', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    const seen = new Date('2026-01-01T00:00:00Z');
    await handle.db.insert(assets).values([
      { name: 'v1-high', firstSeen: seen, lastSeen: seen, riskScore: 900, riskScoreV2: 100 },
      { name: 'v2-high', firstSeen: seen, lastSeen: seen, riskScore: 100, riskScoreV2: 950 },
    ]);
  });

  afterAll(async () => {
    await handle.close();
  });

  it('follows v2 by default', async () => {
    const [first] = await riskiestAssets(handle.db, 2);
    expect(first).toMatchObject({ name: 'v2-high', riskScore: 950 });
    const page = await listAssets(handle.db, { sort: 'riskScore' });
    expect(page.items[0]).toMatchObject({ name: 'v2-high', riskScore: 950 });
    expect((await getAsset(handle.db, page.items[0]!.id))?.riskScore).toBe(950);
  });

  it('follows v1 when the organization shows v1', async () => {
    await saveScoringSettings(handle.db, { displayedVersion: 'v1' });
    const [first] = await riskiestAssets(handle.db, 2);
    expect(first).toMatchObject({ name: 'v1-high', riskScore: 900 });
    const page = await listAssets(handle.db, { sort: 'riskScore' });
    expect(page.items[0]).toMatchObject({ name: 'v1-high', riskScore: 900 });
  });
});
