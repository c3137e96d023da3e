import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/client';
import { logger } from '../log';
import { detectFeedKind, openFeedBytes } from './feed-file';
import { importFeedStream, type FeedImportSummary } from './import-feed';
import type { FeedKind } from './model';
import { finishFeedRun, readFeedState, startFeedRun, writeFeedState } from './state';
import type { FeedSyncConfig } from './sync-config';

const log = logger.child({ module: 'feed-sync' });

/** NVD rejects a `lastModStartDate`–`lastModEndDate` range longer than 120 days. */
const NVD_MAX_WINDOW_MS = 120 * 24 * 60 * 60 * 1000;

/** A download stalls rather than fails when a proxy hangs; this bounds one request. */
const REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

export interface FeedSyncSummary {
  feed: FeedKind;
  status: 'succeeded' | 'not_modified' | 'failed';
  /** Pages (NVD) or files (KEV, EPSS) imported. */
  imported: FeedImportSummary[];
  error?: string;
}

/** Feeds downloaded as one file per sync, and how errors name them. */
const WHOLE_FILE_LABELS = { kev: 'CISA KEV', epss: 'FIRST EPSS', eol: 'endoflife.date', attack: 'MITRE ATT&CK' } as const;
export type WholeFileFeed = keyof typeof WHOLE_FILE_LABELS;

/**
 * Downloads the CISA KEV catalog, the FIRST EPSS file, the endoflife.date products or the ATT&CK
 * Enterprise bundle and imports it. The request carries the last ETag and Last-Modified, so an
 * unchanged file costs one 304 response and no import.
 */
