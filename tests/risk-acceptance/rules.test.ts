import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { findingRiskAcceptances, findings, riskAcceptanceRules } from '../../db/schema';
import { createUser } from '../../lib/auth/users';
import { importReport } from '../../lib/ingest/import-report';
import { findingIsAccepted, ruleIsActive, ruleState } from '../../lib/risk-acceptance/active';
import { acceptancesOfFinding } from '../../lib/risk-acceptance/exclusions';
import { refreshRiskAcceptanceRules } from '../../lib/risk-acceptance/materialize';
import { countMatchingFindings, createRiskAcceptanceRule, getRiskAcceptanceRule, listRiskAcceptanceRules, revokeRiskAcceptanceRule, updateRiskAcceptanceRule } from '../../lib/risk-acceptance/rules';
import { setOrganizationTimeZone } from '../../lib/query/settings';
import { recomputeAssetRiskScores } from '../../lib/scoring/recompute';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { createSmallEstate, daysFrom, type SmallEstate } from './helpers';

let handle: DbHandle;
let db: Db;
let estate: SmallEstate;
let userId: number;

const NOW = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  estate = await createSmallEstate(db, 'rules');
  await recomputeAssetRiskScores(db, [estate.assetId, estate.otherAssetId]);
  userId = (await createUser(db, { email: 'rules-manager@example.com', password: 'rules manager password', role: 'manager' })).id;
});

afterAll(async () => {
  await handle?.close();
});

const valid = {
  name: 'Log4Shell behind the WAF',
  type: 'RISK_ACCEPTED',
  reasonType: 'compensating_control',
  justification: 'The WAF blocks JNDI lookups until the vendor ships a fixed release.',
  query: 'finding.cveId:CVE-2021-44228',
  startDate: '2026-03-01',
  endDate: '2026-06-30',
} as const;

