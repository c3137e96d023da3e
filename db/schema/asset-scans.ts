import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { assets } from './assets';
import { imports } from './imports';

/**
 * One scan of one asset by one source: when it ran and which findings it saw on the asset. The
 * finding lifecycle (new, active, fixed, reopened) is a function of these rows, so reports
 * imported in any order end in the same statuses (lib/ingest/store/lifecycle-store.ts).
 */
export const assetScans = pgTable(
  'asset_scans',
  {
    assetId: integer()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    source: text().notNull(),
    scannedAt: timestamp({ withTimezone: true }).notNull(),
    /** Ids of the findings the scan reported on the asset; a finding absent here was not seen. */
    findingIds: integer().array().notNull().default(sql`'{}'::integer[]`),
    /** The last import that reported this scan (the same report may be imported twice). */
    importId: integer().references(() => imports.id, { onDelete: 'set null' }),
  },
  (table) => [primaryKey({ columns: [table.assetId, table.source, table.scannedAt] }), index('asset_scans_asset_time_idx').on(table.assetId, table.scannedAt)],
);

export type AssetScan = typeof assetScans.$inferSelect;
