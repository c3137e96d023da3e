import { integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { assets } from './assets';

/** A label on assets; its Asset Criticality Score (1–5), when set, raises the criticality of its members. */
export const tags = pgTable(
  'tags',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    criticalityScore: integer(),
    /**
     * Query of a dynamic tag, in the query language; null for a static tag. A dynamic tag's
     * members are also stored in asset_tags, recomputed when the query changes and after imports.
     */
    query: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('tags_name_key').on(table.name)],
);

export const assetTags = pgTable(
  'asset_tags',
  {
    assetId: integer()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.assetId, table.tagId] })],
);

/** A business unit, application or service, defined as the union of the assets of its tags. */
export const businessEntities = pgTable(
  'business_entities',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    description: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('business_entities_name_key').on(table.name)],
);

export const businessEntityTags = pgTable(
  'business_entity_tags',
  {
    businessEntityId: integer()
      .notNull()
      .references(() => businessEntities.id, { onDelete: 'cascade' }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.businessEntityId, table.tagId] })],
);

export type Tag = typeof tags.$inferSelect;
export type BusinessEntity = typeof businessEntities.$inferSelect;
