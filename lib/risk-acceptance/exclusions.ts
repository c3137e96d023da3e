import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { ruleIsActive, ruleState } from './active';
import type { RiskAcceptanceType, RuleState } from './schemas';

export interface FindingAcceptance {
  ruleId: number;
  name: string;
  type: RiskAcceptanceType;
  reasonType: string;
  justification: string;
  startDate: string;
  endDate: string | null;
  state: RuleState;
}

/** The rules that cover a finding, active ones first, for the finding page. */
export async function acceptancesOfFinding(db: Db | Tx, findingId: number, now = new Date()): Promise<FindingAcceptance[]> {
  const rows = await queryRows<{ id: number; name: string; type: RiskAcceptanceType; reason_type: string; justification: string; start_date: string | Date; end_date: string | Date | null; state: RuleState }>(
    db,
    sql`select r.id, r.name, r.type, r.reason_type, r.justification, r.start_date, r.end_date, ${ruleState('r', now)} as state
        from finding_risk_acceptances m join risk_acceptance_rules r on r.id = m.rule_id
        where m.finding_id = ${findingId}
        order by (${ruleState('r', now)} = 'active') desc, r.end_date desc nulls first, r.id`,
  );
  return rows.map((row) => ({
    ruleId: Number(row.id),
    name: row.name,
    type: row.type,
    reasonType: row.reason_type,
    justification: row.justification,
    startDate: new Date(row.start_date).toISOString(),
    endDate: row.end_date === null ? null : new Date(row.end_date).toISOString(),
    state: row.state,
  }));
}

export interface AcceptedFindingsSummary {
  /** Open findings left out of the Risk Score because an active rule covers them. */
  findingCount: number;
  /** Each active rule with how many of those findings it covers; a finding under two rules counts for both. */
  rules: { ruleId: number; name: string; findingCount: number }[];
}

/**
 * Counts the open findings of the given assets (all assets when left out) that active risk
 * acceptances leave out of Risk Scores, and names the rules, for score explanations.
 */
export async function acceptedFindingsSummary(db: Db | Tx, assetIds?: readonly number[], now?: Date): Promise<AcceptedFindingsSummary> {
  const scope = assetIds ? sql`and f.asset_id = any(${sql.raw(`'{${assetIds.map((id) => Math.trunc(id)).join(',')}}'::int[]`)})` : sql``;
  const rows = await queryRows<{ rule_id: number | null; name: string | null; finding_count: number }>(
    db,
    sql`select r.id as rule_id, r.name, count(distinct f.id)::int as finding_count
        from findings f
        join finding_risk_acceptances m on m.finding_id = f.id
        join risk_acceptance_rules r on r.id = m.rule_id and ${ruleIsActive('r', now)}
        where f.status <> 'fixed' ${scope}
        group by grouping sets ((r.id, r.name), ())
        order by 3 desc, 2`,
  );
  const total = rows.find((row) => row.rule_id === null);
  return {
    findingCount: Number(total?.finding_count ?? 0),
    rules: rows.filter((row) => row.rule_id !== null).map((row) => ({ ruleId: Number(row.rule_id), name: row.name ?? '', findingCount: Number(row.finding_count) })),
  };
}