export async function syncWholeFile(db: Db, feed: WholeFileFeed, config: FeedSyncConfig): Promise<FeedSyncSummary> {
  const url = config.urls[feed];
  const state = await readFeedState(db, feed);
  const headers: Record<string, string> = {};
  if (state?.etag) headers['if-none-match'] = state.etag;
  if (state?.lastModified) headers['if-modified-since'] = state.lastModified;

  let response: Response;
  try {
    response = await fetchWithRetry(url, headers, config, feed);
  } catch (error) {
    return failedWithoutImport(db, feed, url, error);
  }

  if (response.status === 304) {
    const runId = await startFeedRun(db, feed, url);
    await finishFeedRun(db, runId, { status: 'not_modified' });
    await writeFeedState(db, feed, { lastSyncAt: new Date() });
    log.info({ feed, url }, 'feed not modified since the last sync');
    return { feed, status: 'not_modified', imported: [] };
  }

  const dir = await mkdtemp(path.join(tmpdir(), `riskboard-${feed}-`));
  try {
    // The body goes to disk first, so the file can be recognized by content (EPSS comes gzipped).
    const file = path.join(dir, 'download');
    if (!response.body) throw new Error(`${url} returned HTTP ${response.status} with no body`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(file));

    const detected = await detectFeedKind(file);
    if (detected !== feed) {
      const label = WHOLE_FILE_LABELS[feed];
      throw new Error(`${url} did not return the ${label} file (recognized: ${detected ?? 'no feed'}); check RISKBOARD_FEED_${feed.toUpperCase()}_URL`);
    }
    const validators = { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
    const summary = await importFeedStream(db, {
      feed,
      source: url,
      bytes: await openFeedBytes(file),
      beforeCommit: (tx) => writeFeedState(tx, feed, { ...validators, lastSyncAt: new Date() }),
    });
    return { feed, status: summary.status === 'succeeded' ? 'succeeded' : 'failed', imported: [summary], ...(summary.error ? { error: summary.error } : {}) };
  } catch (error) {
    return failedWithoutImport(db, feed, url, error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface NvdPosition {
  /** Null for a full download, the first sync without a cursor. */
  windowStart: string | null;
  windowEnd: string | null;
  /** End of this sync's range, which becomes the cursor once every page is in. */
  syncEnd: string;
  startIndex: number;
}

/**
 * Downloads what changed in the NVD since the last sync, page by page (`startIndex`), in windows
 * of at most 120 days of `lastModStartDate`–`lastModEndDate`. The first sync downloads every
 * CVE. Each page is imported in its own transaction together with the position of the next
 * page, so a failed sync resumes at the page that failed.
 */
export async function syncNvd(db: Db, config: FeedSyncConfig, now: Date = new Date()): Promise<FeedSyncSummary> {
  const state = await readFeedState(db, 'nvd');
  if (!state?.resume && state?.cursor && state.cursor.getTime() >= now.getTime()) {
    // A clock set back, or two syncs in the same millisecond: there is no window to ask NVD for.
    return { feed: 'nvd', status: 'not_modified', imported: [] };
  }
  let position: NvdPosition | null = state?.resume ?? firstPosition(state?.cursor ?? null, now);
  if (state?.resume) log.info({ resume: state.resume }, 'resuming the interrupted NVD sync');

  const imported: FeedImportSummary[] = [];
  let first = true;
  while (position) {
    if (!first && config.nvdPauseMs > 0) await sleep(config.nvdPauseMs);
    first = false;

    const url = nvdPageUrl(config, position);
    const headers: Record<string, string> = config.nvdApiKey ? { apiKey: config.nvdApiKey } : {};
    let response: Response;
    try {
      response = await fetchWithRetry(url, headers, config, 'nvd');
    } catch (error) {
      const failed = await failedWithoutImport(db, 'nvd', url, error);
      return { ...failed, imported };
    }

    const current: NvdPosition = position;
    let next: NvdPosition | null = null;
    const summary = await importFeedStream(db, {
      feed: 'nvd',
      source: url,
      bytes: Readable.fromWeb((response.body ?? emptyBody()) as import('node:stream/web').ReadableStream<Uint8Array>),
      beforeCommit: async (tx, info, records) => {
        next = nextPosition(current, records, info.totalResults ?? 0);
        if (next) {
          await writeFeedState(tx, 'nvd', { resume: next });
        } else {
          await writeFeedState(tx, 'nvd', { resume: null, cursor: new Date(current.syncEnd), lastSyncAt: new Date() });
        }
      },
    });
    imported.push(summary);
    if (summary.status !== 'succeeded') return { feed: 'nvd', status: 'failed', imported, ...(summary.error ? { error: summary.error } : {}) };
    position = next;
  }
  return { feed: 'nvd', status: 'succeeded', imported };
}

function firstPosition(cursor: Date | null, now: Date): NvdPosition {
  const syncEnd = now.toISOString();
  if (!cursor) return { windowStart: null, windowEnd: null, syncEnd, startIndex: 0 };
  const windowEnd = new Date(Math.min(cursor.getTime() + NVD_MAX_WINDOW_MS, now.getTime())).toISOString();
  return { windowStart: cursor.toISOString(), windowEnd, syncEnd, startIndex: 0 };
}

function nextPosition(current: NvdPosition, records: number, totalResults: number): NvdPosition | null {
  const nextIndex = current.startIndex + records;
  // An empty page ends the window even if totalResults counts more, so a short page cannot loop forever.
  if (records > 0 && nextIndex < totalResults) return { ...current, startIndex: nextIndex };
  if (current.windowEnd === null || current.windowEnd >= current.syncEnd) return null;

  const windowStart = current.windowEnd;
  const windowEnd = new Date(Math.min(new Date(windowStart).getTime() + NVD_MAX_WINDOW_MS, new Date(current.syncEnd).getTime())).toISOString();
  return { windowStart, windowEnd, syncEnd: current.syncEnd, startIndex: 0 };
}

function nvdPageUrl(config: FeedSyncConfig, position: NvdPosition): string {
  const url = new URL(config.urls.nvd);
  url.searchParams.set('resultsPerPage', String(config.nvdPageSize));
  url.searchParams.set('startIndex', String(position.startIndex));
  if (position.windowStart && position.windowEnd) {
    url.searchParams.set('lastModStartDate', nvdDate(position.windowStart));
    url.searchParams.set('lastModEndDate', nvdDate(position.windowEnd));
  }
  return url.toString();
}

/** NVD documents its dates as ISO 8601 with milliseconds and an explicit offset, e.g. `2021-08-04T13:00:00.000+00:00`. */
function nvdDate(iso: string): string {
  return new Date(iso).toISOString().replace(/Z$/, '+00:00');
}

/** Statuses worth retrying: NVD returns 403 and 503 when a client exceeds its rate limit. */
function isRetryable(status: number): boolean {
  return status === 403 || status === 429 || status >= 500;
}

async function fetchWithRetry(url: string, headers: Record<string, string>, config: FeedSyncConfig, feed: FeedKind): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    let failure = 'no response';
    let response: Response | undefined;
    try {
      response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (response) {
      if (response.ok || response.status === 304) return response;
      await response.body?.cancel();
      failure = `HTTP ${response.status}`;
      if (!isRetryable(response.status)) throw new Error(`${redactUrl(url)} returned ${failure}; check the feed URL and, for NVD, NVD_API_KEY`);
    }
    if (attempt >= config.retries) {
      throw new Error(`${redactUrl(url)} failed after ${attempt + 1} attempts: ${failure}; run the sync again later`);
    }
    // Backs off twice as long each time, starting at the NVD pause (or 1 second for the others).
    const delay = (feed === 'nvd' ? config.nvdPauseMs : 1000) * 2 ** attempt;
    log.warn({ feed, url: redactUrl(url), attempt: attempt + 1, failure, delayMs: delay }, 'feed request failed; retrying');
    if (delay > 0) await sleep(delay);
  }
}

/** Hides an `apiKey` query parameter in logged URLs, because NVD also accepts the key that way. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('apiKey')) parsed.searchParams.set('apiKey', '[redacted]');
  return parsed.toString();
}

async function failedWithoutImport(db: Db, feed: FeedKind, url: string, error: unknown): Promise<FeedSyncSummary> {
  const message = error instanceof Error ? error.message : String(error);
  const runId = await startFeedRun(db, feed, url);
  await finishFeedRun(db, runId, { status: 'failed', error: message });
  log.error({ feed, url: redactUrl(url), err: error }, 'feed sync failed');
  return { feed, status: 'failed', imported: [], error: message };
}

function emptyBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}
