import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assetTags, assets, businessEntities, businessEntityTags, detections, findings, imports, tags, vulnerabilities } from '../../db/schema';
import { explainAssetRisk } from '../../lib/scoring/explain-asset';
import { explainDetectionScore } from '../../lib/scoring/explain-finding';
import { explainGroupRisk, listBusinessEntityRisks, organizationOverview } from '../../lib/scoring/groups';
import { remediationPlan } from '../../lib/scoring/prioritization';
import { recomputeAllRiskScores } from '../../lib/scoring/recompute';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;
let db: Db;
const now = new Date('2026-03-01T12:00:00Z');
let entityId: number;
let kevFindingId: number;
let webId: number;

async function addAsset(name: string, internetFacing: boolean, list: { score: number; cve?: string }[]): Promise<number> {
  const [asset] = await db.insert(assets).values({ name, internetFacing, firstSeen: now, lastSeen: now }).returning({ id: assets.id });
  for (const [index, finding] of list.entries()) {
    await db.insert(findings).values({
      type: 'vulnerability',
      assetId: asset!.id,
      identityKey: `${name}-${index}`,
      cveId: finding.cve ?? null,
      cveIds: finding.cve ? [finding.cve] : [],
      title: `${finding.cve ?? 'finding'} on ${name}`,
      severity: 4,
      status: 'active',
      firstFound: now,
      lastFound: now,
      detectionScore: finding.score,
    });
  }
  return asset!.id;
}

