import { integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { assets } from './assets';

/** Software installed on an asset. One row per (asset, vendor, product, version, path). */
export const technologies = pgTable(
  'technologies',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    assetId: integer()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    vendor: text(),
    product: text().notNull(),
    version: text(),
    /** CPE 2.3 formatted string. */
    cpe: text(),
    path: text(),
    license: text(),
    category: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('technologies_identity_key').on(
      table.assetId,
      sql`coalesce(${table.vendor}, '')`,
      table.product,
      sql`coalesce(${table.version}, '')`,
      sql`coalesce(${table.path}, '')`,
    ),
  ],
);

export type Technology = typeof technologies.$inferSelect;
