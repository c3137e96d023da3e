import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { imports } from '../../db/schema';
import type { AssetRecord, FindingRecord } from '../../lib/ingest/model';
import { ImportWriter } from '../../lib/ingest/writer';
import type { ImportCounts } from '../../db/schema';

/** An import whose transaction stays open after its records are written, until `commit()`. */
export interface OpenImport {
  importId: Promise<number>;
  /** Resolves once every record is written, with the transaction still open. */
  written: Promise<ImportCounts>;
  commit(): void;
  /** Resolves when the transaction has committed, or rejects with its error. */
  done: Promise<ImportCounts>;
}

/**
 * Writes records through the real ImportWriter, as writeRecords does, but keeps the transaction
 * open after `finish()` so a test can run a second import or a re-identification next to it.
 */
export function openImport(db: Db, source: string, observedAt: Date, assets: AssetRecord[], findings: Omit<FindingRecord, 'raw'>[]): OpenImport {
  let commit: () => void = () => {};
  const committed = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let markWritten: (counts: ImportCounts) => void = () => {};
  let failWritten: (error: unknown) => void = () => {};
  const written = new Promise<ImportCounts>((resolve, reject) => {
    markWritten = resolve;
    failWritten = reject;
  });

  const importId = (async () => {
    const [row] = await db.insert(imports).values({ fileName: `${source}.test`, source, status: 'succeeded', scannedAt: observedAt }).returning({ id: imports.id });
    if (!row) throw new Error('inserting the import row returned nothing');
    return row.id;
  })();

  const done = (async () => {
    const id = await importId;
    return db.transaction(async (tx) => {
      const writer = new ImportWriter(tx, { importId: id, source, observedAt });
      for (const asset of assets) await writer.addAsset(asset);
      for (const finding of findings) await writer.addFinding({ raw: {}, ...finding });
      const counts = await writer.finish();
      markWritten(counts);
      await committed;
      return counts;
    });
  })();
  done.catch(failWritten);

  return { importId, written, commit, done };
}

/**
 * Resolves once a session of this database waits for a lock. On Postgres this shows that a
 * transaction is blocked by another; PGlite runs one transaction at a time, so it returns at once.
 */
export async function waitForLockWaiter(db: Db, kind: 'postgres' | 'pglite', timeoutMs = 15_000): Promise<void> {
  if (kind === 'pglite') return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await queryRows<{ waiting: number }>(
      db,
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((row?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no session waited for a lock within ${timeoutMs} ms`);
}
