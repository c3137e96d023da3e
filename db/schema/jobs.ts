import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { jobStatus } from './enums';

/** Position where a job failed, when the work knew it: a line and column of a report, or a field. */
export interface JobErrorPosition {
  line?: number;
  column?: number;
  field?: string;
}

/**
 * One unit of background work (lib/jobs/), e.g. importing a large upload. A worker claims a queued
 * job, runs it and records its progress and outcome here, so the work survives the request that
 * asked for it and any page can show how far it got.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** Handler name registered with the job runner, e.g. `import`. */
    kind: text().notNull(),
    status: jobStatus().notNull().default('queued'),
    /** The handler's input, validated by its zod schema when the job runs. */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Value the handler returned, when it succeeded. */
    result: jsonb().$type<Record<string, unknown>>(),
    bytesDone: bigint({ mode: 'number' }).notNull().default(0),
    bytesTotal: bigint({ mode: 'number' }),
    /** Records (e.g. findings) processed so far. */
    records: integer().notNull().default(0),
    error: text(),
    errorPosition: jsonb().$type<JobErrorPosition>(),
    /** `host:pid` of the process running the job, so a restart can tell its own orphans apart. */
    workerId: text(),
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('jobs_status_idx').on(table.status, table.id), index('jobs_kind_idx').on(table.kind, table.createdAt.desc())],
);

export type Job = typeof jobs.$inferSelect;
