import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assetTags, assets, businessEntities, businessEntityTags, findings, tags } from '../../db/schema';
import { aggregateV2 } from '../../lib/scoring/aggregate';
import { assetRiskScoreV2 } from '../../lib/scoring/asset-risk';
import { recomputeAllRiskScores, recomputeAssetRiskScores } from '../../lib/scoring/recompute';
import { DEFAULT_SCORING_SETTINGS } from '../../lib/scoring/settings';
import { readRiskTrend } from '../../lib/scoring/snapshots';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;
let db: Db;
const now = new Date('2026-03-01T12:00:00Z');

async function addAsset(name: string, internetFacing: boolean, detectionScores: number[], fixedScores: number[] = []): Promise<number> {
  const [asset] = await db.insert(assets).values({ name, internetFacing, firstSeen: now, lastSeen: now }).returning({ id: assets.id });
  const id = asset!.id;
  const all = [...detectionScores.map((score) => ({ score, fixed: false })), ...fixedScores.map((score) => ({ score, fixed: true }))];
  for (const [index, finding] of all.entries()) {
    await db.insert(findings).values({
      type: 'vulnerability',
      assetId: id,
      identityKey: `${name}-${index}`,
      title: `finding ${index}`,
      severity: 3,
      status: finding.fixed ? 'fixed' : 'active',
      firstFound: now,
      lastFound: now,
      detectionScore: finding.score,
    });
  }
  return id;
}

async function storedScores(id: number) {
  const [row] = await db.select({ v1: assets.riskScore, v2: assets.riskScoreV2, criticality: assets.criticalityScore }).from(assets).where(eq(assets.id, id));
  return row!;
}

let web: number;
let database: number;
let idle: number;
let tagId: number;
let entityId: number;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  web = await addAsset('web-1', true, [85, 72, 41], [99]);
  database = await addAsset('db-1', false, [55]);
  idle = await addAsset('idle-1', false, []);

  const [tag] = await db.insert(tags).values({ name: 'crown-jewels', criticalityScore: 3 }).returning({ id: tags.id });
  const [other] = await db.insert(tags).values({ name: 'no-criticality' }).returning({ id: tags.id });
  tagId = tag!.id;
  await db.insert(assetTags).values([
    { assetId: web, tagId },
    { assetId: web, tagId: other!.id },
    { assetId: database, tagId: other!.id },
  ]);
  const [entity] = await db.insert(businessEntities).values({ name: 'Shop' }).returning({ id: businessEntities.id });
  entityId = entity!.id;
  await db.insert(businessEntityTags).values([{ businessEntityId: entityId, tagId }, { businessEntityId: entityId, tagId: other!.id }]);
});

afterAll(async () => {
  await handle.close();
});

describe('recomputeAssetRiskScores', () => {
  it('stores criticality from the highest tag', async () => {
    await recomputeAssetRiskScores(db, [web, database, idle]);
    expect((await storedScores(web)).criticality).toBe(3);
    expect((await storedScores(database)).criticality).toBe(2);
    expect((await storedScores(idle)).criticality).toBe(2);
  });

  it('stores v2 from open findings only', async () => {
    const expected = assetRiskScoreV2(
      { criticality: 3, internetFacing: true, maxDetectionScore: 85, counts: { critical: 0, high: 2, medium: 1, low: 0 } },
      DEFAULT_SCORING_SETTINGS.assetRiskV2,
    ).score;
    expect((await storedScores(web)).v2).toBeCloseTo(expected, 1);
    expect((await storedScores(idle)).v2).toBe(0);
    expect((await storedScores(database)).v1).toBeGreaterThan(0);
  });

  it('snapshots the organization and groups', async () => {
    const rows = await queryRows<{ subject_kind: string; subject_id: number; score_v2: number; asset_count: number }>(
      db,
      sql`select subject_kind, subject_id, score_v2, asset_count from risk_score_snapshots order by subject_kind, subject_id`,
    );
    const organization = rows.find((row) => row.subject_kind === 'organization');
    const scores = await Promise.all([web, database, idle].map(async (id) => (await storedScores(id)).v2));
    expect(organization?.asset_count).toBe(3);
    expect(Number(organization?.score_v2)).toBeCloseTo(aggregateV2(scores, DEFAULT_SCORING_SETTINGS.aggregateV2.spread), 0);
    const entity = rows.find((row) => row.subject_kind === 'business_entity' && Number(row.subject_id) === entityId);
    expect(entity?.asset_count).toBe(2);
    expect(rows.some((row) => row.subject_kind === 'tag' && Number(row.subject_id) === tagId)).toBe(true);
  });

  it('upserts one snapshot per day', async () => {
    await recomputeAllRiskScores(db);
    await recomputeAllRiskScores(db);
    const trend = await readRiskTrend(db, 'organization', 0);
    expect(trend).toHaveLength(1);
  });

  it('snapshots only groups with changed members', async () => {
    await db.execute(sql`delete from risk_score_snapshots`);
    await recomputeAssetRiskScores(db, [web, database, idle]);
    const rows = await queryRows<{ subject_kind: string }>(db, sql`select subject_kind from risk_score_snapshots`);
    expect(rows.map((row) => row.subject_kind)).toEqual(['organization']);
  });

  it('lowers the scores when a finding is fixed', async () => {
    const before = await storedScores(web);
    await db.execute(sql`update findings set status = 'fixed' where asset_id = ${web} and detection_score = 72`);
    await recomputeAssetRiskScores(db, [web]);
    const after = await storedScores(web);
    expect(after.v2).toBeLessThan(before.v2);
    const tagRows = await queryRows<{ subject_id: number }>(db, sql`select subject_id from risk_score_snapshots where subject_kind = 'tag'`);
    expect(tagRows.map((row) => Number(row.subject_id))).toContain(tagId);
  });
});
