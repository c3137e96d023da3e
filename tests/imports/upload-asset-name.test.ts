import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, jobs } from '../../db/schema';
import { AppError } from '../../lib/http/app-error';
import { buildOpenApiDocument } from '../../lib/http/openapi';
import { importJob } from '../../lib/imports/import-job';
import { importItemSchema } from '../../lib/imports/import-schema';
import { getImport } from '../../lib/imports/list-imports';
import { importUpload } from '../../lib/imports/upload';
import { JobWorker } from '../../lib/jobs/job-worker';
import { logger } from '../../lib/log';
import { createTestDb, testDbKind } from '../helpers/test-db';

// The `assetName` field of `POST /api/v1/imports` (importUpload): validated before the import,
// before or after the file, stored on the import, and carried into the background job of a large
// upload.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'ingest');
const KUBE_BENCH = readFileSync(path.join(FIXTURES, 'asset-name', 'kube-bench.json'), 'utf8');
const NESSUS = readFileSync(path.join(FIXTURES, 'nessus-two-hosts.nessus'), 'utf8');

/** Builds a multipart upload with the fields in the given order before the file. */
function uploadRequest(fileName: string, text: string, fields: Record<string, string>): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([text]), fileName);
  return new Request('http://localhost/api/v1/imports', { method: 'POST', body: form });
}

