import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { and, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { imports } from '../../db/schema';

/**
 * This process as the owner of the imports it runs. The random part distinguishes a restarted
 * process from the one before it, since a pid can be reused.
 */
export const PROCESS_INSTANCE_ID = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** How often a running import's heartbeat is refreshed. */
export const IMPORT_HEARTBEAT_INTERVAL_MS = 10_000;
/** A running import whose heartbeat is older than this belongs to a process that stopped. */
export const IMPORT_STALE_AFTER_MS = 120_000;

export const INTERRUPTED_IMPORT_MESSAGE = 'import was interrupted because the process stopped; nothing of it was written';

/** Columns that make this process the owner of an import row, with a fresh heartbeat on the database clock. */
export function ownedByThisProcess(): { owner: string; heartbeatAt: SQL } {
  return { owner: PROCESS_INSTANCE_ID, heartbeatAt: sql`now()` };
}

/**
 * Refreshes the import's heartbeat until the returned function is called, so other processes
 * see that its owner is alive. A failed refresh is logged and retried at the next tick.
 */
export function startImportHeartbeat(db: Db, importId: number, log: Logger, intervalMs = IMPORT_HEARTBEAT_INTERVAL_MS): () => Promise<void> {
  let writing: Promise<void> | undefined;
  const timer = setInterval(() => {
    // At most one refresh at a time: on the embedded database it waits for the import's transaction.
    if (writing) return;
    writing = db
      .update(imports)
      .set({ heartbeatAt: sql`now()` })
      .where(and(eq(imports.id, importId), eq(imports.status, 'running')))
      .then(() => undefined)
      .catch((error: unknown) => log.warn({ err: error, importId }, 'refreshing the import heartbeat failed'))
      .finally(() => {
        writing = undefined;
      });
  }, intervalMs);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    await writing;
  };
}

export interface InterruptedImport {
  id: number;
  owner: string | null;
}

/**
 * Marks as failed the inline imports (those without a background job) that are `running` but
 * whose process is gone; called once at start-up. On the embedded database one process owns the
 * folder, so `allRunning` fails every running import. On Postgres other live processes may be
 * running imports, so only those whose heartbeat (or start, for rows from before heartbeats) is
 * older than `staleAfterMs` on the database clock are failed. Imports of background jobs are left
 * to the job runner, which uses a heartbeat in the same way.
 */
export async function failInterruptedImports(db: Db, options: { allRunning: boolean; staleAfterMs?: number }): Promise<InterruptedImport[]> {
  const staleAfterMs = options.staleAfterMs ?? IMPORT_STALE_AFTER_MS;
  const inline = and(eq(imports.status, 'running'), isNull(imports.jobId));
  const condition = options.allRunning
    ? inline
    : and(inline, lt(sql`coalesce(${imports.heartbeatAt}, ${imports.startedAt})`, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`));
  return db
    .update(imports)
    .set({ status: 'failed', error: INTERRUPTED_IMPORT_MESSAGE, finishedAt: new Date() })
    .where(condition)
    .returning({ id: imports.id, owner: imports.owner });
}
