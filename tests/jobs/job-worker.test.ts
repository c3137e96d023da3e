import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db, DbHandle } from '../../db/client';
import { jobs } from '../../db/schema';
import { JobError, defineJobKind } from '../../lib/jobs/job-kind';
import { INTERRUPTED_MESSAGE, enqueueJob, getJob } from '../../lib/jobs/job-store';
import { JobWorker } from '../../lib/jobs/job-worker';
import { createTestDb, testDbKind } from '../helpers/test-db';

const runs: number[] = [];
const failures: { jobId: number; message: string }[] = [];

const countKind = defineJobKind({
  kind: 'test-count',
  payload: z.object({ n: z.number().int(), fail: z.boolean().optional(), crash: z.boolean().optional() }),
  async run({ jobId, progress }, payload) {
    runs.push(jobId);
    for (let index = 1; index <= payload.n; index++) progress({ bytesDone: index * 10, bytesTotal: payload.n * 10, records: index });
    // Slow enough that two workers polling together overlap.
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (payload.fail) throw new JobError('record 3 is broken', { line: 3, field: 'n' });
    if (payload.crash) throw new TypeError('secret internal detail');
    return { total: payload.n };
  },
  async onFailed(_db, jobId, _payload, error) {
    failures.push({ jobId, message: error.message });
  },
});

describe(`job runner (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.close();
  });

  const worker = () => new JobWorker(db, { kinds: [countKind], persistProgress: testDbKind === 'postgres', soleProcess: testDbKind === 'pglite', pollIntervalMs: 50 });

  it('runs a queued job and records its result and final progress', async () => {
    const id = await enqueueJob(db, countKind, { n: 5 }, { bytesTotal: 50 });
    expect((await getJob(db, id))?.status).toBe('queued');
    expect(await worker().runOnce()).toBe(true);
    const job = await getJob(db, id);
    expect(job).toMatchObject({ status: 'succeeded', result: { total: 5 }, bytesDone: 50, bytesTotal: 50, records: 5, error: null, attempts: 1 });
    expect(job?.finishedAt).not.toBeNull();
  });

  it('answers false when nothing is queued', async () => {
    expect(await worker().runOnce()).toBe(false);
  });

  it('rejects a payload its schema does not accept when queuing', async () => {
    await expect(enqueueJob(db, countKind, { n: 1.5 })).rejects.toThrow();
  });

  it('records a handler error with its position and calls onFailed', async () => {
    const id = await enqueueJob(db, countKind, { n: 3, fail: true });
    await worker().runOnce();
    expect(await getJob(db, id)).toMatchObject({ status: 'failed', error: 'record 3 is broken', errorPosition: { line: 3, field: 'n' }, records: 3 });
    expect(failures).toContainEqual({ jobId: id, message: 'record 3 is broken' });
  });

  it('shows an internal error without its details', async () => {
    const id = await enqueueJob(db, countKind, { n: 1, crash: true });
    await worker().runOnce();
    const job = await getJob(db, id);
    expect(job?.status).toBe('failed');
    expect(job?.error).toContain(`internal error (job ${id})`);
    expect(job?.error).not.toContain('secret');
  });

  it('fails a job left running by a dead process when the worker starts', async () => {
    const id = await enqueueJob(db, countKind, { n: 1 });
    await db.update(jobs).set({ status: 'running', workerId: 'gone:1', updatedAt: sql`now() - interval '1 hour'` }).where(eq(jobs.id, id));
    const fresh = worker();
    await fresh.start();
    await fresh.stop();
    expect(await getJob(db, id)).toMatchObject({ status: 'failed', error: INTERRUPTED_MESSAGE });
    expect(failures).toContainEqual({ jobId: id, message: INTERRUPTED_MESSAGE });
  });

  it('leaves a job another live process is running alone on Postgres', async () => {
    if (testDbKind !== 'postgres') return;
    const id = await enqueueJob(db, countKind, { n: 1 });
    await db.update(jobs).set({ status: 'running', workerId: 'other:2', updatedAt: new Date() }).where(eq(jobs.id, id));
    const fresh = worker();
    await fresh.start();
    await fresh.stop();
    expect((await getJob(db, id))?.status).toBe('running');
    await db.update(jobs).set({ status: 'failed' }).where(eq(jobs.id, id));
  });

  it('wakes up for a job queued while it waits, and stops cleanly', async () => {
    const running = worker();
    await running.start();
    const id = await enqueueJob(db, countKind, { n: 2 });
    running.wake();
    for (let tries = 0; tries < 100 && (await getJob(db, id))?.status !== 'succeeded'; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    await running.stop();
    expect((await getJob(db, id))?.status).toBe('succeeded');
  });

  it('runs each job exactly once when several workers poll together', async () => {
    runs.length = 0;
    const ids: number[] = [];
    for (let index = 0; index < 8; index++) ids.push(await enqueueJob(db, countKind, { n: 1 }));
    const workers = [worker(), worker(), worker()];
    const drain = async (each: JobWorker) => {
      while (await each.runOnce()) {
        // keep claiming
      }
    };
    await Promise.all(workers.map(drain));
    expect([...runs].sort((a, b) => a - b)).toEqual(ids);
    for (const id of ids) expect((await getJob(db, id))?.status).toBe('succeeded');
  });
});