async function members(ruleId: number): Promise<number[]> {
  const rows = await db.select({ id: findingRiskAcceptances.findingId }).from(findingRiskAcceptances).where(eq(findingRiskAcceptances.ruleId, ruleId));
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

describe(`risk acceptance rules (${testDbKind})`, () => {
  it('creates a rule, stores its matching findings and records who created it', async () => {
    const rule = await createRiskAcceptanceRule(db, valid, { userId }, NOW);
    expect(rule).toMatchObject({ name: valid.name, type: 'RISK_ACCEPTED', reasonType: 'compensating_control', state: 'active', findingCount: 1, createdBy: 'rules-manager@example.com', notifyDaysBefore: 14 });
    // A day means the whole day in the organization's time zone (UTC here).
    expect(rule.startDate).toBe('2026-03-01T00:00:00.000Z');
    expect(rule.endDate).toBe('2026-06-30T23:59:59.999Z');
    expect(await members(rule.id)).toEqual([estate.criticalId]);
    expect((await getRiskAcceptanceRule(db, rule.id, NOW))?.name).toBe(valid.name);
  });

  it('resolves a day in the organization time zone', async () => {
    await setOrganizationTimeZone(db, 'Europe/Berlin');
    try {
      const rule = await createRiskAcceptanceRule(db, { ...valid, name: 'Berlin days', startDate: '2026-07-01', endDate: '2026-07-31' }, { userId }, NOW);
      expect(rule.startDate).toBe('2026-06-30T22:00:00.000Z');
      expect(rule.endDate).toBe('2026-07-31T21:59:59.999Z');
      expect(rule.state).toBe('upcoming');
      await revokeRiskAcceptanceRule(db, rule.id, { userId }, NOW);
    } finally {
      await setOrganizationTimeZone(db, 'UTC');
    }
  });

  it.each([
    [{ ...valid, name: 'no end', endDate: null }, /endDate: a RISK_ACCEPTED rule needs an end date/],
    [{ ...valid, name: 'backwards', startDate: '2026-05-01', endDate: '2026-04-01' }, /the end date must be after the start date/],
    [{ ...valid, name: 'bad query', query: 'finding.severty:critical' }, /query: .*finding\.severity/],
    [{ ...valid, name: 'circular', query: 'finding.riskAcceptance.type:FALSE_POSITIVE' }, /cannot select findings by finding\.riskAcceptance/],
    [{ ...valid, name: 'bad type', type: 'ACCEPTED' }, /type must be one of RISK_ACCEPTED, FALSE_POSITIVE/],
    [{ ...valid, name: 'bad reason', reasonType: 'because' }, /reasonType must be one of/],
    [{ ...valid, name: 'no justification', justification: '  ' }, /give a justification/],
    [{ ...valid, name: 'bad date', endDate: '30.06.2026' }, /give a date such as 2026-06-30/],
    [{ ...valid, name: 'notice too early', notifyDaysBefore: 400 }, /notifyDaysBefore must be 0 to 365/],
    [{ ...valid, name: 'LOG4SHELL BEHIND THE WAF' }, /already exists/],
  ])('rejects invalid input and writes nothing: %#', async (input, message) => {
    const before = await db.select({ id: riskAcceptanceRules.id }).from(riskAcceptanceRules);
    await expect(createRiskAcceptanceRule(db, input, { userId }, NOW)).rejects.toThrow(message);
    expect(await db.select({ id: riskAcceptanceRules.id }).from(riskAcceptanceRules)).toHaveLength(before.length);
  });

  it('takes a FALSE_POSITIVE rule without an end date', async () => {
    const rule = await createRiskAcceptanceRule(
      db,
      { ...valid, name: 'Cipher finding is wrong', type: 'FALSE_POSITIVE', reasonType: 'scanner_error', query: `finding.id:${estate.lowId}`, endDate: null },
      { userId },
      NOW,
    );
    expect(rule).toMatchObject({ endDate: null, state: 'active', findingCount: 1 });
    await revokeRiskAcceptanceRule(db, rule.id, { userId }, NOW);
  });

  it('replaces the members when the query changes, set-based', async () => {
    const [rule] = await listRiskAcceptanceRules(db, { state: 'active' }, NOW);
    if (!rule) throw new Error('no active rule');
    const changed = await updateRiskAcceptanceRule(db, rule.id, { query: `finding.title:rules AND finding.severity<=medium`, notifyDaysBefore: 7 }, { userId }, NOW);
    expect(changed.notifyDaysBefore).toBe(7);
    // The fixed finding matches the query too: membership follows the query, activity decides scoring.
    const expected = await queryRows<{ id: number }>(db, sql`select id from findings where title ilike '%rules%' and severity <= 3 order by id`);
    expect(await members(rule.id)).toEqual(expected.map((row) => Number(row.id)));
    expect(await countMatchingFindings(db, 'finding.title:rules AND finding.severity<=medium', NOW)).toBe(expected.length);
    await updateRiskAcceptanceRule(db, rule.id, { query: valid.query }, { userId }, NOW);
    expect(await members(rule.id)).toEqual([estate.criticalId]);
  });

  it('rejects an edit breaking the period', async () => {
    const [rule] = await listRiskAcceptanceRules(db, { state: 'active' }, NOW);
    if (!rule) throw new Error('no active rule');
    await expect(updateRiskAcceptanceRule(db, rule.id, { endDate: null }, { userId }, NOW)).rejects.toThrow(/needs an end date/);
    await expect(updateRiskAcceptanceRule(db, rule.id, {}, { userId }, NOW)).rejects.toThrow(/at least one field/);
    await expect(updateRiskAcceptanceRule(db, 999_999, { name: 'x' }, { userId }, NOW)).rejects.toThrow(/was not found/);
    expect((await getRiskAcceptanceRule(db, rule.id, NOW))?.endDate).toBe(rule.endDate);
  });

  it('adds findings of a later import to a live rule', async () => {
    // Imports refresh the rules that are live by the real clock.
    const { startDate: _start, ...undated } = valid;
    const rule = await createRiskAcceptanceRule(db, { ...undated, name: 'Imported plugin', query: 'finding.vendorId:424242', endDate: daysFrom(new Date(), 30).toISOString() }, { userId });
    expect(rule.findingCount).toBe(0);
    const report = `<?xml version="1.0" ?><NessusClientData_v2><Report name="ra"><ReportHost name="10.9.0.1"><HostProperties><tag name="host-ip">10.9.0.1</tag>
<tag name="host-fqdn">imported.example</tag><tag name="HOST_END_TIMESTAMP">${Math.floor(NOW.getTime() / 1000)}</tag></HostProperties>
<ReportItem port="443" svc_name="www" protocol="tcp" severity="3" pluginID="424242" pluginName="Accepted plugin" pluginFamily="General"><description>x</description></ReportItem>
</ReportHost></Report></NessusClientData_v2>`;
    const result = await importReport(db, { fileName: 'accepted.nessus', bytes: (async function* () { yield new TextEncoder().encode(report); })() });
    expect(result.status).toBe('succeeded');
    const [imported] = await db.select({ id: findings.id }).from(findings).where(eq(findings.vendorId, '424242'));
    expect(await members(rule.id)).toEqual([imported!.id]);
    // A refresh with nothing new changes nothing.
    const again = await refreshRiskAcceptanceRules(db);
    expect(again.assetIds).toEqual([]);
    await revokeRiskAcceptanceRule(db, rule.id, { userId });
  });

  it('revokes a rule once and keeps it for the record, read-only', async () => {
    const rule = await createRiskAcceptanceRule(db, { ...valid, name: 'To revoke', query: `finding.id:${estate.mediumId}` }, { userId }, NOW);
    const revoked = await revokeRiskAcceptanceRule(db, rule.id, { userId }, NOW);
    expect(revoked).toMatchObject({ state: 'revoked', revokedBy: 'rules-manager@example.com', findingCount: 1 });
    expect((await revokeRiskAcceptanceRule(db, rule.id, { userId }, daysFrom(NOW, 1))).revokedAt).toBe(revoked.revokedAt);
    await expect(updateRiskAcceptanceRule(db, rule.id, { name: 'renamed' }, { userId }, NOW)).rejects.toThrow(/revoked and can no longer be changed/);
    expect((await listRiskAcceptanceRules(db, { state: 'revoked' }, NOW)).map((entry) => entry.name)).toContain('To revoke');
    const acceptances = await acceptancesOfFinding(db, estate.mediumId, NOW);
    expect(acceptances).toEqual([expect.objectContaining({ name: 'To revoke', state: 'revoked' })]);
  });
});

describe(`activity window (${testDbKind})`, () => {
  // A fixed clock: the rule runs from 2026-03-01 00:00 UTC to the end of 2026-06-30 UTC.
  it.each([
    ['2026-02-28T23:59:59Z', false, 'upcoming'],
    ['2026-03-01T00:00:00Z', true, 'active'],
    ['2026-06-30T23:59:59Z', true, 'active'],
    ['2026-07-01T00:00:00Z', false, 'expired'],
  ])('at %s the finding is accepted: %s (%s)', async (at, accepted, state) => {
    const when = new Date(at);
    const [row] = await queryRows<{ accepted: boolean; state: string; active: boolean }>(
      db,
      sql`select ${findingIsAccepted('f', when)} as accepted,
            (select ${ruleState('r', when)} from risk_acceptance_rules r where r.name = ${valid.name}) as state,
            (select ${ruleIsActive('r', when)} from risk_acceptance_rules r where r.name = ${valid.name}) as active
          from findings f where f.id = ${estate.criticalId}`,
    );
    expect(row).toEqual({ accepted, state, active: accepted });
  });

  it('does not accept under a revoked rule, whatever the dates', async () => {
    const [row] = await queryRows<{ accepted: boolean }>(db, sql`select ${findingIsAccepted('f', NOW)} as accepted from findings f where f.id = ${estate.mediumId}`);
    expect(row?.accepted).toBe(false);
  });

  it('rejects an alias that is no identifier', () => {
    expect(() => findingIsAccepted('f; drop table findings')).toThrow(/invalid SQL alias/);
  });
});
