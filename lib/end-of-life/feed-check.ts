import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { imports } from '../../db/schema';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import { deriveEolFindings, type EolCheckResult } from './derive-eol-findings';
import { EOL_CHECK_SOURCE } from './eol-findings';

/**
 * Runs the end-of-life check over all assets after lifecycle data changed, inside the feed
 * import's transaction. The check is logged as an import of its own, named after the feed
 * source, so its scans and status changes have an import to point to. When the check does not
 * run (turned off, or no asset to check), no import row is kept.
 */
export async function checkEndOfLifeAfterFeed(tx: Tx, feedSource: string): Promise<EolCheckResult> {
  const started = Date.now();
  const [row] = await tx
    .insert(imports)
    .values({ fileName: `end-of-life check after ${feedSource}`, source: EOL_CHECK_SOURCE, status: 'running' })
    .returning({ id: imports.id });
  if (!row) throw new Error('inserting the import log row of the end-of-life check returned nothing');

  const result = await deriveEolFindings(tx, { importId: row.id });
  if (result.assets === 0) {
    await tx.delete(imports).where(eq(imports.id, row.id));
    return result;
  }
  await recomputeAssetRiskScores(tx, result.touchedAssetIds);
  await tx
    .update(imports)
    .set({ status: 'succeeded', counts: result.counts, scannedAt: new Date(started), finishedAt: new Date(), durationMs: Date.now() - started })
    .where(eq(imports.id, row.id));
  return result;
}
