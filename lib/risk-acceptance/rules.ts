import { asc, count, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { findingRiskAcceptances, riskAcceptanceRules, users, type RiskAcceptanceRule } from '../../db/schema';
import { AppError, parseOrThrow } from '../http/app-error';
import type { Principal } from '../http/with-api';
import { logger } from '../log';
import { checkQuery, type CheckedNode } from '../query/check';
import { isQueryError } from '../query/errors';
import { queryFilter } from '../query/filter';
import { getOrganizationTimeZone } from '../query/settings';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import { ruleState } from './active';
import { materializeRule, memberAssetIds } from './materialize';
import { createRuleInputSchema, listRulesInputSchema, updateRuleInputSchema, type RiskAcceptanceType, type ReasonType, type RuleState } from './schemas';

const log = logger.child({ module: 'risk-acceptance' });

export interface RiskAcceptanceRuleView {
  id: number;
  name: string;
  type: RiskAcceptanceType;
  reasonType: ReasonType;
  justification: string;
  query: string;
  startDate: string;
  endDate: string | null;
  notifyDaysBefore: number;
  state: RuleState;
  findingCount: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
  refreshedAt: string | null;
  refreshError: string | null;
}

/** Author of a change to a rule: a user id, or null for the local CLI. */
export interface Actor {
  userId: number | null;
}

/** Returns the author of an API call's change: its user, or null for the local CLI. */
export function actorOf(principal: Principal): Actor {
  return { userId: principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : null };
}

const creator = alias(users, 'creator');
const revoker = alias(users, 'revoker');

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

async function selectRules(db: Db | Tx, where: ReturnType<typeof sql> | undefined, now: Date): Promise<RiskAcceptanceRuleView[]> {
  const memberCount = db
    .select({ ruleId: findingRiskAcceptances.ruleId, value: count().as('value') })
    .from(findingRiskAcceptances)
    .groupBy(findingRiskAcceptances.ruleId)
    .as('member_count');
  const rows = await db
    .select({
      rule: riskAcceptanceRules,
      state: sql<RuleState>`${ruleState('risk_acceptance_rules', now)}`,
      findingCount: sql<number>`coalesce(${memberCount.value}, 0)::int`,
      createdBy: creator.email,
      revokedBy: revoker.email,
    })
    .from(riskAcceptanceRules)
    .leftJoin(memberCount, eq(memberCount.ruleId, riskAcceptanceRules.id))
    .leftJoin(creator, eq(creator.id, riskAcceptanceRules.createdBy))
    .leftJoin(revoker, eq(revoker.id, riskAcceptanceRules.revokedBy))
    .where(where)
    .orderBy(asc(sql`lower(${riskAcceptanceRules.name})`), asc(riskAcceptanceRules.id));
  return rows.map(({ rule, state, findingCount, createdBy, revokedBy }) => toView(rule, state, Number(findingCount), createdBy, revokedBy));
}

function toView(rule: RiskAcceptanceRule, state: RuleState, findingCount: number, createdBy: string | null, revokedBy: string | null): RiskAcceptanceRuleView {
  return {
    id: rule.id,
    name: rule.name,
    type: rule.type,
    reasonType: rule.reasonType as ReasonType,
    justification: rule.justification,
    query: rule.query,
    startDate: iso(rule.startDate)!,
    endDate: iso(rule.endDate),
    notifyDaysBefore: rule.notifyDaysBefore,
    state,
    findingCount,
    createdBy,
    createdAt: iso(rule.createdAt)!,
    updatedAt: iso(rule.updatedAt)!,
    revokedBy,
    revokedAt: iso(rule.revokedAt),
    refreshedAt: iso(rule.refreshedAt),
    refreshError: rule.refreshError,
  };
}

/** Lists every rule by name, or those in one state at `now`. */
export async function listRiskAcceptanceRules(db: Db | Tx, input: unknown = {}, now = new Date()): Promise<RiskAcceptanceRuleView[]> {
  const { state } = parseOrThrow(listRulesInputSchema, input);
  return selectRules(db, state ? sql`${ruleState('risk_acceptance_rules', now)} = ${state}` : undefined, now);
}

/** Returns one rule, or undefined. */
export async function getRiskAcceptanceRule(db: Db | Tx, id: number, now = new Date()): Promise<RiskAcceptanceRuleView | undefined> {
  const [rule] = await selectRules(db, sql`${riskAcceptanceRules.id} = ${id}`, now);
  return rule;
}

function usesRiskAcceptanceTokens(node: CheckedNode): boolean {
  if (node.kind === 'condition') return node.token.name.startsWith('finding.riskAcceptance.');
  if (node.kind === 'not') return usesRiskAcceptanceTokens(node.child);
  return node.children.some(usesRiskAcceptanceTokens);
}

/**
 * Checks a rule's query: a findings query that compiles and does not look at risk acceptances
 * itself, since a rule whose members depend on rules would change with every refresh.
 */
async function checkRuleQuery(db: Db | Tx, query: string, now: Date): Promise<void> {
  let checked: CheckedNode | null;
  try {
    checked = checkQuery(query, { now });
  } catch (error) {
    if (isQueryError(error)) throw new AppError('invalid_input', `query: ${error.message}`, { cause: error });
    throw error;
  }
  if (!checked) throw new AppError('invalid_input', 'query: give a query over findings, such as finding.cveId:CVE-2021-44228');
  if (usesRiskAcceptanceTokens(checked)) throw new AppError('invalid_input', 'query: a risk acceptance rule cannot select findings by finding.riskAcceptance.* tokens');
  await queryFilter(db as Db, 'finding', query, now);
}

/**
 * Turns a submitted date into an instant. A day (2026-06-30) starts in the organization's time
 * zone; as an end date it means the last millisecond of that day, so the rule covers the whole day
 * and `finding.riskAcceptance.endDate:2026-06-30` finds it.
 */
async function resolveDate(db: Db | Tx, value: string, edge: 'start' | 'end'): Promise<Date> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const timeZone = await getOrganizationTimeZone(db as Db);
  const [row] = await queryRows<{ at: string | Date }>(
    db,
    edge === 'start'
      ? sql`select (${value}::date::timestamp at time zone ${timeZone}) as at`
      : sql`select (((${value}::date + 1)::timestamp at time zone ${timeZone}) - interval '1 millisecond') as at`,
  );
  if (!row) throw new Error('date conversion returned no row');
  return new Date(row.at);
}

