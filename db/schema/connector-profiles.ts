import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ColumnMapping, CsvProfileOptions } from '../../lib/connector-profiles/profile-schema';
import { assetKind } from './enums';
import { users } from './users';

/**
 * A named way to import a report that carries no format of its own. It stores which model field
 * each CSV column fills, how to read the CSV, the source name stored on the findings, and whether
 * imports with it leave absent findings open. lib/connector-profiles/profile-schema.ts validates
 * the JSON columns.
 */
export const connectorProfiles = pgTable(
  'connector_profiles',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    /** A report format id (lib/ingest/model.ts FORMATS); `generic-csv` reads `mapping`. */
    format: text().notNull().default('generic-csv'),
    sourceName: text().notNull(),
    mapping: jsonb().$type<ColumnMapping>().notNull().default({}),
    csvOptions: jsonb().$type<CsvProfileOptions>().notNull(),
    keepAbsentFindings: boolean().notNull().default(false),
    defaultAssetKind: assetKind().notNull().default('host'),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    updatedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Names are unique regardless of case, so `--profile Acme` and `--profile acme` name one profile.
  (table) => [uniqueIndex('connector_profiles_name_key').on(sql`lower(${table.name})`)],
);

export type ConnectorProfileRow = typeof connectorProfiles.$inferSelect;
