import { index, integer, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { assets } from './assets';
import { findingStatus, findingType } from './enums';
import { technologies } from './technologies';

/**
 * One weakness on one asset, however many sources reported it. `identityKey` is the normalized
 * value of the identification rule that matched (lib/ingest/identity.ts), unique per asset and
 * type, so concurrent imports cannot create the same finding twice.
 */
export const findings = pgTable(
  'findings',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    type: findingType().notNull(),
    assetId: integer()
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    identityKey: text().notNull(),
    cveId: text(),
    cveIds: text().array().notNull().default(sql`'{}'::text[]`),
    vendorId: text(),
    title: text().notNull(),
    description: text(),
    solution: text(),
    /** 1 informational, 2 low, 3 medium, 4 high, 5 critical. */
    severity: integer().notNull(),
    status: findingStatus().notNull().default('new'),
    port: integer(),
    protocol: text(),
    technologyId: integer().references(() => technologies.id, { onDelete: 'set null' }),
    fixedVersion: text(),
    cweIds: text().array().notNull().default(sql`'{}'::text[]`),
    cvss2BaseScore: real(),
    cvss3BaseScore: real(),
    cvss3Vector: text(),
    /** Advisory and vendor links the source gives for this finding (e.g. Nessus see_also). */
    references: text().array().notNull().default(sql`'{}'::text[]`),
    /** Sources that have reported this finding, e.g. `{Nessus,Trivy}`. */
    sources: text().array().notNull().default(sql`'{}'::text[]`),
    firstFound: timestamp({ withTimezone: true }).notNull(),
    lastFound: timestamp({ withTimezone: true }).notNull(),
    fixedAt: timestamp({ withTimezone: true }),
    /** Detection Score 1–100 from lib/scoring/detection-score.ts. */
    detectionScore: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('findings_identity_key').on(table.assetId, table.type, table.identityKey),
    index('findings_cve_id_idx').on(table.cveId),
    // Serves the query language's `finding.cveId:[…]`, which compiles to `cve_ids && array[…]`.
    index('findings_cve_ids_idx').using('gin', table.cveIds),
    index('findings_severity_idx').on(table.severity.desc(), table.id),
    index('findings_detection_score_idx').on(table.detectionScore.desc(), table.id),
    index('findings_last_found_idx').on(table.lastFound.desc(), table.id),
    // Lets the asset Risk Score recompute read an asset's scores by index only, without a heap
    // page per finding; the findings of one asset are spread over the table by repeated imports.
    index('findings_asset_scoring_idx').on(table.assetId, table.status, table.detectionScore),
  ],
);

export type Finding = typeof findings.$inferSelect;
