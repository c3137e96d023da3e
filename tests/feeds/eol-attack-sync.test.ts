import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { readFeedState } from '../../lib/feeds/state';
import { syncWholeFile } from '../../lib/feeds/sync';
import { readFeedSyncConfig, type FeedSyncConfig } from '../../lib/feeds/sync-config';
import { createTestDb } from '../helpers/test-db';

const FIXTURES = path.resolve(__dirname, '../fixtures/feeds');

let handle: DbHandle;
let server: Server;
let config: FeedSyncConfig;
let seen: { path: string; headers: IncomingHttpHeaders }[] = [];
let eolBody: string;
let attackBody: string;

beforeAll(async () => {
  handle = await createTestDb();
  eolBody = await readFile(path.join(FIXTURES, 'eol', 'api-products-full.json'), 'utf8');
  attackBody = await readFile(path.join(FIXTURES, 'attack', 'enterprise-bundle.json'), 'utf8');

  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({ path: url.pathname, headers: request.headers });
    if (url.pathname === '/api/v1/products/full') {
      if (request.headers['if-none-match'] === '"eol-1"') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', etag: '"eol-1"' }).end(eolBody);
      return;
    }
    if (url.pathname === '/enterprise-attack.json') {
      if (request.headers['if-modified-since'] === 'Tue, 12 May 2026 17:35:50 GMT') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain', 'last-modified': 'Tue, 12 May 2026 17:35:50 GMT' }).end(attackBody);
      return;
    }
    if (url.pathname === '/wrong.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"hello": "world"}');
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = readFeedSyncConfig({
    RISKBOARD_FEED_EOL_URL: `${base}/api/v1/products/full`,
    RISKBOARD_FEED_ATTACK_URL: `${base}/enterprise-attack.json`,
    RISKBOARD_FEED_RETRIES: '0',
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await handle.close();
});

beforeEach(() => {
  seen = [];
});

describe('endoflife.date and ATT&CK sync', () => {
  it('defaults to the official addresses', () => {
    const defaults = readFeedSyncConfig({});
    expect(defaults.urls.eol).toBe('https://endoflife.date/api/v1/products/full');
    expect(defaults.urls.attack).toBe('https://raw.githubusercontent.com/mitre/cti/master/enterprise-attack/enterprise-attack.json');
  });

  it('downloads the products, then sends If-None-Match', async () => {
    const first = await syncWholeFile(handle.db, 'eol', config);
    expect(first.status).toBe('succeeded');
    const cycles = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from technology_lifecycles where product = 'fixtureos'`);
    expect(cycles[0]?.count).toBe(2);
    expect((await readFeedState(handle.db, 'eol'))?.etag).toBe('"eol-1"');

    const second = await syncWholeFile(handle.db, 'eol', config);
    expect(second.status).toBe('not_modified');
    expect(seen[1]?.headers['if-none-match']).toBe('"eol-1"');
  });

  it('downloads the ATT&CK bundle, then sends If-Modified-Since', async () => {
    const first = await syncWholeFile(handle.db, 'attack', config);
    expect(first.status).toBe('succeeded');
    const groups = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from attack_groups`);
    expect(groups[0]?.count).toBe(2);

    const second = await syncWholeFile(handle.db, 'attack', config);
    expect(second.status).toBe('not_modified');
    expect(seen[1]?.headers['if-modified-since']).toBe('Tue, 12 May 2026 17:35:50 GMT');
  });

  it('fails on a response that is not the feed', async () => {
    const summary = await syncWholeFile(handle.db, 'eol', { ...config, urls: { ...config.urls, eol: config.urls.eol.replace('/api/v1/products/full', '/wrong.json') } });
    expect(summary.status).toBe('failed');
    expect(summary.error).toContain('did not return the endoflife.date file');
  });
});
