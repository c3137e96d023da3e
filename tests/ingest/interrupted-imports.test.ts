import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db, type DbHandle } from '../../db/client';
import { imports, jobs } from '../../db/schema';
import { failInterruptedImports, INTERRUPTED_IMPORT_MESSAGE, PROCESS_INSTANCE_ID, startImportHeartbeat } from '../../lib/ingest/import-owner';
import { importReport } from '../../lib/ingest/import-report';
import { logger } from '../../lib/log';
import { testDbKind } from '../helpers/test-db';

// Two server processes on one Postgres database are simulated with two database handles, each
// with its own connections. PGlite allows one process per folder, so there both "processes" share
// the in-memory handle, and only the single-process rule (fail every running import) applies.

const REPORT = path.join(__dirname, '../fixtures/ingest/trivy-image.json');

let first: DbHandle;
let second: DbHandle;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    first = await openDb({ dataDir: 'memory' });
    second = first;
    return;
  }
  const name = `riskboard_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  first = await openDb({ databaseUrl: url.toString(), maxConnections: 4 });
  second = await openDb({ databaseUrl: url.toString(), maxConnections: 2 });
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  };
});

afterAll(async () => {
  await first?.close();
  if (second !== first) await second?.close();
  await dropDatabase?.();
});

/** Streams a report whose second half arrives only when `release` is called, so the import stays running. */
function heldReport(bytes: Buffer): { stream: AsyncIterable<Uint8Array>; release: () => void; firstHalfRead: Promise<void> } {
  let release!: () => void;
  let firstHalfRead!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const read = new Promise<void>((resolve) => (firstHalfRead = resolve));
  const half = Math.floor(bytes.length / 2);
  async function* stream(): AsyncGenerator<Uint8Array> {
    yield bytes.subarray(0, half);
    firstHalfRead();
    await released;
    yield bytes.subarray(half);
  }
  return { stream: stream(), release, firstHalfRead: read };
}

async function insertRunning(db: Db, values: { fileName: string; owner?: string; heartbeatAgoSeconds?: number; startedAgoSeconds?: number; jobId?: number }): Promise<number> {
  const [row] = await db
    .insert(imports)
    .values({
      fileName: values.fileName,
      status: 'running',
      owner: values.owner ?? null,
      heartbeatAt: values.heartbeatAgoSeconds === undefined ? null : sql`now() - make_interval(secs => ${values.heartbeatAgoSeconds})`,
      startedAt: sql`now() - make_interval(secs => ${values.startedAgoSeconds ?? 0})`,
      jobId: values.jobId ?? null,
    })
    .returning({ id: imports.id });
  return row!.id;
}

async function statusOf(db: Db, id: number): Promise<{ status: string; error: string | null }> {
  const [row] = await db.select({ status: imports.status, error: imports.error }).from(imports).where(eq(imports.id, id));
  return row!;
}

describe(`interrupted imports (${testDbKind})`, () => {
  it('start check leaves a live import running', async () => {
    const held = heldReport(await readFile(REPORT));
    const running = importReport(first.db, { fileName: 'held.json', bytes: held.stream });
    await held.firstHalfRead;

    const [row] = await second.db.select({ id: imports.id, status: imports.status, owner: imports.owner }).from(imports).where(eq(imports.fileName, 'held.json'));
    expect(row?.status).toBe('running');
    expect(row?.owner).toBe(PROCESS_INSTANCE_ID);

    const failed = await failInterruptedImports(second.db, { allRunning: false });
    expect(failed.map((entry) => entry.id)).not.toContain(row!.id);
    expect((await statusOf(second.db, row!.id)).status).toBe('running');

    held.release();
    const summary = await running;
    expect(summary.status).toBe('succeeded');
    expect((await statusOf(second.db, row!.id)).status).toBe('succeeded');
  });

  it('start check fails imports of stopped processes', async () => {
    const stale = await insertRunning(first.db, { fileName: 'stale.json', owner: 'gone-host:4242:deadbeef', heartbeatAgoSeconds: 600, startedAgoSeconds: 900 });
    const legacy = await insertRunning(first.db, { fileName: 'legacy.json', startedAgoSeconds: 600 });
    const fresh = await insertRunning(first.db, { fileName: 'fresh.json', owner: 'other-host:7:cafe', heartbeatAgoSeconds: 5, startedAgoSeconds: 3600 });
    const justStarted = await insertRunning(first.db, { fileName: 'just-started.json', startedAgoSeconds: 1 });

    const failed = await failInterruptedImports(second.db, { allRunning: false });

    expect(failed).toEqual(expect.arrayContaining([{ id: stale, owner: 'gone-host:4242:deadbeef' }, { id: legacy, owner: null }]));
    expect(failed.map((entry) => entry.id)).not.toContain(fresh);
    expect(failed.map((entry) => entry.id)).not.toContain(justStarted);
    expect(await statusOf(first.db, stale)).toEqual({ status: 'failed', error: INTERRUPTED_IMPORT_MESSAGE });
    expect((await statusOf(first.db, fresh)).status).toBe('running');
    expect((await statusOf(first.db, justStarted)).status).toBe('running');
  });

  it('sole process fails every inline import', async () => {
    const fresh = await insertRunning(first.db, { fileName: 'fresh-sole.json', owner: PROCESS_INSTANCE_ID, heartbeatAgoSeconds: 0 });
    const [job] = await first.db.insert(jobs).values({ kind: 'import', status: 'running', payload: {} }).returning({ id: jobs.id });
    const ofJob = await insertRunning(first.db, { fileName: 'job.json', heartbeatAgoSeconds: 600, startedAgoSeconds: 600, jobId: job!.id });

    const failed = await failInterruptedImports(first.db, { allRunning: true });

    expect(failed.map((entry) => entry.id)).toContain(fresh);
    expect((await statusOf(first.db, fresh)).status).toBe('failed');
    // Imports of background jobs are the job runner's to fail.
    expect((await statusOf(first.db, ofJob)).status).toBe('running');
  });

  it('heartbeat keeps a running import fresh', async () => {
    const id = await insertRunning(first.db, { fileName: 'beating.json', owner: PROCESS_INSTANCE_ID, heartbeatAgoSeconds: 600, startedAgoSeconds: 600 });
    const stop = startImportHeartbeat(first.db, id, logger, 20);
    try {
      const ageSeconds = async () => {
        const [row] = await second.db.select({ age: sql<number>`extract(epoch from now() - ${imports.heartbeatAt})::float8` }).from(imports).where(eq(imports.id, id));
        return row!.age;
      };
      await expect.poll(ageSeconds, { timeout: 5_000 }).toBeLessThan(5);
      const failed = await failInterruptedImports(second.db, { allRunning: false, staleAfterMs: 60_000 });
      expect(failed.map((entry) => entry.id)).not.toContain(id);
    } finally {
      await stop();
    }
    expect((await statusOf(first.db, id)).status).toBe('running');
  });

  it('owner records its result after a wrong verdict', async () => {
    // An owner stalled past the stale limit is failed by a starting process. The import still
    // commits, and its owner's final update then records the true outcome without the error.
    const held = heldReport(await readFile(REPORT));
    const running = importReport(first.db, { fileName: 'stalled.json', bytes: held.stream });
    await held.firstHalfRead;
    // The stale check compares the heartbeat with the database clock, so let that clock move past it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const failed = await failInterruptedImports(second.db, { allRunning: false, staleAfterMs: 0 });
    const [stalled] = await second.db.select({ id: imports.id }).from(imports).where(eq(imports.fileName, 'stalled.json'));
    expect(failed.map((entry) => entry.id)).toContain(stalled!.id);
    expect((await statusOf(second.db, stalled!.id)).status).toBe('failed');

    held.release();
    expect((await running).status).toBe('succeeded');
    expect(await statusOf(second.db, stalled!.id)).toEqual({ status: 'succeeded', error: null });
  });
});
