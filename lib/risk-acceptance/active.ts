import { sql, type SQL } from 'drizzle-orm';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;

function identifier(alias: string): string {
  if (!IDENTIFIER.test(alias)) throw new Error(`invalid SQL alias "${alias}"`);
  return alias;
}

function moment(at: Date | undefined): SQL {
  return at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
}

/**
 * SQL condition that the risk acceptance rule under `ruleAlias` is active at `at` (now() when left
 * out): started, not yet ended and not revoked. Evaluated when scores and lists are computed, so a
 * rule stops counting at its end date without any job.
 */
export function ruleIsActive(ruleAlias: string, at?: Date): SQL {
  const rule = sql.raw(identifier(ruleAlias));
  const when = moment(at);
  return sql`(${rule}."revoked_at" is null and ${rule}."start_date" <= ${when} and (${rule}."end_date" is null or ${rule}."end_date" > ${when}))`;
}

/**
 * SQL condition that the finding under `findingAlias` is covered by an active risk acceptance
 * rule at `at` (now() when left out). Risk Scores leave such findings out.
 */
export function findingIsAccepted(findingAlias: string, at?: Date): SQL {
  const finding = sql.raw(identifier(findingAlias));
  return sql`exists (select 1 from "finding_risk_acceptances" "ra_member" join "risk_acceptance_rules" "ra_rule" on "ra_rule"."id" = "ra_member"."rule_id"
    where "ra_member"."finding_id" = ${finding}."id" and ${ruleIsActive('ra_rule', at)})`;
}

/** SQL expression naming the state of the rule under `ruleAlias` at `at`: upcoming, active, expired or revoked. */
export function ruleState(ruleAlias: string, at?: Date): SQL {
  const rule = sql.raw(identifier(ruleAlias));
  const when = moment(at);
  return sql`(case when ${rule}."revoked_at" is not null then 'revoked'
    when ${rule}."start_date" > ${when} then 'upcoming'
    when ${rule}."end_date" is not null and ${rule}."end_date" <= ${when} then 'expired'
    else 'active' end)`;
}
