import { boolean, date, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** A product endoflife.date tracks, with the names a technology may carry for it. */
export const technologyProducts = pgTable('technology_products', {
  /** endoflife.date product name, e.g. `nginx` or `ubuntu`. */
  product: text().primaryKey(),
  label: text().notNull(),
  /** Lowercase names that identify the product: its name, title, aliases, purl names and repology name. */
  aliases: text().array().notNull(),
  /** Lowercase CPE `vendor:product` pairs, e.g. `f5:nginx`. */
  cpes: text().array().notNull(),
  source: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * One release cycle of a product and its support dates. endoflife.date gives each end as a date
 * or, when no date is known, as a boolean; `*_date` holds the date and `*_flag` the boolean.
 */
export const technologyLifecycles = pgTable(
  'technology_lifecycles',
  {
    product: text()
      .notNull()
      .references(() => technologyProducts.product, { onDelete: 'cascade' }),
    /** `releaseCycle`, e.g. `1.29` or `22.04`; versions match it by prefix. */
    cycle: text().notNull(),
    codename: text(),
    releaseDate: date(),
    lts: boolean().notNull().default(false),
    eolDate: date(),
    eolFlag: boolean(),
    /** End of active support (`eoas`). */
    supportEndDate: date(),
    supportEndFlag: boolean(),
    /** End of extended support (`eoes`). */
    extendedSupportEndDate: date(),
    latestVersion: text(),
    latestReleaseDate: date(),
    source: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.product, table.cycle] })],
);

export type TechnologyProduct = typeof technologyProducts.$inferSelect;
export type TechnologyLifecycle = typeof technologyLifecycles.$inferSelect;
