import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { vulnerabilities } from '../../db/schema';
import { readFeedState } from '../../lib/feeds/state';
import { syncNvd, syncWholeFile } from '../../lib/feeds/sync';
import { readFeedSyncConfig, type FeedSyncConfig } from '../../lib/feeds/sync-config';
import { createTestDb } from '../helpers/test-db';

const FIXTURES = path.resolve(__dirname, '../fixtures/feeds');

interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

let handle: DbHandle;
let server: Server;
let config: FeedSyncConfig;
let seen: SeenRequest[] = [];
/** Per NVD request in order: an error status to return, or null to serve the page; then pages. */
let nvdFailures: (number | null)[] = [];
let nvdItems: unknown[];
let kevBody: string;
let epssBody: Buffer;

beforeAll(async () => {
  handle = await createTestDb();
  kevBody = await readFile(path.join(FIXTURES, 'kev-catalog.json'), 'utf8');
  epssBody = gzipSync(await readFile(path.join(FIXTURES, 'epss-scores.csv')));
  nvdItems = (JSON.parse(await readFile(path.join(FIXTURES, 'nvd-page.json'), 'utf8')) as { vulnerabilities: unknown[] }).vulnerabilities;

  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({ path: url.pathname, query: url.searchParams, headers: request.headers });

    if (url.pathname === '/kev.json') {
      if (request.headers['if-none-match'] === '"kev-1"') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', etag: '"kev-1"', 'last-modified': 'Mon, 30 Nov 2026 17:00:00 GMT' }).end(kevBody);
      return;
    }
    if (url.pathname === '/epss_scores-current.csv.gz') {
      response.writeHead(302, { location: '/epss_scores-2026-12-01.csv.gz' }).end();
      return;
    }
    if (url.pathname === '/epss_scores-2026-12-01.csv.gz') {
      if (request.headers['if-modified-since'] === 'Tue, 01 Dec 2026 13:00:00 GMT') {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/gzip', 'last-modified': 'Tue, 01 Dec 2026 13:00:00 GMT' }).end(epssBody);
      return;
    }
    if (url.pathname === '/nvd') {
      const failure = nvdFailures.shift();
      if (failure !== undefined && failure !== null) {
        response.writeHead(failure).end('unavailable');
        return;
      }
      const startIndex = Number(url.searchParams.get('startIndex'));
      const pageSize = Number(url.searchParams.get('resultsPerPage'));
      // Windowed requests (incremental syncs) find nothing new in this fixture.
      const items = url.searchParams.has('lastModStartDate') ? [] : nvdItems.slice(startIndex, startIndex + pageSize);
      const total = url.searchParams.has('lastModStartDate') ? 0 : nvdItems.length;
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ resultsPerPage: items.length, startIndex, totalResults: total, format: 'NVD_CVE', version: '2.0', vulnerabilities: items }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  config = readFeedSyncConfig({
    RISKBOARD_FEED_NVD_URL: `${base}/nvd`,
    RISKBOARD_FEED_KEV_URL: `${base}/kev.json`,
    RISKBOARD_FEED_EPSS_URL: `${base}/epss_scores-current.csv.gz`,
    RISKBOARD_FEED_NVD_PAUSE_MS: '0',
    RISKBOARD_FEED_NVD_PAGE_SIZE: '1',
    RISKBOARD_FEED_RETRIES: '0',
    NVD_API_KEY: 'test-api-key',
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await handle.close();
});

beforeEach(() => {
  seen = [];
  nvdFailures = [];
});

async function catalogRow(cveId: string) {
  const [row] = await handle.db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, cveId));
  return row;
}

describe('feed sync config', () => {
  it('defaults to the official addresses', () => {
    const defaults = readFeedSyncConfig({});
    expect(defaults.urls.nvd).toBe('https://services.nvd.nist.gov/rest/json/cves/2.0');
    expect(defaults.urls.epss).toBe('https://epss.empiricalsecurity.com/epss_scores-current.csv.gz');
    expect(defaults.nvdPauseMs).toBe(6000);
  });

  it('rejects an invalid URL, naming the variable', () => {
    expect(() => readFeedSyncConfig({ RISKBOARD_FEED_KEV_URL: 'not a url' })).toThrow(/RISKBOARD_FEED_KEV_URL/);
  });
});

describe('KEV and EPSS sync', () => {
  it('downloads KEV, then sends If-None-Match', async () => {
    const first = await syncWholeFile(handle.db, 'kev', config);
    expect(first.status).toBe('succeeded');
    expect((await catalogRow('CVE-2024-3400'))?.isKev).toBe(true);
    expect(seen[0]?.headers['if-none-match']).toBeUndefined();
    const state = await readFeedState(handle.db, 'kev');
    expect(state?.etag).toBe('"kev-1"');
    expect(state?.lastSyncAt).toBeInstanceOf(Date);

    const second = await syncWholeFile(handle.db, 'kev', config);
    expect(second.status).toBe('not_modified');
    expect(seen[1]?.headers['if-none-match']).toBe('"kev-1"');
    expect(seen[1]?.headers['if-modified-since']).toBe('Mon, 30 Nov 2026 17:00:00 GMT');
  });

  it('follows the EPSS redirect and reads the gzip file', async () => {
    const first = await syncWholeFile(handle.db, 'epss', config);
    expect(first.status).toBe('succeeded');
    expect(seen.map((request) => request.path)).toEqual(['/epss_scores-current.csv.gz', '/epss_scores-2026-12-01.csv.gz']);
    expect((await catalogRow('CVE-2021-44228'))?.epssScore).toBeCloseTo(0.94358, 5);
    expect((await readFeedState(handle.db, 'epss'))?.scoreDate).toBe('2026-12-01T12:55:00Z');

    const second = await syncWholeFile(handle.db, 'epss', config);
    expect(second.status).toBe('not_modified');
  });

  it('fails on a file of the wrong feed', async () => {
    const wrong = { ...config, urls: { ...config.urls, epss: config.urls.kev } };
    const result = await syncWholeFile(handle.db, 'epss', wrong);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/did not return the FIRST EPSS file \(recognized: kev\)/);
  });
});

