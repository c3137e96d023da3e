import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { findingStatus } from './enums';
import { findings } from './findings';
import { imports } from './imports';

/**
 * Every change of a finding's status, written by the same statement that changes it. The first
 * row of a finding has no `fromStatus`: it records when the finding was first found.
 */
export const findingStatusHistory = pgTable(
  'finding_status_history',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    findingId: integer()
      .notNull()
      .references(() => findings.id, { onDelete: 'cascade' }),
    fromStatus: findingStatus(),
    toStatus: findingStatus().notNull(),
    /** When the change happened in the scanned estate: the scan date of the report that caused it. */
    changedAt: timestamp({ withTimezone: true }).notNull(),
    importId: integer().references(() => imports.id, { onDelete: 'set null' }),
    /** Why, in words: `first found`, `seen again`, `absent from a newer scan`, … */
    reason: text().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('finding_status_history_finding_idx').on(table.findingId, table.changedAt), index('finding_status_history_import_idx').on(table.importId)],
);

export type FindingStatusChange = typeof findingStatusHistory.$inferSelect;
