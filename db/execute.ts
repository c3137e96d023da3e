import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client';

/**
 * Runs raw SQL and returns its rows. postgres.js returns the rows as an array and PGlite as
 * `{ rows }`; this hides the difference so raw queries run unchanged on both.
 */
export async function queryRows<Row>(db: Db | Tx, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}
