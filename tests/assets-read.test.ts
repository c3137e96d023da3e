import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../db/client';
import { assetTags, assets, findings, tags, technologies } from '../db/schema';
import { getAsset } from '../lib/assets/get-asset';
import { ASSET_SORTS, listAssets, riskiestAssets, type AssetSort } from '../lib/assets/list-assets';
import { createTestDb } from './helpers/test-db';

let handle: DbHandle;
let db: Db;

interface SeededAsset {
  id: number;
  name: string;
  riskScore: number;
  lastSeen: Date;
  openFindings: number;
}
const seeded: SeededAsset[] = [];

// 23 assets with tied risk scores (reals that are not exact in binary), tied names and tied
// open-finding counts, so every sort needs the id tie-break.
const ASSET_COUNT = 23;
const RISK_SCORES = [812.3, 0, 455.55, 812.3, 99.9];

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;

  for (let index = 0; index < ASSET_COUNT; index++) {
    const lastSeen = new Date(Date.UTC(2026, 0, 1 + (index % 4)));
    const [asset] = await db
      .insert(assets)
      .values({ name: `host-${index % 6}`, firstSeen: lastSeen, lastSeen, riskScore: RISK_SCORES[index % RISK_SCORES.length]!, riskScoreV2: RISK_SCORES[index % RISK_SCORES.length]! })
      .returning({ id: assets.id, name: assets.name, riskScore: assets.riskScore, lastSeen: assets.lastSeen });

    const findingCount = index % 4;
    for (let number = 0; number < findingCount; number++) {
      await db.insert(findings).values({
        type: 'vulnerability',
        assetId: asset!.id,
        identityKey: `finding-${number}`,
        title: `Finding ${number}`,
        severity: number + 2,
        status: 'active',
        detectionScore: 50,
        firstFound: lastSeen,
        lastFound: lastSeen,
      });
    }
    // A fixed finding, which open-finding counts must leave out.
    await db.insert(findings).values({
      type: 'vulnerability',
      assetId: asset!.id,
      identityKey: 'fixed-finding',
      title: 'Fixed finding',
      severity: 5,
      status: 'fixed',
      detectionScore: 90,
      firstFound: lastSeen,
      lastFound: lastSeen,
    });
    seeded.push({ ...asset!, openFindings: findingCount });
  }
});

afterAll(async () => {
  await handle?.close();
});

const SORT_VALUE: Record<AssetSort, (asset: SeededAsset) => number | string> = {
  riskScore: (asset) => asset.riskScore,
  name: (asset) => asset.name,
  lastSeen: (asset) => asset.lastSeen.getTime(),
  openFindings: (asset) => asset.openFindings,
};

function expectedOrder(sort: AssetSort, direction: 'asc' | 'desc'): number[] {
  const value = SORT_VALUE[sort];
  const sign = direction === 'asc' ? 1 : -1;
  return [...seeded]
    .sort((a, b) => {
      const left = value(a);
      const right = value(b);
      if (left < right) return -sign;
      if (left > right) return sign;
      return sign * (b.id - a.id);
    })
    .map((asset) => asset.id);
}

describe('listAssets', () => {
  for (const sort of ASSET_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`pages by ${sort} ${direction} in order`, async () => {
        const ids: number[] = [];
        let cursor: string | undefined;
        for (let guard = 0; guard < 50; guard++) {
          const page = await listAssets(db, { sort, direction, limit: 4, cursor });
          expect(page.total).toBe(ASSET_COUNT);
          ids.push(...page.items.map((item) => item.id));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }

        expect(new Set(ids).size).toBe(ASSET_COUNT);
        expect(ids).toEqual(expectedOrder(sort, direction));
      });
    }
  }

  it('counts open findings per asset', async () => {
    const page = await listAssets(db, { limit: 500 });
    for (const item of page.items) {
      expect(item.openFindings, `asset ${item.id}`).toBe(seeded.find((asset) => asset.id === item.id)!.openFindings);
    }
  });

  it('counts open findings per severity', async () => {
    const page = await listAssets(db, { limit: 500 });
    for (const item of page.items) {
      // Seeding gives an asset with n open findings one each of severities 2 to n + 1, and one
      // fixed critical finding that the counts leave out.
      const open = seeded.find((asset) => asset.id === item.id)!.openFindings;
      const expected = [5, 4, 3, 2, 1].map((severity) => [severity, severity >= 2 && severity <= open + 1 ? 1 : 0]);
      expect(item.openFindingsBySeverity.map((entry) => [entry.severity, entry.count]), `asset ${item.id}`).toEqual(expected);
      expect(item.openFindingsBySeverity.reduce((sum, entry) => sum + entry.count, 0), `asset ${item.id}`).toBe(item.openFindings);
    }
  });
});

describe('riskiestAssets', () => {
  it('returns the highest scores above 0', async () => {
    const riskiest = await riskiestAssets(db, 6);

    expect(riskiest.map((asset) => asset.id)).toEqual(expectedOrder('riskScore', 'desc').slice(0, 6));
    expect(riskiest.every((asset) => asset.riskScore > 0)).toBe(true);
    expect(riskiest[0]!.openFindings).toBe(seeded.find((asset) => asset.id === riskiest[0]!.id)!.openFindings);
  });
});

describe('getAsset', () => {
  it('returns tags, technologies and open findings by severity', async () => {
    const asset = seeded.find((candidate) => candidate.openFindings === 3)!;
    const [tag] = await db.insert(tags).values({ name: 'production', criticalityScore: 5 }).returning();
    await db.insert(assetTags).values({ assetId: asset.id, tagId: tag!.id });
    await db.insert(technologies).values({ assetId: asset.id, vendor: 'Apache', product: 'httpd', version: '2.4.58' });

    const detail = await getAsset(db, asset.id);

    expect(detail?.tags).toEqual([{ id: tag!.id, name: 'production', criticalityScore: 5 }]);
    expect(detail?.technologies).toMatchObject([{ vendor: 'Apache', product: 'httpd', version: '2.4.58' }]);
    expect(detail?.openFindingsBySeverity.map((entry) => [entry.severity, entry.count])).toEqual([
      [5, 0],
      [4, 1],
      [3, 1],
      [2, 1],
      [1, 0],
    ]);
  });

  it('returns undefined for an unknown id', async () => {
    expect(await getAsset(db, 2_000_000_000)).toBeUndefined();
  });
});
