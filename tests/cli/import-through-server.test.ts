import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importThroughServer } from '../../lib/cli/commands/import';

// A server on 127.0.0.1 sends the responses of the imports route (app/api/v1/imports/route.ts), so
// the CLI's handling of each HTTP status is tested without building the web app.
const TOO_LARGE = {
  importId: 7,
  fileName: 'big.json',
  status: 'failed',
  counts: { assetsCreated: 0, assetsUpdated: 0, assetsUnchanged: 0, findingsNew: 0, findingsUpdated: 0, findingsUnchanged: 0, findingsFixed: 0, detections: 0 },
  error: { code: 'too_large', message: 'big.json: the upload is 5243223 bytes, above the limit' },
  durationMs: 1,
  sha256: '',
};

describe('importThroughServer', () => {
  let server: Server;
  let baseUrl: string;
  let folder: string;
  const responses: { status: number; body: string }[] = [];
  const requestBodies: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'riskboard-cli-server-'));
    await writeFile(path.join(folder, 'big.json'), '{}');
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requestBodies.push(Buffer.concat(chunks).toString('utf8'));
        const next = responses.shift() ?? { status: 404, body: '' };
        response.writeHead(next.status, { 'content-type': 'application/json' });
        response.end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps the summary of a 413', async () => {
    responses.push({ status: 413, body: JSON.stringify(TOO_LARGE) });
    const summary = await importThroughServer(baseUrl, 'token', path.join(folder, 'big.json'), {}, new PassThrough());
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('too_large');
    expect(summary.importId).toBe(7);
  });

  it('builds a summary for a 500', async () => {
    responses.push({ status: 500, body: JSON.stringify({ error: { message: 'database unavailable' } }) });
    const summary = await importThroughServer(baseUrl, 'token', path.join(folder, 'big.json'), {}, new PassThrough());
    expect(summary.status).toBe('failed');
    expect(summary.fileName).toBe('big.json');
    expect(summary.error?.code).toBe('internal');
    expect(summary.error?.message).toContain('HTTP 500: database unavailable');
  });

  it('sends the asset name before the file', async () => {
    responses.push({ status: 201, body: JSON.stringify({ ...TOO_LARGE, status: 'succeeded', error: undefined }) });
    requestBodies.length = 0;
    await importThroughServer(baseUrl, 'token', path.join(folder, 'big.json'), { format: 'kube-bench', assetName: 'cluster-a' }, new PassThrough());

    const body = requestBodies[0] ?? '';
    expect(body).toMatch(/name="assetName"\r\n\r\ncluster-a\r\n/);
    expect(body.indexOf('name="assetName"')).toBeLessThan(body.indexOf('name="file"'));
    expect(body.indexOf('name="format"')).toBeLessThan(body.indexOf('name="file"'));
  });

  it('builds a summary for non-JSON', async () => {
    responses.push({ status: 502, body: 'Bad Gateway' });
    const summary = await importThroughServer(baseUrl, 'token', path.join(folder, 'big.json'), {}, new PassThrough());
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toContain('HTTP 502');
  });
});
