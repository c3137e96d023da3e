import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { rescoreFindingsWhere } from '../feeds/rescore';
import { toJson } from '../ingest/store/sql-params';

/**
 * Recomputes the Detection Score of findings whose displayed severity or CVSS a merge changed,
 * with the same inputs as a feed update (threat facts, EPSS and its trend, exploit facts and
 * lifecycle included). Returns the assets whose findings changed, for the caller to recompute.
 */
export async function rescoreFindings(tx: Tx, findingIds: readonly number[]): Promise<Set<number>> {
  if (findingIds.length === 0) return new Set();
  const selected = sql`f.id in (select value::int from json_array_elements_text(${toJson([...findingIds])}::json))`;
  const { changedAssets } = await rescoreFindingsWhere(tx, selected);
  return changedAssets;
}