function checkPeriod(type: RiskAcceptanceType, startDate: Date, endDate: Date | null): void {
  if (type === 'RISK_ACCEPTED' && endDate === null) throw new AppError('invalid_input', 'endDate: a RISK_ACCEPTED rule needs an end date; only FALSE_POSITIVE rules may go without one');
  if (endDate !== null && endDate.getTime() <= startDate.getTime()) throw new AppError('invalid_input', 'endDate: the end date must be after the start date');
}

async function assertNameFree(db: Db | Tx, name: string, exceptId?: number): Promise<void> {
  const [taken] = await queryRows<{ id: number }>(db, sql`select id from risk_acceptance_rules where lower(name) = lower(${name}) and id <> ${exceptId ?? 0}`);
  if (taken) throw new AppError('invalid_input', `name: a risk acceptance rule named "${name}" already exists`);
}

/**
 * Creates a rule, stores the findings its query matches and recomputes their assets' Risk Scores,
 * all in one transaction. Throws AppError `invalid_input` naming the field for bad input.
 */
export async function createRiskAcceptanceRule(db: Db, input: unknown, actor: Actor, now = new Date()): Promise<RiskAcceptanceRuleView> {
  const parsed = parseOrThrow(createRuleInputSchema, input);
  const id = await db.transaction(async (tx) => {
    await checkRuleQuery(tx, parsed.query, now);
    const startDate = parsed.startDate === undefined ? now : await resolveDate(tx, parsed.startDate, 'start');
    const endDate = parsed.endDate === null ? null : await resolveDate(tx, parsed.endDate, 'end');
    checkPeriod(parsed.type, startDate, endDate);
    await assertNameFree(tx, parsed.name);
    const [rule] = await tx
      .insert(riskAcceptanceRules)
      .values({
        name: parsed.name,
        type: parsed.type,
        reasonType: parsed.reasonType,
        justification: parsed.justification,
        query: parsed.query,
        startDate,
        endDate,
        notifyDaysBefore: parsed.notifyDaysBefore,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: riskAcceptanceRules.id });
    if (!rule) throw new Error('rule insert returned no row');
    const { added, assetIds } = await materializeRule(tx, rule.id, parsed.query, now);
    await recomputeAssetRiskScores(tx, assetIds);
    log.info({ ruleId: rule.id, userId: actor.userId, findings: added }, 'risk acceptance rule created');
    return rule.id;
  });
  return (await getRiskAcceptanceRule(db, id, now))!;
}

