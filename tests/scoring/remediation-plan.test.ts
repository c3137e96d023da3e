import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assetTags, assets, findings, tags } from '../../db/schema';
import { remediationPlan, type RemediationItem, type RemediationPlan } from '../../lib/scoring/prioritization';
import { recomputeAllRiskScores } from '../../lib/scoring/recompute';
import { createTestDb } from '../helpers/test-db';
import { referenceRemediationPlan } from './remediation-reference';

let handle: DbHandle;
let db: Db;
const now = new Date('2026-03-01T12:00:00Z');

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failing estate can be rebuilt. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface EstateShape {
  prefix: string;
  seed: number;
  assets: number;
  /** Open and fixed findings per asset, drawn between these bounds. */
  findingsPerAsset: [number, number];
  /** Highest Detection Score drawn. Scores are skewed toward low values, as in scanner reports. */
  maxDetectionScore: number;
  cves: number;
  internetFacingShare: number;
  /** Criticality of the tag put on every seventh asset, or null for no tag. */
  taggedCriticality: number | null;
}

/**
 * Inserts assets with findings whose CVEs follow a skewed distribution, so a few CVEs sit on
 * most assets and many on one or two, as in scanner reports. Some findings have no CVE and some
 * are fixed.
 */
async function addEstate(shape: EstateShape): Promise<void> {
  const random = seededRandom(shape.seed);
  const assetRows = Array.from({ length: shape.assets }, (_, index) => ({
    name: `${shape.prefix}-${index}`,
    internetFacing: random() < shape.internetFacingShare,
    firstSeen: now,
    lastSeen: now,
  }));
  const inserted = await db.insert(assets).values(assetRows).returning({ id: assets.id });

  const findingRows: (typeof findings.$inferInsert)[] = [];
  for (const [assetIndex, asset] of inserted.entries()) {
    const [low, high] = shape.findingsPerAsset;
    const count = low + Math.floor(random() * (high - low + 1));
    for (let index = 0; index < count; index++) {
      const cveNumber = random() < 0.2 ? null : Math.floor(shape.cves * random() ** 3);
      const cveId = cveNumber === null ? null : `CVE-2025-${String(1000 + cveNumber)}`;
      findingRows.push({
        type: 'vulnerability',
        assetId: asset.id,
        identityKey: `${shape.prefix}-${assetIndex}-${index}`,
        cveId,
        cveIds: cveId ? [cveId] : [],
        title: `${cveId ?? 'finding'} on ${shape.prefix}-${assetIndex}`,
        severity: 3,
        status: random() < 0.1 ? 'fixed' : 'active',
        firstFound: now,
        lastFound: now,
        detectionScore: 1 + Math.floor(shape.maxDetectionScore * random() ** 1.8),
      });
    }
  }
  for (let start = 0; start < findingRows.length; start += 500) {
    await db.insert(findings).values(findingRows.slice(start, start + 500));
  }

  if (shape.taggedCriticality !== null) {
    const [tag] = await db.insert(tags).values({ name: `${shape.prefix}-tier`, criticalityScore: shape.taggedCriticality }).returning({ id: tags.id });
    const tagged = inserted.filter((_, index) => index % 7 === 0).map((asset) => ({ assetId: asset.id, tagId: tag!.id }));
    await db.insert(assetTags).values(tagged);
  }
  await recomputeAllRiskScores(db);
}

function describeItem(item: RemediationItem): string {
  return item.kind === 'finding' ? `finding ${item.findingId}` : `cve ${item.cveId}`;
}

