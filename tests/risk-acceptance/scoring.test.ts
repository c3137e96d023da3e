import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { findings, riskAcceptanceRules } from '../../db/schema';
import { maintenanceDue, runRiskAcceptanceMaintenance } from '../../lib/risk-acceptance/maintenance';
import { createRiskAcceptanceRule, revokeRiskAcceptanceRule } from '../../lib/risk-acceptance/rules';
import { explainAssetRisk } from '../../lib/scoring/explain-asset';
import { explainGroupRisk } from '../../lib/scoring/groups';
import { recomputeAssetRiskScores } from '../../lib/scoring/recompute';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { assetScores, createSmallEstate, daysFrom, type SmallEstate } from './helpers';

// Scores read activity with the database clock, so these rules are placed around the real now.

let handle: DbHandle;
let db: Db;
let estate: SmallEstate;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  estate = await createSmallEstate(db, 'scoring');
  await recomputeAssetRiskScores(db, [estate.assetId, estate.otherAssetId]);
});

afterAll(async () => {
  await handle?.close();
});

function acceptCritical(name: string, endDate: Date) {
  return createRiskAcceptanceRule(
    db,
    {
      name,
      type: 'RISK_ACCEPTED',
      reasonType: 'compensating_control',
      justification: 'The service is reachable only through the VPN.',
      query: `finding.id:${estate.criticalId}`,
      endDate: endDate.toISOString(),
    },
    { userId: null },
  );
}

async function tagScore(): Promise<number> {
  const [row] = await queryRows<{ score_v2: number }>(db, sql`select score_v2 from risk_score_snapshots where subject_kind = 'tag' and subject_id = ${estate.tagId} order by day desc limit 1`);
  return Number(row?.score_v2);
}

describe(`risk acceptance in Risk Scores (${testDbKind})`, () => {
  it('accepting the only critical finding lowers the asset score', async () => {
    const before = await assetScores(db, estate.assetId);
    const tagBefore = await tagScore();
    const groupBefore = await explainGroupRisk(db, { kind: 'tag', id: estate.tagId });
    const orgBefore = await explainGroupRisk(db, { kind: 'organization' });

    const rule = await acceptCritical('VPN only', daysFrom(new Date(), 30));

    const after = await assetScores(db, estate.assetId);
    expect(after.v1).toBeLessThan(before.v1);
    expect(after.v2).toBeLessThan(before.v2);
    // What remains is the score of the low finding alone: recomputing from scratch gives the same.
    await recomputeAssetRiskScores(db, [estate.assetId]);
    expect(await assetScores(db, estate.assetId)).toEqual(after);

    const explanation = await explainAssetRisk(db, estate.assetId);
    expect(explanation?.stored).toEqual(after);
    expect(explanation?.v2.score).toBe(after.v2);
    expect(explanation?.acceptedFindings).toEqual({ findingCount: 1, rules: [{ ruleId: rule.id, name: 'VPN only', findingCount: 1 }] });

    // The groups above the asset follow: its tag and the organization.
    expect(await tagScore()).toBeLessThan(tagBefore);
    const group = await explainGroupRisk(db, { kind: 'tag', id: estate.tagId });
    expect(group!.v2).toBeLessThan(groupBefore!.v2);
    expect(group!.acceptedFindings.findingCount).toBe(1);
    expect((await explainGroupRisk(db, { kind: 'organization' }))!.v2).toBeLessThan(orgBefore!.v2);

    // The finding is excluded, not rescored: its Detection Score stays.
    const [finding] = await db.select({ score: findings.detectionScore }).from(findings).where(eq(findings.id, estate.criticalId));
    expect(finding?.score).toBe(95);

    await revokeRiskAcceptanceRule(db, rule.id, { userId: null });
    expect(await assetScores(db, estate.assetId)).toEqual(before);
    expect((await explainAssetRisk(db, estate.assetId))?.acceptedFindings.findingCount).toBe(0);
  });

  it('an upcoming rule changes no score until it starts', async () => {
    const before = await assetScores(db, estate.assetId);
    const rule = await createRiskAcceptanceRule(
      db,
      {
        name: 'Next month',
        type: 'RISK_ACCEPTED',
        reasonType: 'planned_remediation',
        justification: 'The fix ships with the next release.',
        query: `finding.id:${estate.criticalId}`,
        startDate: daysFrom(new Date(), 20).toISOString(),
        endDate: daysFrom(new Date(), 40).toISOString(),
      },
      { userId: null },
    );
    expect(rule.state).toBe('upcoming');
    expect(await assetScores(db, estate.assetId)).toEqual(before);
    await revokeRiskAcceptanceRule(db, rule.id, { userId: null });
  });

  it('daily step restores ended acceptances', async () => {
    const before = await assetScores(db, estate.assetId);
    const rule = await acceptCritical('Ends soon', daysFrom(new Date(), 10));
    const lowered = await assetScores(db, estate.assetId);
    expect(lowered.v2).toBeLessThan(before.v2);
    expect(await maintenanceDue(db)).toBe(true);
    const first = await runRiskAcceptanceMaintenance(db, new Date(), undefined);
    expect(first.noticesSent).toBe(0);
    expect(await maintenanceDue(db)).toBe(false);
    expect(await maintenanceDue(db, daysFrom(new Date(), 1))).toBe(true);

    // Time passes: that run was yesterday, and the rule ended a minute ago. Nothing recomputes on its own.
    await db.execute(sql`update risk_acceptance_runs set ran_at = ran_at - interval '1 day'`);
    await db.execute(sql`update risk_acceptance_rules set start_date = now() - interval '20 days', end_date = now() - interval '1 minute' where id = ${rule.id}`);
    expect(await assetScores(db, estate.assetId)).toEqual(lowered);

    const run = await runRiskAcceptanceMaintenance(db, new Date(), undefined);
    expect(run.assetsRecomputed).toBe(1);
    expect(await assetScores(db, estate.assetId)).toEqual(before);

    // The next run's window starts after the end date, so the asset is not recomputed again.
    expect((await runRiskAcceptanceMaintenance(db, new Date(), undefined)).assetsRecomputed).toBe(0);
    const [stored] = await db.select({ id: riskAcceptanceRules.id }).from(riskAcceptanceRules).where(eq(riskAcceptanceRules.id, rule.id));
    expect(stored).toBeDefined();
  });
});
