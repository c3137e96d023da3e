import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assets, findings } from '../../db/schema';
import { findingCountsTowardRisk } from '../../lib/scoring/scored-findings';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDb();
  const now = new Date();
  const [asset] = await handle.db.insert(assets).values({ name: 'scored-host', firstSeen: now, lastSeen: now }).returning();
  if (!asset) throw new Error('asset insert returned no row');
  const base = { type: 'vulnerability' as const, assetId: asset.id, severity: 3, firstFound: now, lastFound: now, detectionScore: 50 };
  await handle.db.insert(findings).values([
    { ...base, identityKey: 'open', title: 'open', status: 'active' },
    { ...base, identityKey: 'reopened', title: 'reopened', status: 'reopened' },
    { ...base, identityKey: 'fixed', title: 'fixed', status: 'fixed' },
  ]);
});

afterAll(async () => {
  await handle.close();
});

describe('findingCountsTowardRisk', () => {
  it('excludes fixed findings', async () => {
    const rows = await queryRows<{ title: string }>(handle.db, sql`select f.title from findings f where ${findingCountsTowardRisk('f')} order by f.title`);
    expect(rows.map((row) => row.title)).toEqual(['open', 'reopened']);
  });

  it('rejects an alias that is no identifier', () => {
    expect(() => findingCountsTowardRisk('f; drop table findings')).toThrow(/invalid SQL alias/);
  });
});
