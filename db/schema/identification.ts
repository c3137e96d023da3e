import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { assets } from './assets';
import { findingType } from './enums';
import { imports } from './imports';

/**
 * Finding identification rules (lib/identification/), per finding type in the order they are
 * tried: the first enabled rule whose attributes all have a value decides a finding's identity
 * key. Migration 0009_seed_identification_rules seeds the defaults (DEFAULT_RULES in lib/identification/rules.ts).
 */
export const identificationRules = pgTable(
  'identification_rules',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    findingType: findingType().notNull(),
    position: integer().notNull(),
    /** Attribute names of lib/identification/attributes.ts, e.g. `{cve,port,protocol}`. */
    attributes: text().array().notNull(),
    enabled: boolean().notNull().default(true),
    /** True for the seeded defaults, which may be disabled and moved but not deleted. */
    builtin: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('identification_rules_position_key').on(table.findingType, table.position)],
);

/**
 * How a finding's displayed fields are chosen when several sources reported it, per field group:
 * `source_trust` (the best-ranked source in `source_trust_ranking`), `most_recent` or
 * `highest_severity`.
 */
export const findingMergeRules = pgTable('finding_merge_rules', {
  fieldGroup: text().primaryKey(),
  strategy: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Sources in the order they are trusted, 0 first, for the `source_trust` merge strategy. */
export const sourceTrustRanking = pgTable('source_trust_ranking', {
  source: text().primaryKey(),
  position: integer().notNull(),
});

/**
 * Which rule matched an asset of a report to the inventory in one import: `agent_id`,
 * `cloud_instance_id`, `fqdn`, `hostname`, `ip`, `name` (images and other non-hosts), or `new`
 * when the import created the asset.
 */
export const assetMatches = pgTable(
  'asset_matches',
  {
    assetId: integer()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    importId: integer()
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    matchedBy: text().notNull(),
    matchedAt: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [primaryKey({ columns: [table.assetId, table.importId] }), index('asset_matches_asset_idx').on(table.assetId, table.matchedAt.desc())],
);

export type IdentificationRuleRow = typeof identificationRules.$inferSelect;
export type AssetMatch = typeof assetMatches.$inferSelect;

/**
 * The organization's own vendor and product aliases, on top of the bundled table in
 * lib/identification/data/technology-aliases.json; where both name a spelling, this one wins.
 */
export const technologyAliases = pgTable(
  'technology_aliases',
  {
    /** `vendor` or `product`. */
    kind: text().notNull(),
    /** The other spelling, folded (lower case, single spaces). */
    alias: text().notNull(),
    /** The name it stands for, as CPE names write it, e.g. `microsoft`. */
    canonical: text().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.kind, table.alias] })],
);
