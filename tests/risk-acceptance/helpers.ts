import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { assets, assetTags, findings, tags } from '../../db/schema';

export interface SmallEstate {
  assetId: number;
  otherAssetId: number;
  tagId: number;
  criticalId: number;
  lowId: number;
  mediumId: number;
}

/**
 * Two assets under one tag: `accept-host` with one critical finding (Detection Score 95), one
 * low finding (20) and a fixed medium one, and `other-host` with one medium finding (50).
 */
export async function createSmallEstate(db: Db, prefix: string): Promise<SmallEstate> {
  const now = new Date();
  const [asset, other] = await db
    .insert(assets)
    .values([
      { name: `${prefix}-accept-host`, firstSeen: now, lastSeen: now },
      { name: `${prefix}-other-host`, firstSeen: now, lastSeen: now },
    ])
    .returning({ id: assets.id });
  if (!asset || !other) throw new Error('asset insert returned no row');
  const [tag] = await db.insert(tags).values({ name: `${prefix}-servers` }).returning({ id: tags.id });
  if (!tag) throw new Error('tag insert returned no row');
  await db.insert(assetTags).values([
    { assetId: asset.id, tagId: tag.id },
    { assetId: other.id, tagId: tag.id },
  ]);
  const base = { type: 'vulnerability' as const, firstFound: now, lastFound: now, status: 'active' as const };
  const inserted = await db
    .insert(findings)
    .values([
      { ...base, assetId: asset.id, identityKey: `${prefix}-critical`, title: `${prefix} remote code execution`, severity: 5, detectionScore: 95, cveId: 'CVE-2021-44228', cveIds: ['CVE-2021-44228'] },
      { ...base, assetId: asset.id, identityKey: `${prefix}-low`, title: `${prefix} weak cipher`, severity: 2, detectionScore: 20 },
      { ...base, assetId: asset.id, identityKey: `${prefix}-fixed`, title: `${prefix} fixed issue`, severity: 3, detectionScore: 50, status: 'fixed' },
      { ...base, assetId: other.id, identityKey: `${prefix}-medium`, title: `${prefix} outdated package`, severity: 3, detectionScore: 50 },
    ])
    .returning({ id: findings.id, identityKey: findings.identityKey });
  const idOf = (key: string) => inserted.find((row) => row.identityKey === `${prefix}-${key}`)!.id;
  return { assetId: asset.id, otherAssetId: other.id, tagId: tag.id, criticalId: idOf('critical'), lowId: idOf('low'), mediumId: idOf('medium') };
}

export async function assetScores(db: Db, assetId: number): Promise<{ v1: number; v2: number }> {
  const [row] = await db.select({ v1: assets.riskScore, v2: assets.riskScoreV2 }).from(assets).where(eq(assets.id, assetId));
  if (!row) throw new Error(`asset ${assetId} is missing`);
  return { v1: Number(row.v1), v2: Number(row.v2) };
}

export const DAY_MS = 86_400_000;

export function daysFrom(base: Date, days: number): Date {
  return new Date(base.getTime() + days * DAY_MS);
}
