import os from 'node:os';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { jobs, type Job, type JobErrorPosition } from '../../db/schema';
import type { JobKind, JobProgress } from './job-kind';
import { liveProgress } from './live-progress';

/** `host:pid` of this process, written on the jobs it claims. */
export function workerId(): string {
  return `${os.hostname()}:${process.pid}`;
}

export interface EnqueueOptions {
  /** Total bytes the job will read, for the progress bar before it starts. */
  bytesTotal?: number;
}

/**
 * Queues a job. Pass a transaction as `db` to queue it together with the rows that refer to it;
 * the worker can claim it once that transaction commits.
 */
export async function enqueueJob<Payload extends Record<string, unknown>>(
  db: Pick<Db, 'insert'>,
  kind: JobKind<Payload>,
  payload: Payload,
  options: EnqueueOptions = {},
): Promise<number> {
  const parsed = kind.payload.parse(payload);
  const stored: Record<string, unknown> = kind.localFiles ? { ...parsed, runOn: os.hostname() } : { ...parsed };
  const [row] = await db.insert(jobs).values({ kind: kind.kind, payload: stored, bytesTotal: options.bytesTotal ?? null }).returning({ id: jobs.id });
  if (!row) throw new Error('inserting the job returned nothing');
  return row.id;
}

/** Returns a job with the newest progress recorded in this process, or undefined. */
export async function getJob(db: Db, id: number): Promise<Job | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row ? withLiveProgress(row) : undefined;
}

/** Overlays the in-memory progress of a job this process is running, which is newer than the row. */
export function withLiveProgress<Row extends Pick<Job, 'id' | 'status' | 'bytesDone' | 'bytesTotal' | 'records'>>(row: Row): Row {
  const live = row.status === 'running' ? liveProgress.get(row.id) : undefined;
  if (!live) return row;
  return { ...row, bytesDone: live.bytesDone ?? row.bytesDone, bytesTotal: live.bytesTotal ?? row.bytesTotal, records: live.records ?? row.records };
}

/**
 * Claims the oldest queued job of the given kinds for this process. `FOR UPDATE SKIP LOCKED` lets
 * several processes poll the same table without blocking each other or claiming one job twice.
 * Jobs that read local files are claimed only on the host that queued them.
 */
export async function claimNextJob(db: Db, kinds: readonly string[], worker = workerId()): Promise<Job | undefined> {
  if (kinds.length === 0) return undefined;
  const host = worker.slice(0, worker.lastIndexOf(':'));
  const [claimed] = await queryRows<{ id: number }>(
    db,
    sql`
      update jobs set status = 'running', started_at = now(), updated_at = now(), worker_id = ${worker}, attempts = attempts + 1
      where id = (
        select id from jobs
        where status = 'queued'
          and kind in (select jsonb_array_elements_text(${JSON.stringify(kinds)}::jsonb))
          and (payload->>'runOn' is null or payload->>'runOn' = ${host})
        order by id
        limit 1
        for update skip locked
      )
      returning id
    `,
  );
  if (!claimed) return undefined;
  const [row] = await db.select().from(jobs).where(eq(jobs.id, claimed.id));
  return row;
}

/** Writes progress and refreshes the heartbeat (`updated_at`) of a running job. */
export async function saveProgress(db: Db, id: number, progress: JobProgress): Promise<void> {
  await db
    .update(jobs)
    .set({
      ...(progress.bytesDone === undefined ? {} : { bytesDone: progress.bytesDone }),
      ...(progress.bytesTotal === undefined ? {} : { bytesTotal: progress.bytesTotal }),
      ...(progress.records === undefined ? {} : { records: progress.records }),
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'running')));
}

export async function completeJob(db: Db, id: number, result: Record<string, unknown>, progress: JobProgress): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: 'succeeded',
      result,
      ...(progress.bytesDone === undefined ? {} : { bytesDone: progress.bytesDone }),
      ...(progress.bytesTotal === undefined ? {} : { bytesTotal: progress.bytesTotal }),
      ...(progress.records === undefined ? {} : { records: progress.records }),
      finishedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(jobs.id, id));
}

export async function failJob(db: Db, id: number, error: { message: string; position?: JobErrorPosition }, progress: JobProgress = {}): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: 'failed',
      error: error.message,
      errorPosition: error.position ?? null,
      ...(progress.bytesDone === undefined ? {} : { bytesDone: progress.bytesDone }),
      ...(progress.records === undefined ? {} : { records: progress.records }),
      finishedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(jobs.id, id));
}

export const INTERRUPTED_MESSAGE = 'the job was interrupted because the server process stopped while running it; nothing of it was written, so start it again';

/**
 * Marks as failed the running jobs whose process is gone: on the embedded database every running
 * job (one process owns it, and this is that process starting), on Postgres those whose heartbeat
 * is older than `staleAfterMs`, as other live servers may be running theirs. Returns the jobs.
 */
export async function failInterruptedJobs(db: Db, options: { allRunning: boolean; staleAfterMs: number }): Promise<Job[]> {
  const condition = options.allRunning
    ? eq(jobs.status, 'running')
    : and(eq(jobs.status, 'running'), lt(jobs.updatedAt, new Date(Date.now() - options.staleAfterMs)));
  return db.update(jobs).set({ status: 'failed', error: INTERRUPTED_MESSAGE, finishedAt: new Date(), updatedAt: new Date() }).where(condition).returning();
}

/** Jobs of the given ids, oldest first; for lists that show several. */
export async function getJobs(db: Db, ids: number[]): Promise<Job[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(jobs).where(inArray(jobs.id, ids)).orderBy(jobs.id);
  return rows.map(withLiveProgress);
}
