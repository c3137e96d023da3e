import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { decodeUtf8 } from '../ingest/text-input';
import { ReportError } from '../ingest/report-error';
import { logger } from '../log';
import { detectFeedKind, openFeedBytes } from './feed-file';
import type { FeedFileInfo, FeedKind } from './model';
import { parseCve5 } from './parse-cve5';
import { parseEpss } from './parse-epss';
import { parseKev } from './parse-kev';
import { parseNvd } from './parse-nvd';
import { rescoreChangedFindings } from './rescore';
import { finishFeedRun, startFeedRun, writeFeedState, type FeedStatePatch } from './state';
import { AttackCollector } from './parse-attack';
import { parseEolDocument } from './parse-eol';
import { createChangedCveTable, storeCveEntries, storeEpssEntries, storeKevEntries } from './store';
import { storeAttackData } from './store-attack';
import { storeEolProducts } from './store-eol';
import { checkEndOfLifeAfterFeed } from '../end-of-life/feed-check';

const log = logger.child({ module: 'feeds' });

/** Catalog rows per statement: large enough to amortize a round trip, small enough for one JSON parameter. */
const BATCH = 2000;

/** No size limit: feeds are streamed, and the EPSS file decompressed can exceed the report import limit. */
const NO_SIZE_LIMIT = { maxBytes: Number.POSITIVE_INFINITY };

export interface FeedImportSummary {
  file: string;
  feed: FeedKind | null;
  status: 'succeeded' | 'failed' | 'skipped';
  records: number;
  catalogChanged: number;
  findingsRescored: number;
  assetsRescored: number;
  /** End-of-life findings the end-of-life check derived after lifecycle data was imported. */
  endOfLifeFindings?: number;
  /** End-of-life findings the check closed, because their cycle is no longer past its end of life. */
  endOfLifeFixed?: number;
  info: FeedFileInfo;
  error?: string;
}

export interface FeedStreamImport {
  feed: FeedKind;
  /** File path or URL, for the run log and error messages. */
  source: string;
  bytes: AsyncIterable<Uint8Array>;
  /** Runs inside the import's transaction after the records are stored, e.g. to save a sync cursor. */
  beforeCommit?: (tx: Tx, info: FeedFileInfo, records: number) => Promise<void>;
}

/**
 * Imports one feed file or response in one transaction: parses it as a stream, writes the
 * catalog in batches, records the feed's state, re-scores the findings whose CVEs changed and
 * recomputes their assets' Risk Scores. A malformed file writes nothing but a failed entry in
 * `feed_runs`, and the error names the file and the line or field.
 */
export async function importFeedStream(db: Db, input: FeedStreamImport): Promise<FeedImportSummary> {
  return importFeedUnit(db, { ...input, store: (tx, info) => storeRecords(tx, input.feed, input.source, decodeUtf8(input.bytes, NO_SIZE_LIMIT), info) });
}

interface StoredCounts {
  records: number;
  /** Rows changed outside the vulnerability catalog, such as lifecycles; catalog rows are counted from `feed_changed_cves`. */
  otherChanged?: number;
}

interface FeedUnitImport {
  feed: FeedKind;
  source: string;
  store: (tx: Tx, info: FeedFileInfo) => Promise<StoredCounts>;
  beforeCommit?: FeedStreamImport['beforeCommit'];
}

/** Runs one import transaction: stores the records, writes the feed state, rescores and logs the run. */
async function importFeedUnit(db: Db, input: FeedUnitImport): Promise<FeedImportSummary> {
  const summary: FeedImportSummary = { file: input.source, feed: input.feed, status: 'failed', records: 0, catalogChanged: 0, findingsRescored: 0, assetsRescored: 0, info: {} };
  const runId = await startFeedRun(db, input.feed, input.source);
  try {
    await db.transaction(async (tx) => {
      await createChangedCveTable(tx);
      const stored = await input.store(tx, summary.info);
      summary.records = stored.records;
      const [changed] = await queryRows<{ count: number }>(tx, sql`select count(*)::int as count from feed_changed_cves`);
      summary.catalogChanged = (changed?.count ?? 0) + (stored.otherChanged ?? 0);
      await writeFeedState(tx, input.feed, statePatch(summary));
      await input.beforeCommit?.(tx, summary.info, summary.records);
      const rescored = await rescoreChangedFindings(tx);
      summary.findingsRescored = rescored.findingsRescored;
      summary.assetsRescored = rescored.assetsRescored;
      if (input.feed === 'eol') {
        const endOfLife = await checkEndOfLifeAfterFeed(tx, input.source);
        if (endOfLife.assets > 0) {
          summary.endOfLifeFindings = endOfLife.findings;
          summary.endOfLifeFixed = endOfLife.findingsFixed;
        }
      }
    });
    summary.status = 'succeeded';
    await finishFeedRun(db, runId, { status: 'succeeded', recordCount: summary.records, changedCount: summary.catalogChanged });
    log.info({ feed: input.feed, source: input.source, records: summary.records, changed: summary.catalogChanged }, 'imported feed');
  } catch (error) {
    const message = error instanceof ReportError ? error.withFile(input.source).message : `${input.source}: ${error instanceof Error ? error.message : String(error)}`;
    summary.status = 'failed';
    summary.records = 0;
    summary.catalogChanged = 0;
    summary.error = message;
    await finishFeedRun(db, runId, { status: 'failed', error: message });
    log.warn({ feed: input.feed, source: input.source, err: error }, 'feed import failed');
  }
  return summary;
}

