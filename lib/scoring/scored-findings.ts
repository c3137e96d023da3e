import { sql, type SQL } from 'drizzle-orm';

/**
 * SQL condition that a finding, under the given table alias, counts toward Risk Scores: the asset
 * recompute, the asset explanation and prioritization all filter through it. Fixed findings do
 * not count.
 *
 * TODO: findings under an active risk acceptance must not count either; add that condition here
 * once risk acceptances exist, and every Risk Score follows.
 */
export function findingCountsTowardRisk(alias: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`invalid SQL alias "${alias}"`);
  return sql.raw(`${alias}.status <> 'fixed'`);
}
