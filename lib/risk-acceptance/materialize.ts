import { and, eq, isNull, or, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { findingRiskAcceptances, findings, riskAcceptanceRules } from '../../db/schema';
import { logger } from '../log';
import { queryFilter } from '../query/filter';
import { recomputeAssetRiskScores } from '../scoring/recompute';

const log = logger.child({ module: 'risk-acceptance' });

/**
 * Recomputes the members of one rule: exactly the findings its query matches now, set-based so a
 * query matching a million findings needs no id list. Returns the assets whose findings joined or
 * left, for the caller to recompute. Throws AppError `invalid_input` for a query that does not
 * compile; nothing changes then.
 */
export async function materializeRule(tx: Db | Tx, ruleId: number, query: string, now = new Date()): Promise<{ added: number; removed: number; assetIds: number[] }> {
  const filter = await queryFilter(tx as Db, 'finding', query, now);
  if (!filter) throw new Error(`risk acceptance rule ${ruleId} has an empty query`);
  const removed = await queryRows<{ asset_id: number }>(
    tx,
    sql`with gone as (
          delete from ${findingRiskAcceptances} where ${findingRiskAcceptances.ruleId} = ${ruleId}
          and ${findingRiskAcceptances.findingId} not in (select "findings"."id" from "findings" where ${filter})
          returning finding_id)
        select f.asset_id from gone join findings f on f.id = gone.finding_id`,
  );
  const added = await queryRows<{ asset_id: number }>(
    tx,
    sql`with joined as (
          insert into ${findingRiskAcceptances} (finding_id, rule_id)
          select "findings"."id", ${ruleId}::int from "findings" where ${filter}
          on conflict do nothing returning finding_id)
        select f.asset_id from joined join findings f on f.id = joined.finding_id`,
  );
  await tx.update(riskAcceptanceRules).set({ refreshedAt: now, refreshError: null }).where(eq(riskAcceptanceRules.id, ruleId));
  const assetIds = [...new Set([...removed, ...added].map((row) => Number(row.asset_id)))];
  return { added: added.length, removed: removed.length, assetIds };
}

/** Ids of the assets that have a finding among the rule's members. */
export async function memberAssetIds(tx: Db | Tx, ruleId: number): Promise<number[]> {
  const rows = await tx
    .selectDistinct({ assetId: findings.assetId })
    .from(findingRiskAcceptances)
    .innerJoin(findings, eq(findings.id, findingRiskAcceptances.findingId))
    .where(eq(findingRiskAcceptances.ruleId, ruleId));
  return rows.map((row) => row.assetId);
}

/**
 * Recomputes the members of every rule that is neither revoked nor ended, e.g. after an import
 * added findings its query matches, and the Risk Scores of the assets whose findings joined or
 * left an active rule. A rule whose query no longer compiles keeps its members, records the
 * error and is logged, so one bad rule does not stop the others.
 */
export async function refreshRiskAcceptanceRules(db: Db, now = new Date()): Promise<{ rulesRefreshed: number; assetIds: number[] }> {
  const live = await db
    .select({ id: riskAcceptanceRules.id, query: riskAcceptanceRules.query })
    .from(riskAcceptanceRules)
    .where(and(isNull(riskAcceptanceRules.revokedAt), or(isNull(riskAcceptanceRules.endDate), gt(riskAcceptanceRules.endDate, now))));
  const changedAssets = new Set<number>();
  let refreshed = 0;
  for (const rule of live) {
    try {
      await db.transaction(async (tx) => {
        const { added, removed, assetIds } = await materializeRule(tx, rule.id, rule.query, now);
        // Inactive rules change no score, but recomputing an upcoming rule's assets is harmless and
        // keeps this step independent of the clock.
        await recomputeAssetRiskScores(tx, assetIds);
        for (const id of assetIds) changedAssets.add(id);
        if (added > 0 || removed > 0) log.info({ ruleId: rule.id, added, removed }, 'risk acceptance members changed');
      });
      refreshed++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.update(riskAcceptanceRules).set({ refreshError: message.slice(0, 1000) }).where(eq(riskAcceptanceRules.id, rule.id));
      log.error({ ruleId: rule.id, err: error }, 'risk acceptance query failed; its members were left as they were');
    }
  }
  return { rulesRefreshed: refreshed, assetIds: [...changedAssets] };
}