async function organizationV2(): Promise<number> {
  return (await explainGroupRisk(db, { kind: 'organization' }))!.exactV2;
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  webId = await addAsset('web-1', true, [{ score: 95, cve: 'CVE-2024-0001' }, { score: 72, cve: 'CVE-2024-0002' }]);
  const app = await addAsset('app-1', false, [{ score: 91, cve: 'CVE-2024-0001' }, { score: 45 }]);
  await addAsset('app-2', false, [{ score: 91, cve: 'CVE-2024-0001' }, { score: 30 }]);
  await addAsset('empty-1', false, []);

  const [tag] = await db.insert(tags).values({ name: 'payments', criticalityScore: 3 }).returning({ id: tags.id });
  await db.insert(assetTags).values([{ assetId: webId, tagId: tag!.id }, { assetId: app, tagId: tag!.id }]);
  const [entity] = await db.insert(businessEntities).values({ name: 'Checkout' }).returning({ id: businessEntities.id });
  entityId = entity!.id;
  await db.insert(businessEntityTags).values({ businessEntityId: entityId, tagId: tag!.id });

  await db.insert(vulnerabilities).values({ cveId: 'CVE-2024-0001', isKev: true, kevRansomwareUse: true, epssScore: 0.5, cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
  const [finding] = await db.select({ id: findings.id }).from(findings).where(sql`asset_id = ${webId} and cve_id = 'CVE-2024-0001'`);
  kevFindingId = finding!.id;
  const [run] = await db.insert(imports).values({ fileName: 'scan.nessus', format: 'nessus', status: 'succeeded', sha256: 'ab', startedAt: now }).returning({ id: imports.id });
  await db.insert(detections).values({ findingId: kevFindingId, source: 'Nessus', firstImportId: run!.id, lastImportId: run!.id, firstSeen: now, lastSeen: now, raw: { exploit_available: 'true' } });

  await recomputeAllRiskScores(db);
});

afterAll(async () => {
  await handle.close();
});

describe('explainGroupRisk', () => {
  it('lists every member with contributions that add up', async () => {
    const explanation = (await explainGroupRisk(db, { kind: 'organization' }))!;
    expect(explanation.contributionsV2).toHaveLength(4);
    const sum = explanation.contributionsV2.reduce((total, entry) => total + entry.contribution, 0);
    expect(sum).toBeCloseTo(explanation.exactV2, 6);
    expect(explanation.contributionsV2[0]!.name).toBe('web-1');
    expect(explanation.trend).toHaveLength(1);
  });

  it('takes a business entity from its tags', async () => {
    const explanation = (await explainGroupRisk(db, { kind: 'business_entity', id: entityId }))!;
    expect(explanation.name).toBe('Checkout');
    expect(explanation.memberCount).toBe(2);
  });

  it('returns undefined for an unknown tag', async () => {
    expect(await explainGroupRisk(db, { kind: 'tag', id: 999_999 })).toBeUndefined();
  });
});

describe('organizationOverview', () => {
  it('matches the full explanation', async () => {
    const overview = await organizationOverview(db);
    const explanation = (await explainGroupRisk(db, { kind: 'organization' }))!;
    expect(overview.displayedVersion).toBe('v2');
    expect(overview.score).toBe(explanation.v2);
    expect(overview.v1).toBe(explanation.v1);
    expect(overview.assetCount).toBe(4);
    expect(Object.values(overview.assetsByBand).reduce((a, b) => a + b, 0)).toBe(4);
    expect(overview.topAssets[0]!.contribution).toBeCloseTo(explanation.contributionsV2[0]!.contribution, 6);
    expect(overview.topBusinessEntities[0]!.name).toBe('Checkout');
  });

  it('lists business entities with both versions', async () => {
    const { entities } = await listBusinessEntityRisks(db);
    const explanation = (await explainGroupRisk(db, { kind: 'business_entity', id: entityId }))!;
    expect(entities).toHaveLength(1);
    expect(entities[0]!.v2).toBe(explanation.v2);
    expect(entities[0]!.v1).toBe(explanation.v1);
  });
});

describe('explainAssetRisk', () => {
  it('rebuilds the stored scores', async () => {
    const explanation = (await explainAssetRisk(db, webId))!;
    expect(explanation.criticality).toBe(3);
    expect(explanation.criticalityTag).toBe('payments');
    expect(explanation.v2.score).toBe(explanation.stored.v2);
    expect(explanation.v1.score).toBeCloseTo(explanation.stored.v1, 1);
  });
});

describe('explainDetectionScore', () => {
  it('uses the catalog and the detections', async () => {
    const explanation = (await explainDetectionScore(db, kevFindingId))!;
    const threat = explanation.current.factors.find((factor) => factor.name === 'Threat facts');
    expect(threat?.value).toBe('CISA KEV, ransomware');
    expect(explanation.current.factors.find((factor) => factor.name === 'Exploit maturity')?.value).toBe('high');
    expect(explanation.current.score).toBeGreaterThanOrEqual(90);
    expect(explanation.stored).toBe(95);
  });
});

describe('remediationPlan', () => {
  it('predicts the drop of the top fix exactly', async () => {
    const plan = await remediationPlan(db);
    const first = plan.items[0]!;
    expect(first.kind).toBe('cve');
    expect(plan.items.every((item, index) => index === 0 || item.drop <= plan.items[index - 1]!.drop)).toBe(true);

    if (first.kind !== 'cve') throw new Error('expected a CVE first');
    expect(first.cveId).toBe('CVE-2024-0001');
    await db.execute(sql`update findings set status = 'fixed' where cve_id = ${first.cveId}`);
    await recomputeAllRiskScores(db);
    expect(await organizationV2()).toBeCloseTo(plan.score - first.drop, 6);
  });
});

describe('remediationPlan at saturation', () => {
  it('ranks by the asset drop before the cap', async () => {
    const capped = await addAsset('capped-1', true, [{ score: 99, cve: 'CVE-2024-0009' }, { score: 98 }, { score: 97 }, { score: 96 }]);
    const [tag] = await db.insert(tags).values({ name: 'crown', criticalityScore: 5 }).returning({ id: tags.id });
    await db.insert(assetTags).values({ assetId: capped, tagId: tag!.id });
    await recomputeAllRiskScores(db);

    const plan = await remediationPlan(db);
    expect(plan.score).toBe(1000);
    expect(plan.items.length).toBeGreaterThan(0);
    expect(plan.items.every((item) => item.drop === 0)).toBe(true);
    expect(plan.items[0]!.uncappedDrop).toBeGreaterThan(0);
    expect(plan.items.every((item, index) => index === 0 || item.uncappedDrop <= plan.items[index - 1]!.uncappedDrop)).toBe(true);
  });
});
