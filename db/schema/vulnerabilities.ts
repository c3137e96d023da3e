import { boolean, date, jsonb, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The vulnerability catalog, one row per CVE, filled by imports and by the enrichment feeds. */
export const vulnerabilities = pgTable('vulnerabilities', {
  cveId: text().primaryKey(),
  description: text(),
  cvss2Vector: text(),
  cvss2BaseScore: real(),
  cvss3Vector: text(),
  cvss3BaseScore: real(),
  cvss4Vector: text(),
  cvss4BaseScore: real(),
  cweIds: text().array().notNull().default(sql`'{}'::text[]`),
  publishedAt: timestamp({ withTimezone: true }),
  epssScore: real(),
  epssPercentile: real(),
  isKev: boolean().notNull().default(false),
  kevDateAdded: date(),
  /** KEV `knownRansomwareCampaignUse`: true for "Known", false for "Unknown", null when not in KEV. */
  kevRansomwareUse: boolean(),
  kevDueDate: date(),
  kevVendorProject: text(),
  kevProduct: text(),
  /** CISA's SSVC decision points from the CVE record's ADP container, e.g. `{ exploitation: 'active' }`. */
  ssvc: jsonb().$type<{ exploitation?: string; automatable?: string; technicalImpact?: string }>(),
  /** NVD `lastModified` of the record last imported from NVD, so an older page never overwrites a newer one. */
  nvdLastModified: timestamp({ withTimezone: true }),
  /** Names of the ATT&CK groups tied to the CVE (`cve_attack_groups`), kept here for scoring. */
  threatActors: text().array().notNull().default(sql`'{}'::text[]`),
  /** EPSS trend (0–1, 0.5 for no change over 30 days) from `epss_history`; null when unknown. */
  epssTrend: real(),
  /** `[{ url, tags }]` as NVD lists them. */
  references: jsonb().$type<{ url: string; tags?: string[] }[]>().notNull().default([]),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Vulnerability = typeof vulnerabilities.$inferSelect;