/** Builds a multipart upload with the file first and the fields after it. */
function uploadRequestFieldsLast(fileName: string, text: string, fields: Record<string, string>): Request {
  const form = new FormData();
  form.append('file', new Blob([text]), fileName);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return new Request('http://localhost/api/v1/imports', { method: 'POST', body: form });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe(`upload asset name (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;
  let dataDir: string;
  const saved = { dir: process.env.RISKBOARD_DATA_DIR, inline: process.env.RISKBOARD_INLINE_IMPORT_BYTES };

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'riskboard-asset-name-'));
    process.env.RISKBOARD_DATA_DIR = dataDir;
  });
  beforeEach(() => {
    process.env.RISKBOARD_INLINE_IMPORT_BYTES = String(10 * 1024 * 1024);
  });
  afterAll(async () => {
    process.env.RISKBOARD_DATA_DIR = saved.dir;
    process.env.RISKBOARD_INLINE_IMPORT_BYTES = saved.inline;
    await rm(dataDir, { recursive: true, force: true });
    await handle.close();
  });

  const assetsNamed = (name: string) => db.select().from(assets).where(eq(assets.name, name));
  const spooledUploads = async () => (await readdir(path.join(dataDir, 'job-files')).catch(() => [])).filter((name) => name.startsWith('upload-')).sort();

  it('names the asset and stores the name', async () => {
    const result = await importUpload(db, uploadRequest('kube-bench.json', KUBE_BENCH, { assetName: ' cluster-a ' }), { log: logger });
    if (result.status === 'queued') throw new Error('queued');

    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(await assetsNamed('cluster-a')).toMatchObject([{ kind: 'host', hostname: 'cluster-a' }]);
    const item = importItemSchema.parse(await getImport(db, result.importId));
    expect(item.assetName).toBe('cluster-a');
  });

  it('takes the name together with a format', async () => {
    const result = await importUpload(db, uploadRequest('kube-bench.json', KUBE_BENCH, { format: 'kube-bench', assetName: 'cluster-b' }), { log: logger });
    expect(result.status).toBe('succeeded');
    expect(await assetsNamed('cluster-b')).toHaveLength(1);
  });

  it('honours a name sent after the file', async () => {
    const first = await importUpload(db, uploadRequestFieldsLast('kube-bench.json', KUBE_BENCH, { assetName: 'cluster-late-a' }), { log: logger });
    const second = await importUpload(db, uploadRequestFieldsLast('kube-bench.json', KUBE_BENCH, { format: 'kube-bench', assetName: 'cluster-late-b' }), { log: logger });

    expect(first.status).toBe('succeeded');
    expect(second.status).toBe('succeeded');
    expect(await assetsNamed('cluster-late-a')).toHaveLength(1);
    expect(await assetsNamed('cluster-late-b')).toHaveLength(1);
  });

  it('rejects an invalid name sent after the file', async () => {
    const error = await rejection(importUpload(db, uploadRequestFieldsLast('kube-bench.json', KUBE_BENCH, { assetName: 'a\u200bb' }), { log: logger }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('assetName');
    expect(await assetsNamed('a\u200bb')).toEqual([]);
  });

  it('rejects a request cut off mid-file', async () => {
    const boundary = 'cut-off-boundary';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="kube-bench.json"\r\n` +
      `Content-Type: application/json\r\n\r\n${KUBE_BENCH.slice(0, 200)}`;
    const request = new Request('http://localhost/api/v1/imports', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    const spooledBefore = await spooledUploads();

    const error = await rejection(importUpload(db, request, { log: logger }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('the upload ended before the file was complete');
    // The partial file is removed in the background, so wait for it briefly.
    // Only this request's file matters: an earlier test's background job may remove its own file meanwhile.
    const newUploads = async () => (await spooledUploads()).filter((name) => !spooledBefore.includes(name));
    await expect.poll(newUploads).toEqual([]);
  });

  it('returns a failed summary for a Nessus report', async () => {
    const result = await importUpload(db, uploadRequest('scan.nessus', NESSUS, { assetName: 'cluster-a' }), { log: logger });
    if (result.status === 'queued') throw new Error('queued');

    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('invalid_option');
    expect(result.error?.message).toContain('Reports of format "Nessus (.nessus v2 XML)" name their own assets');
  });

  it.each([
    ['an empty name', '', 'the asset name is empty'],
    ['only spaces', '   ', 'the asset name is empty'],
    ['a line break', 'cluster\r\na', 'control character'],
    ['a NUL', 'cluster\u0000a', 'control character'],
    ['a zero-width space', 'cluster\u200ba', 'invisible or text-direction character'],
    ['a right-to-left override', 'cluster\u202ea', 'invisible or text-direction character'],
    ['256 characters', 'x'.repeat(256), 'longer than 255 characters'],
    ['a value above the field size limit', 'x'.repeat(5000), 'longer than 255 characters'],
  ])('rejects %s before importing', async (_case, assetName, message) => {
    const error = await rejection(importUpload(db, uploadRequest('kube-bench.json', KUBE_BENCH, { assetName }), { log: logger }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
    expect(error.message).toContain('assetName');
  });

  it('keeps the name in the job of a large upload', async () => {
    process.env.RISKBOARD_INLINE_IMPORT_BYTES = '100';
    const result = await importUpload(db, uploadRequest('kube-bench.json', KUBE_BENCH, { assetName: 'cluster-queued' }), { log: logger });
    if (result.status !== 'queued') throw new Error(`expected a queued import, got ${result.status}`);

    const [job] = await db.select().from(jobs).where(eq(jobs.id, result.jobId));
    expect(job?.payload).toMatchObject({ importId: result.importId, fileName: 'kube-bench.json', assetName: 'cluster-queued' });
    expect((await getImport(db, result.importId))?.assetName).toBe('cluster-queued');

    const worker = new JobWorker(db, { kinds: [importJob], persistProgress: testDbKind === 'postgres', soleProcess: testDbKind === 'pglite' });
    expect(await worker.runOnce()).toBe(true);

    const done = importItemSchema.parse(await getImport(db, result.importId));
    expect(done).toMatchObject({ status: 'succeeded', assetName: 'cluster-queued', counts: { assetsCreated: 1 } });
    expect(await assetsNamed('cluster-queued')).toMatchObject([{ kind: 'host' }]);
    expect(await assetsNamed('kube-bench')).toEqual([]);
  });

  it('fails the job of a large Nessus upload with the message', async () => {
    process.env.RISKBOARD_INLINE_IMPORT_BYTES = '100';
    const result = await importUpload(db, uploadRequest('scan.nessus', NESSUS, { assetName: 'cluster-a' }), { log: logger });
    if (result.status !== 'queued') throw new Error(`expected a queued import, got ${result.status}`);

    const worker = new JobWorker(db, { kinds: [importJob], persistProgress: testDbKind === 'postgres', soleProcess: testDbKind === 'pglite' });
    await worker.runOnce();

    const failed = importItemSchema.parse(await getImport(db, result.importId));
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('scan.nessus: Reports of format "Nessus (.nessus v2 XML)" name their own assets');
    const [job] = await db.select().from(jobs).where(eq(jobs.id, result.jobId));
    expect(job).toMatchObject({ status: 'failed', error: failed.error });
  });
});

describe('OpenAPI import body', () => {
  it('documents the assetName field', () => {
    const document = buildOpenApiDocument('http://127.0.0.1') as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    const properties = document.paths['/api/v1/imports']?.post?.requestBody?.content['multipart/form-data']?.schema.properties;
    expect(properties?.assetName).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
  });
});