/**
 * Changes a rule. A new query replaces its members; any change recomputes the Risk Scores of the
 * assets of its old and new members, as the period or the members may have changed. A revoked
 * rule cannot be changed.
 */
export async function updateRiskAcceptanceRule(db: Db, id: number, input: unknown, actor: Actor, now = new Date()): Promise<RiskAcceptanceRuleView> {
  const parsed = parseOrThrow(updateRuleInputSchema, input);
  await db.transaction(async (tx) => {
    const [rule] = await tx.select().from(riskAcceptanceRules).where(eq(riskAcceptanceRules.id, id)).for('update');
    if (!rule) throw new AppError('not_found', `risk acceptance rule ${id} was not found`);
    if (rule.revokedAt) throw new AppError('invalid_input', `risk acceptance rule ${id} is revoked and can no longer be changed`);
    if (parsed.query !== undefined) await checkRuleQuery(tx, parsed.query, now);
    if (parsed.name !== undefined) await assertNameFree(tx, parsed.name, id);
    const type = parsed.type ?? rule.type;
    const startDate = parsed.startDate === undefined ? rule.startDate : await resolveDate(tx, parsed.startDate, 'start');
    let endDate = rule.endDate;
    if (parsed.endDate === null) endDate = null;
    else if (parsed.endDate !== undefined) endDate = await resolveDate(tx, parsed.endDate, 'end');
    checkPeriod(type, startDate, endDate);

    const before = await memberAssetIds(tx, id);
    await tx
      .update(riskAcceptanceRules)
      .set({
        name: parsed.name ?? rule.name,
        type,
        reasonType: parsed.reasonType ?? rule.reasonType,
        justification: parsed.justification ?? rule.justification,
        query: parsed.query ?? rule.query,
        startDate,
        endDate,
        notifyDaysBefore: parsed.notifyDaysBefore ?? rule.notifyDaysBefore,
        updatedAt: now,
      })
      .where(eq(riskAcceptanceRules.id, id));
    const { assetIds } = await materializeRule(tx, id, parsed.query ?? rule.query, now);
    await recomputeAssetRiskScores(tx, [...new Set([...before, ...assetIds])]);
    log.info({ ruleId: id, userId: actor.userId, fields: Object.keys(parsed) }, 'risk acceptance rule changed');
  });
  return (await getRiskAcceptanceRule(db, id, now))!;
}

/**
 * Revokes a rule at once: its findings count toward Risk Scores again, and their assets are
 * recomputed. The rule and its members are kept for the record. Revoking twice changes nothing.
 */
export async function revokeRiskAcceptanceRule(db: Db, id: number, actor: Actor, now = new Date()): Promise<RiskAcceptanceRuleView> {
  await db.transaction(async (tx) => {
    const [rule] = await tx.select().from(riskAcceptanceRules).where(eq(riskAcceptanceRules.id, id)).for('update');
    if (!rule) throw new AppError('not_found', `risk acceptance rule ${id} was not found`);
    if (rule.revokedAt) return;
    await tx.update(riskAcceptanceRules).set({ revokedAt: now, revokedBy: actor.userId, updatedAt: now }).where(eq(riskAcceptanceRules.id, id));
    await recomputeAssetRiskScores(tx, await memberAssetIds(tx, id));
    log.info({ ruleId: id, userId: actor.userId }, 'risk acceptance rule revoked');
  });
  return (await getRiskAcceptanceRule(db, id, now))!;
}

/** Counts the findings a draft rule query matches now, for the live count on the form. */
export async function countMatchingFindings(db: Db, query: string, now = new Date()): Promise<number> {
  await checkRuleQuery(db, query, now);
  const filter = await queryFilter(db, 'finding', query, now);
  const [row] = await queryRows<{ count: number }>(db, sql`select count(*)::int as count from "findings" where ${filter}`);
  return Number(row?.count ?? 0);
}