describe('NVD sync', () => {
  const firstRun = new Date('2026-12-01T00:00:00.000Z');

  it('resumes from the last completed page', async () => {
    nvdFailures = [null, 500];
    const interrupted = await syncNvd(handle.db, config, firstRun);
    expect(interrupted.status).toBe('failed');
    expect(interrupted.imported).toHaveLength(1);
    expect((await catalogRow('CVE-2021-44228'))?.cvss3BaseScore).toBe(10);
    expect((await catalogRow('CVE-2023-0001'))?.cvss3BaseScore).toBeNull();
    const state = await readFeedState(handle.db, 'nvd');
    expect(state?.resume?.startIndex).toBe(1);
    expect(state?.cursor).toBeNull();
    expect(seen[0]?.headers.apikey).toBe('test-api-key');
    expect(seen[0]?.query.has('lastModStartDate')).toBe(false);

    seen = [];
    nvdFailures = [];
    const resumed = await syncNvd(handle.db, config, new Date('2026-12-01T01:00:00.000Z'));
    expect(resumed.status).toBe('succeeded');
    expect(seen[0]?.query.get('startIndex')).toBe('1');
    expect((await catalogRow('CVE-2023-0001'))?.cvss3BaseScore).toBe(4.4);
    const done = await readFeedState(handle.db, 'nvd');
    expect(done?.resume).toBeNull();
    // The cursor is where the interrupted sync began, so nothing modified meanwhile is missed.
    expect(done?.cursor?.toISOString()).toBe(firstRun.toISOString());
  });

  it('walks windows of at most 120 days', async () => {
    const later = new Date(firstRun.getTime() + 200 * 24 * 60 * 60 * 1000);
    const result = await syncNvd(handle.db, config, later);
    expect(result.status).toBe('succeeded');
    expect(seen).toHaveLength(2);

    const windows = seen.map((request) => [request.query.get('lastModStartDate'), request.query.get('lastModEndDate')]);
    expect(windows[0]?.[0]).toBe('2026-12-01T00:00:00.000+00:00');
    expect(windows[0]?.[1]).toBe(windows[1]?.[0]);
    expect(windows[1]?.[1]).toBe(later.toISOString().replace('Z', '+00:00'));
    for (const [start, end] of windows) {
      const days = (new Date(end ?? '').getTime() - new Date(start ?? '').getTime()) / (24 * 60 * 60 * 1000);
      expect(days).toBeLessThanOrEqual(120);
    }
    expect((await readFeedState(handle.db, 'nvd'))?.cursor?.toISOString()).toBe(later.toISOString());
  });

  it('skips a sync that ends before the cursor', async () => {
    const result = await syncNvd(handle.db, config, new Date('2026-01-01T00:00:00.000Z'));
    expect(result.status).toBe('not_modified');
    expect(seen).toHaveLength(0);
  });

  it('retries a rate-limited request', async () => {
    nvdFailures = [403];
    const result = await syncNvd(handle.db, { ...config, retries: 1 }, new Date('2027-07-01T00:00:00.000Z'));
    expect(result.status).toBe('succeeded');
    expect(seen).toHaveLength(2);
    expect(seen[1]?.query.toString()).toBe(seen[0]?.query.toString());
  });

  it('fails clearly when retries run out', async () => {
    nvdFailures = [503];
    const result = await syncNvd(handle.db, config, new Date('2027-08-01T00:00:00.000Z'));
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/HTTP 503/);
    const state = await readFeedState(handle.db, 'nvd');
    expect(state?.resume).toBeNull();
    expect(state?.cursor?.toISOString()).toBe('2027-07-01T00:00:00.000Z');
  });
});