/** Imports one file whose feed is recognized by its content; other files are skipped. */
export async function importFeedFile(db: Db, filePath: string): Promise<FeedImportSummary> {
  const feed = await detectFeedKind(filePath);
  if (!feed) {
    return { file: filePath, feed: null, status: 'skipped', records: 0, catalogChanged: 0, findingsRescored: 0, assetsRescored: 0, info: {} };
  }
  return importFeedStream(db, { feed, source: filePath, bytes: await openFeedBytes(filePath) });
}

/**
 * Imports every feed file under `dir`, recursively, in path order. Each KEV, EPSS, NVD or CVE
 * record file is its own transaction. The endoflife.date files and the ATT&CK files of the
 * folder are each imported together in one transaction, because ATT&CK spreads one release over
 * thousands of one-object files whose relationships join objects in other files.
 */
export async function importFeedDirectory(db: Db, dir: string): Promise<FeedImportSummary[]> {
  const summaries: FeedImportSummary[] = [];
  const grouped = new Map<'eol' | 'attack', string[]>();
  const order: (string | 'eol' | 'attack')[] = [];
  for (const file of await listFiles(dir)) {
    const feed = await detectFeedKind(file);
    if (feed === 'eol' || feed === 'attack') {
      if (!grouped.has(feed)) order.push(feed);
      grouped.set(feed, [...(grouped.get(feed) ?? []), file]);
    } else {
      order.push(file);
    }
  }
  for (const entry of order) {
    if (entry === 'eol' || entry === 'attack') {
      summaries.push(await importFeedFiles(db, entry, grouped.get(entry) ?? [], dir));
    } else {
      summaries.push(await importFeedFile(db, entry));
    }
  }
  return summaries;
}

/** Imports endoflife.date or ATT&CK files in one transaction; a bad file rejects them all, naming it. */
async function importFeedFiles(db: Db, feed: 'eol' | 'attack', files: string[], dir: string): Promise<FeedImportSummary> {
  const source = files.length === 1 && files[0] ? files[0] : `${dir} (${files.length} ${feed === 'eol' ? 'endoflife.date' : 'ATT&CK'} files)`;
  return importFeedUnit(db, {
    feed,
    source,
    store: async (tx) => {
      const documents: { file: string; text: string }[] = [];
      for (const file of files) documents.push({ file, text: await readText(file) });
      return feed === 'eol' ? storeEolDocuments(tx, documents, source) : storeAttackDocuments(tx, documents);
    },
  });
}

async function readText(file: string): Promise<string> {
  let text = '';
  for await (const chunk of decodeUtf8(await openFeedBytes(file), NO_SIZE_LIMIT)) text += chunk;
  return text;
}

async function storeEolDocuments(tx: Tx, documents: { file: string; text: string }[], source: string): Promise<StoredCounts> {
  const products = documents.flatMap(({ file, text }) => withFileName(file, () => parseEolDocument(text, path.basename(file))));
  const changed = await storeEolProducts(tx, products, source);
  return { records: products.length, otherChanged: changed };
}

async function storeAttackDocuments(tx: Tx, documents: { file: string; text: string }[]): Promise<StoredCounts> {
  const collector = new AttackCollector();
  for (const { file, text } of documents) withFileName(file, () => collector.add(text));
  const data = collector.result();
  if (data.skippedTokens > 0) log.warn({ skipped: data.skippedTokens }, 'skipped technique ids in the CVE mapping CSV that are not valid ATT&CK ids');
  await storeAttackData(tx, data);
  const mappings = [...data.mappings.values()].reduce((sum, list) => sum + list.length, 0);
  return { records: (data.techniques?.length ?? 0) + (data.groups?.length ?? 0) + data.cveGroups.length + mappings };
}

/** Runs a parse step and names the file in a ReportError it raises. */
function withFileName<Result>(file: string, parse: () => Result): Result {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ReportError) throw error.withFile(file);
    throw error;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function storeRecords(tx: Tx, feed: FeedKind, source: string, text: AsyncIterable<string>, info: FeedFileInfo): Promise<StoredCounts> {
  switch (feed) {
    case 'kev':
      return { records: await storeInBatches(parseKev(text, info), (batch) => storeKevEntries(tx, batch)) };
    case 'epss':
      return { records: await storeInBatches(parseEpss(text, info), (batch) => storeEpssEntries(tx, batch, info.scoreDate)) };
    case 'nvd':
      return { records: await storeInBatches(parseNvd(text, info), (batch) => storeCveEntries(tx, batch, 'nvd')) };
    case 'cve5': {
      const entry = await parseCve5(text);
      await storeCveEntries(tx, [entry], 'cve5');
      return { records: 1 };
    }
    case 'eol':
    case 'attack': {
      let whole = '';
      for await (const chunk of text) whole += chunk;
      const documents = [{ file: source, text: whole }];
      return feed === 'eol' ? storeEolDocuments(tx, documents, source) : storeAttackDocuments(tx, documents);
    }
  }
}

async function storeInBatches<Entry>(entries: AsyncIterable<Entry>, store: (batch: Entry[]) => Promise<void>): Promise<number> {
  let batch: Entry[] = [];
  let count = 0;
  for await (const entry of entries) {
    batch.push(entry);
    count += 1;
    if (batch.length >= BATCH) {
      await store(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store(batch);
  return count;
}

function statePatch(summary: FeedImportSummary): FeedStatePatch {
  const patch: FeedStatePatch = { lastImportAt: new Date(), recordCount: summary.records };
  if (summary.info.catalogVersion) patch.catalogVersion = summary.info.catalogVersion;
  if (summary.info.scoreDate) patch.scoreDate = summary.info.scoreDate;
  if (summary.info.modelVersion) patch.modelVersion = summary.info.modelVersion;
  return patch;
}
