import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { feedName, feedRunStatus } from './enums';

/** Where each enrichment feed stands: what the last sync fetched and where the next one starts. */
export const feedState = pgTable('feed_state', {
  feed: feedName().primaryKey(),
  lastSyncAt: timestamp({ withTimezone: true }),
  lastImportAt: timestamp({ withTimezone: true }),
  /** HTTP validators of the last downloaded file, sent back as If-None-Match / If-Modified-Since. */
  etag: text(),
  lastModified: text(),
  /** NVD: the `lastModEndDate` of the last completed sync, the next sync's `lastModStartDate`. */
  cursor: timestamp({ withTimezone: true }),
  /** NVD: the window and `startIndex` of the next page of an interrupted sync; null windows mean a full download. */
  resume: jsonb().$type<{ windowStart: string | null; windowEnd: string | null; syncEnd: string; startIndex: number }>(),
  /** EPSS: the `score_date` of the last imported file. */
  scoreDate: text(),
  modelVersion: text(),
  /** KEV: the catalog version of the last imported file. */
  catalogVersion: text(),
  /** Records in the last imported file. */
  recordCount: integer(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** One import or sync of a feed, for the log of what changed the catalog and when. */
export const feedRuns = pgTable('feed_runs', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  feed: feedName().notNull(),
  /** `import FILE` or the URL a sync downloaded from. */
  source: text().notNull(),
  status: feedRunStatus().notNull(),
  startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp({ withTimezone: true }),
  /** Records read and catalog rows changed. */
  recordCount: integer().notNull().default(0),
  changedCount: integer().notNull().default(0),
  error: text(),
});

export type FeedState = typeof feedState.$inferSelect;
export type FeedRun = typeof feedRuns.$inferSelect;
