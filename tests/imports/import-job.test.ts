import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { imports, jobs } from '../../db/schema';
import { importJob, jobFilesDir } from '../../lib/imports/import-job';
import { importItemSchema } from '../../lib/imports/import-schema';
import { getImport } from '../../lib/imports/list-imports';
import { importUpload } from '../../lib/imports/upload';
import { INTERRUPTED_MESSAGE } from '../../lib/jobs/job-store';
import { JobWorker } from '../../lib/jobs/job-worker';
import { logger } from '../../lib/log';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Uploads above the inline limit become background import jobs: queued, then run by the worker,
// with progress, counts and errors on the import.

function nessus(hosts: number, scannedAt = new Date('2026-06-01T10:00:00Z')): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', '<Report name="job">'];
  for (let index = 1; index <= hosts; index++) {
    lines.push(`<ReportHost name="10.99.0.${index}"><HostProperties><tag name="host-ip">10.99.0.${index}</tag>`);
    lines.push(`<tag name="HOST_END_TIMESTAMP">${seconds}</tag></HostProperties>`);
    lines.push(`<ReportItem port="80" svc_name="www" protocol="tcp" severity="2" pluginID="5000${index}" pluginName="Job plugin ${index}" pluginFamily="General"><description>d</description></ReportItem>`);
    lines.push('</ReportHost>');
  }
  lines.push('</Report>', '</NessusClientData_v2>');
  return lines.join('\n');
}

function uploadRequest(fileName: string, text: string): Request {
  const form = new FormData();
  form.append('file', new Blob([text]), fileName);
  return new Request('http://localhost/api/v1/imports', { method: 'POST', body: form });
}

describe(`background imports (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;
  let dataDir: string;
  const saved = { dir: process.env.RISKBOARD_DATA_DIR, inline: process.env.RISKBOARD_INLINE_IMPORT_BYTES };
  const worker = () => new JobWorker(db, { kinds: [importJob], persistProgress: testDbKind === 'postgres', soleProcess: testDbKind === 'pglite' });

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'riskboard-jobs-'));
    process.env.RISKBOARD_DATA_DIR = dataDir;
    process.env.RISKBOARD_INLINE_IMPORT_BYTES = '1000';
  });
  afterAll(async () => {
    process.env.RISKBOARD_DATA_DIR = saved.dir;
    process.env.RISKBOARD_INLINE_IMPORT_BYTES = saved.inline;
    await rm(dataDir, { recursive: true, force: true });
    await handle.close();
  });

  it('imports a small upload at once', async () => {
    const result = await importUpload(db, uploadRequest('small.nessus', nessus(1)), { log: logger });
    expect(result.status).toBe('succeeded');
    expect(await readdir(jobFilesDir())).toEqual([]);
  });

  it('queues a large upload, then runs it with progress and counts', async () => {
    const text = nessus(40);
    const result = await importUpload(db, uploadRequest('large.nessus', text), { log: logger });
    expect(result).toMatchObject({ status: 'queued', fileName: 'large.nessus', sizeBytes: Buffer.byteLength(text) });
    if (result.status !== 'queued') throw new Error('not queued');

    const queued = await getImport(db, result.importId);
    expect(importItemSchema.parse(queued)).toMatchObject({ status: 'queued', progress: { jobId: result.jobId, bytesDone: 0, bytesTotal: Buffer.byteLength(text), percent: 0 } });
    const [file] = await readdir(jobFilesDir());
    expect(file).toMatch(/^upload-/);

    expect(await worker().runOnce()).toBe(true);
    const done = importItemSchema.parse(await getImport(db, result.importId));
    expect(done).toMatchObject({ status: 'succeeded', format: 'nessus', source: 'Nessus', counts: { assetsCreated: 39, assetsUnchanged: 1, findingsNew: 39, findingsUnchanged: 1 } });
    expect(done.progress).toMatchObject({ bytesDone: Buffer.byteLength(text), records: 40, percent: 100 });
    expect(await readdir(jobFilesDir())).toEqual([]);
  });

  it('fails the job and the import with the position when the report is rejected, writing nothing', async () => {
    const [before] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from findings`);
    const truncated = nessus(40).slice(0, 2500);
    const result = await importUpload(db, uploadRequest('truncated.nessus', truncated), { log: logger });
    if (result.status !== 'queued') throw new Error('not queued');
    await worker().runOnce();

    const failed = importItemSchema.parse(await getImport(db, result.importId));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^truncated\.nessus: .*line \d+/);
    expect(failed.errorPosition?.line).toBeGreaterThan(1);
    const [job] = await db.select().from(jobs).where(eq(jobs.id, result.jobId));
    expect(job).toMatchObject({ status: 'failed', error: failed.error });
    const [after] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from findings`);
    expect(after).toEqual(before);
    expect(await readdir(jobFilesDir())).toEqual([]);
  });

  it('fails an import whose job a stopped process left running, with a clear message', async () => {
    const result = await importUpload(db, uploadRequest('crashed.nessus', nessus(40)), { log: logger });
    if (result.status !== 'queued') throw new Error('not queued');
    await db.update(jobs).set({ status: 'running', workerId: 'gone:1', updatedAt: sql`now() - interval '1 hour'` }).where(eq(jobs.id, result.jobId));
    await db.update(imports).set({ status: 'running' }).where(eq(imports.id, result.importId));

    const restarted = worker();
    await restarted.start();
    await restarted.stop();
    expect(await getImport(db, result.importId)).toMatchObject({ status: 'failed', error: INTERRUPTED_MESSAGE });
    expect(existsSync(path.join(jobFilesDir(), 'crashed.nessus'))).toBe(false);
    expect(await readdir(jobFilesDir())).toEqual([]);
  });
});