/** Compares two plans item by item: the same fixes in the same order, with equal drops up to rounding. */
function expectSamePlan(actual: RemediationPlan, expected: RemediationPlan): void {
  expect(actual.score).toBe(expected.score);
  expect(actual.items.map(describeItem)).toEqual(expected.items.map(describeItem));
  for (const [index, item] of actual.items.entries()) {
    const reference = expected.items[index]!;
    const { drop, uncappedDrop, ...rest } = item;
    const { drop: referenceDrop, uncappedDrop: referenceUncappedDrop, ...referenceRest } = reference;
    expect(rest).toEqual(referenceRest);
    // The affected assets' changes are summed in asset id order, the reference's in row order,
    // so the last bits of a sum over many assets may differ.
    expect(drop).toBeCloseTo(referenceDrop, 9);
    expect(uncappedDrop).toBeCloseTo(referenceUncappedDrop, 9);
  }
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});

afterAll(async () => {
  await handle.close();
});

describe('remediationPlan against the reference', () => {
  it('matches below the cap', async () => {
    await addEstate({ prefix: 'low', seed: 7, assets: 90, findingsPerAsset: [1, 8], maxDetectionScore: 60, cves: 120, internetFacingShare: 0.2, taggedCriticality: null });

    const plan = await remediationPlan(db, 10_000);
    const reference = await referenceRemediationPlan(db, 10_000);
    expect(plan.score).toBeLessThan(1000);
    expect(plan.items.some((item) => item.drop > 0)).toBe(true);
    expect(plan.items.some((item) => item.kind === 'cve' && item.assetCount > 1)).toBe(true);
    expectSamePlan(plan, reference);
    expectSamePlan(await remediationPlan(db), await referenceRemediationPlan(db));
  });

  it('matches with capped assets and more candidates than it evaluates', async () => {
    await addEstate({ prefix: 'wide', seed: 11, assets: 150, findingsPerAsset: [5, 40], maxDetectionScore: 100, cves: 400, internetFacingShare: 0.15, taggedCriticality: 5 });
    // More open findings and CVEs than the 300 finding and 60 CVE candidates, so the limits apply.
    const [counts] = await queryRows<{ open: number; cves: number }>(
      db,
      sql`select count(*)::int as open, count(distinct cve_id)::int as cves from findings where status <> 'fixed'`,
    );
    expect(Number(counts!.open)).toBeGreaterThan(300);
    expect(Number(counts!.cves)).toBeGreaterThan(60);

    const plan = await remediationPlan(db, 10_000);
    const reference = await referenceRemediationPlan(db, 10_000);
    expect(plan.score).toBe(1000);
    expect(plan.items.length).toBeGreaterThan(100);
    expectSamePlan(plan, reference);
    expectSamePlan(await remediationPlan(db), await referenceRemediationPlan(db));
  });

  it('matches when one CVE holds the top findings', async () => {
    // Fixing CVE-2025-0001 leaves the finding ranked fourth, without a CVE, as each asset's highest.
    const stacked = await db
      .insert(assets)
      .values(Array.from({ length: 40 }, (_, index) => ({ name: `stacked-${index}`, internetFacing: index % 2 === 0, firstSeen: now, lastSeen: now })))
      .returning({ id: assets.id });
    const scores: [number, string | null][] = [[85, 'CVE-2025-0001'], [84, 'CVE-2025-0001'], [83, 'CVE-2025-0001'], [80, null], [30, 'CVE-2025-0002']];
    await db.insert(findings).values(
      stacked.flatMap((asset, assetIndex) =>
        scores.map(([detectionScore, cveId], index) => ({
          type: 'vulnerability' as const,
          assetId: asset.id,
          identityKey: `stacked-${assetIndex}-${index}`,
          cveId,
          cveIds: cveId ? [cveId] : [],
          title: `${cveId ?? 'finding'} on stacked-${assetIndex}`,
          severity: 3,
          status: 'active' as const,
          firstFound: now,
          lastFound: now,
          detectionScore,
        })),
      ),
    );
    await recomputeAllRiskScores(db);

    const plan = await remediationPlan(db, 10_000);
    const stackedFix = plan.items.find((item) => item.kind === 'cve' && item.cveId === 'CVE-2025-0001');
    expect(stackedFix).toBeDefined();
    expectSamePlan(plan, await referenceRemediationPlan(db, 10_000));
  });
});
