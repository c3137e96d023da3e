import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Db } from '../../../db/client';
import { feedState, type FeedState } from '../../../db/schema';
import { importFeedDirectory, importFeedFile, type FeedImportSummary } from '../../feeds/import-feed';
import { syncNvd, syncWholeFile, type FeedSyncSummary } from '../../feeds/sync';
import { readFeedSyncConfig } from '../../feeds/sync-config';
import { openCliDatabase } from '../open-cli-db';
import { CliUsageError } from '../usage-error';

const SYNC_TARGETS = ['nvd', 'kev', 'epss', 'eol', 'attack', 'all'] as const;
type SyncTarget = (typeof SYNC_TARGETS)[number];

/**
 * `riskboard feeds import PATH`, `riskboard feeds sync [nvd|kev|epss|all]` and `riskboard feeds
 * status`, each with `--json`. All three open the database directly, so with the embedded
 * database they are rejected while the server has it open. Import and sync exit 1 when any file
 * or feed failed.
 */
export async function runFeeds(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  const human = values.json ? process.stderr : process.stdout;

  switch (subcommand) {
    case 'import': {
      if (positionals.length !== 1 || !positionals[0]) throw new CliUsageError('feeds import needs one DIR (or file) of feed files');
      const target = positionals[0];
      const isDirectory = await stat(target).then(
        (info) => info.isDirectory(),
        () => {
          throw new CliUsageError(`not found: ${target}`);
        },
      );
      const summaries = await withDatabase((db) => (isDirectory ? importFeedDirectory(db, target) : importFeedFile(db, target).then((summary) => [summary])));
      for (const summary of summaries) human.write(`${describeImport(summary)}\n`);
      if (values.json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
      if (!summaries.some((summary) => summary.status !== 'skipped')) human.write(`no KEV, EPSS, NVD, CVE record, endoflife.date or ATT&CK file found in ${target}\n`);
      return summaries.some((summary) => summary.status === 'failed') ? 1 : 0;
    }
    case 'sync': {
      if (positionals.length > 1) throw new CliUsageError(`feeds sync takes at most one feed: ${SYNC_TARGETS.join(', ')}`);
      const target = parseTarget(positionals[0] ?? 'all');
      const config = readFeedSyncConfig();
      const feeds = target === 'all' ? (['kev', 'epss', 'nvd', 'eol', 'attack'] as const) : ([target] as const);
      const results = await withDatabase(async (db) => {
        const summaries: FeedSyncSummary[] = [];
        for (const feed of feeds) {
          const summary = feed === 'nvd' ? await syncNvd(db, config) : await syncWholeFile(db, feed, config);
          human.write(`${describeSync(summary)}\n`);
          summaries.push(summary);
        }
        return summaries;
      });
      if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      return results.some((summary) => summary.status === 'failed') ? 1 : 0;
    }
    case 'status': {
      if (positionals.length > 0) throw new CliUsageError('feeds status takes no arguments');
      const states = await withDatabase((db) => db.select().from(feedState).orderBy(feedState.feed));
      if (values.json) process.stdout.write(`${JSON.stringify(states, null, 2)}\n`);
      if (states.length === 0) human.write('no feed has been imported or synced yet; run `riskboard feeds sync` or `riskboard feeds import DIR`\n');
      for (const state of states) human.write(`${describeState(state)}\n`);
      return 0;
    }
    case undefined:
      throw new CliUsageError('feeds needs a subcommand: import, sync or status');
    default:
      throw new CliUsageError(`unknown feeds subcommand "${subcommand}"; use import, sync or status`);
  }
}

function parseTarget(value: string): SyncTarget {
  if ((SYNC_TARGETS as readonly string[]).includes(value)) return value as SyncTarget;
  throw new CliUsageError(`unknown feed "${value}"; use one of ${SYNC_TARGETS.join(', ')}`);
}

async function withDatabase<Result>(work: (db: Db) => Promise<Result>): Promise<Result> {
  // TODO: feed commands cannot go through a running server yet, because the API has no feed
  // routes. With the embedded database, the server must be stopped first.
  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('the feed commands need direct database access');
  try {
    return await work(database.handle.db);
  } finally {
    await database.handle.close();
  }
}

function describeImport(summary: FeedImportSummary): string {
  if (summary.status === 'skipped') return `${summary.file}: skipped, not a feed file`;
  if (summary.status === 'failed') return `${summary.error ?? `${summary.file}: rejected`}`;
  return (
    `${summary.file}: ${summary.feed}: ${summary.records} records, ${summary.catalogChanged} catalog rows changed, ` +
    `${summary.findingsRescored} findings and ${summary.assetsRescored} assets re-scored` +
    describeEndOfLife(summary)
  );
}

function describeSync(summary: FeedSyncSummary): string {
  if (summary.status === 'not_modified') return `${summary.feed}: not modified since the last sync`;
  if (summary.status === 'failed') return `${summary.feed}: failed: ${summary.error ?? 'unknown error'}`;
  const records = summary.imported.reduce((sum, page) => sum + page.records, 0);
  const changed = summary.imported.reduce((sum, page) => sum + page.catalogChanged, 0);
  const rescored = summary.imported.reduce((sum, page) => sum + page.findingsRescored, 0);
  const endOfLife = summary.imported.filter((page) => page.endOfLifeFindings !== undefined).at(-1);
  return `${summary.feed}: ${records} records in ${summary.imported.length} downloads, ${changed} catalog rows changed, ${rescored} findings re-scored` + (endOfLife ? describeEndOfLife(endOfLife) : '');
}

/** Describes the end-of-life check that ran after lifecycle data was imported, if it did. */
function describeEndOfLife(summary: FeedImportSummary): string {
  if (summary.endOfLifeFindings === undefined) return '';
  return `, ${summary.endOfLifeFindings} end-of-life findings derived and ${summary.endOfLifeFixed ?? 0} closed`;
}

function describeState(state: FeedState): string {
  const parts = [
    `last sync ${state.lastSyncAt?.toISOString() ?? 'never'}`,
    `last import ${state.lastImportAt?.toISOString() ?? 'never'}`,
  ];
  if (state.recordCount !== null) parts.push(`${state.recordCount} records in the last file`);
  if (state.catalogVersion) parts.push(`catalog version ${state.catalogVersion}`);
  if (state.scoreDate) parts.push(`score date ${state.scoreDate}`);
  if (state.cursor) parts.push(`next sync from ${state.cursor.toISOString()}`);
  if (state.resume) parts.push(`interrupted; resumes at startIndex ${state.resume.startIndex}`);
  return `${state.feed}: ${parts.join(', ')}`;
}
