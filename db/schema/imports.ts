import { index, integer, jsonb, pgTable, text, timestamp, bigint } from 'drizzle-orm/pg-core';
import { importStatus } from './enums';
import { jobs } from './jobs';
import { users } from './users';

export interface ImportCounts {
  assetsCreated: number;
  assetsUpdated: number;
  assetsUnchanged: number;
  findingsNew: number;
  findingsUpdated: number;
  findingsUnchanged: number;
  /** Findings of this source on the scanned assets that the report no longer lists. */
  findingsFixed: number;
  /** Fixed findings the report lists again. Part of the updated findings. */
  findingsReopened?: number;
  /** Findings that existed and that this source reported for the first time. Part of the updated findings. */
  findingsMerged?: number;
  /** Records merged away because the report repeats them; `skipped` says why. Not part of the other counts. */
  findingsSkipped?: number;
  skipped?: Record<string, number>;
  detections: number;
  /** End-of-life findings the end-of-life check derived on the report's assets after the import (lib/end-of-life). */
  endOfLifeFindings?: number;
}

/** One report file submitted for import, successful or not. */
export const imports = pgTable(
  'imports',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    fileName: text().notNull(),
    format: text(),
    source: text(),
    sha256: text(),
    sizeBytes: bigint({ mode: 'number' }),
    status: importStatus().notNull().default('running'),
    counts: jsonb().$type<ImportCounts>(),
    error: text(),
    /** `{ line, column, field }` of the error, when the parser knew it. */
    errorPosition: jsonb().$type<{ line?: number; column?: number; field?: string }>(),
    scannedAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    durationMs: integer(),
    /** Name the import gave the report's only asset (CLI `--asset-name`, API field `assetName`); null when it gave none. */
    assetName: text(),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    /** Background job that runs this import, for uploads above the inline limit (lib/imports/import-jobs.ts). */
    jobId: integer().references(() => jobs.id, { onDelete: 'set null' }),
    /** `host:pid:random` of the process running an inline import, for logs and the interrupted-import check. */
    owner: text(),
    /** Touched by the owning process while the import runs, so another process starting can tell a live import from one whose process died. */
    heartbeatAt: timestamp({ withTimezone: true }),
  },
  (table) => [index('imports_sha256_idx').on(table.sha256), index('imports_started_at_idx').on(table.startedAt.desc())],
);

export type Import = typeof imports.$inferSelect;
