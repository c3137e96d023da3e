import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { findings } from './findings';
import { imports } from './imports';

/**
 * One source's observation of a finding: which scanner saw it, in which import first and last,
 * and everything the scanner said about it, verbatim, in `raw`.
 */
export const detections = pgTable(
  'detections',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    findingId: integer()
      .notNull()
      .references(() => findings.id, { onDelete: 'cascade' }),
    source: text().notNull(),
    sourceFindingId: text(),
    firstImportId: integer()
      .notNull()
      .references(() => imports.id),
    lastImportId: integer()
      .notNull()
      .references(() => imports.id),
    firstSeen: timestamp({ withTimezone: true }).notNull(),
    lastSeen: timestamp({ withTimezone: true }).notNull(),
    raw: jsonb().$type<Record<string, unknown>>().notNull(),
    /**
     * The identification attributes and displayed fields of this observation as the source wrote
     * them (lib/identification/observation.ts), for previewing and re-running identification
     * rules and for merge rules. Null for detections imported before it existed.
     */
    observation: jsonb().$type<Record<string, unknown>>(),
  },
  (table) => [
    uniqueIndex('detections_identity_key').on(table.findingId, table.source, sql`coalesce(${table.sourceFindingId}, '')`),
    index('detections_last_import_idx').on(table.lastImportId),
  ],
);

export type Detection = typeof detections.$inferSelect;
