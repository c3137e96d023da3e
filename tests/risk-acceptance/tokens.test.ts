import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, findings } from '../../db/schema';
import type { Entity } from '../../lib/query/catalog';
import { checkQuery } from '../../lib/query/check';
import { compileQuery } from '../../lib/query/compile';
import { createRiskAcceptanceRule, revokeRiskAcceptanceRule } from '../../lib/risk-acceptance/rules';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { createSmallEstate, type SmallEstate } from './helpers';

let handle: DbHandle;
let db: Db;
let estate: SmallEstate;
const ids: Record<string, number> = {};

const NOW = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  estate = await createSmallEstate(db, 'tokens');
  const base = { justification: 'Reviewed by the security team.', startDate: '2026-03-01' };
  ids.accepted = (
    await createRiskAcceptanceRule(db, { ...base, name: 'Accepted critical', type: 'RISK_ACCEPTED', reasonType: 'compensating_control', query: `finding.id:${estate.criticalId}`, endDate: '2026-04-10' }, { userId: null }, NOW)
  ).id;
  ids.falsePositive = (
    await createRiskAcceptanceRule(db, { ...base, name: 'Wrong cipher', type: 'FALSE_POSITIVE', reasonType: 'scanner_error', query: `finding.id:${estate.lowId}`, endDate: null }, { userId: null }, NOW)
  ).id;
  ids.revoked = (
    await createRiskAcceptanceRule(db, { ...base, name: 'Revoked medium', type: 'RISK_ACCEPTED', reasonType: 'business_decision', query: `finding.id:${estate.mediumId}`, endDate: '2026-05-01' }, { userId: null }, NOW)
  ).id;
  await revokeRiskAcceptanceRule(db, ids.revoked, { userId: null }, NOW);
});

afterAll(async () => {
  await handle?.close();
});

async function matching(entity: Entity, text: string): Promise<number[]> {
  const where = compileQuery(checkQuery(text, { now: NOW }), entity, { timeZone: 'UTC' }) ?? sql`true`;
  const table = entity === 'finding' ? findings : assets;
  const rows = await db.select({ id: table.id }).from(table).where(where as SQL);
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

describe(`finding.riskAcceptance.* tokens (${testDbKind})`, () => {
  it('match the findings of the rules that cover them', async () => {
    expect(await matching('finding', 'finding.riskAcceptance.type:RISK_ACCEPTED')).toEqual([estate.criticalId]);
    expect(await matching('finding', 'finding.riskAcceptance.type:false_positive')).toEqual([estate.lowId]);
    expect(await matching('finding', 'finding.riskAcceptance.reasonType:[compensating_control, scanner_error]')).toEqual([estate.criticalId, estate.lowId]);
    expect(await matching('finding', `finding.riskAcceptance.ruleId:${ids.falsePositive}`)).toEqual([estate.lowId]);
  });

  it('leave out revoked rules', async () => {
    expect(await matching('finding', `finding.riskAcceptance.ruleId:${ids.revoked}`)).toEqual([]);
    expect(await matching('finding', 'finding.riskAcceptance.reasonType:business_decision')).toEqual([]);
  });

  it('compare dates and skip missing ends', async () => {
    expect(await matching('finding', 'finding.riskAcceptance.endDate:[now .. now+30d]')).toEqual([estate.criticalId]);
    expect(await matching('finding', 'finding.riskAcceptance.endDate>2026-04-09')).toEqual([estate.criticalId]);
    expect(await matching('finding', 'finding.riskAcceptance.endDate>2026-04-10')).toEqual([]);
    expect(await matching('finding', 'finding.riskAcceptance.endDate:2026-04-10')).toEqual([estate.criticalId]);
    expect(await matching('finding', 'finding.riskAcceptance.startDate<=now')).toEqual([estate.criticalId, estate.lowId]);
    expect(await matching('finding', 'finding.riskAcceptance.createdDate>=2026-03-15')).toEqual([estate.criticalId, estate.lowId]);
  });

  it('negate and cross to assets', async () => {
    const all = await matching('finding', 'finding.id>=1');
    expect(await matching('finding', 'NOT finding.riskAcceptance.type:RISK_ACCEPTED')).toEqual(all.filter((id) => id !== estate.criticalId));
    // An end date test on a finding whose only rule has none: NOT keeps it.
    expect(await matching('finding', `finding.id:${estate.lowId} AND NOT finding.riskAcceptance.endDate<2030-01-01`)).toEqual([estate.lowId]);
    expect(await matching('asset', 'finding.riskAcceptance.type:FALSE_POSITIVE')).toEqual([estate.assetId]);
  });
});
