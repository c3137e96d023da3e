import { sql, type SQL } from 'drizzle-orm';
import { findingIsAccepted } from '../risk-acceptance/active';

/**
 * SQL condition that a finding, under the given table alias, counts toward Risk Scores: the asset
 * recompute, the asset explanation and prioritization all filter through it. Fixed findings and
 * findings under an active risk acceptance (lib/risk-acceptance/active.ts) do not count.
 */
export function findingCountsTowardRisk(alias: string): SQL {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`invalid SQL alias "${alias}"`);
  return sql`(${sql.raw(`${alias}.status <> 'fixed'`)} and not ${findingIsAccepted(alias)})`;
}
