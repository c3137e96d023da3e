import { boolean, index, integer, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { assetKind } from './enums';

/** Hosts, images and other things scanners look at. Matched across reports by lib/ingest/asset-matcher.ts. */
export const assets = pgTable(
  'assets',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kind: assetKind().notNull().default('host'),
    name: text().notNull(),
    fqdn: text(),
    hostname: text(),
    ipv4: text().array().notNull().default(sql`'{}'::text[]`),
    ipv6: text().array().notNull().default(sql`'{}'::text[]`),
    mac: text().array().notNull().default(sql`'{}'::text[]`),
    os: text(),
    cloudInstanceId: text(),
    agentId: text(),
    internetFacing: boolean().notNull().default(false),
    firstSeen: timestamp({ withTimezone: true }).notNull(),
    lastSeen: timestamp({ withTimezone: true }).notNull(),
    /** v1 Asset Risk Score 0–1000, recomputed after every import that touches the asset. */
    riskScore: real().notNull().default(0),
    /** v2 (maximum-driven) Asset Risk Score 0–1000, recomputed with `riskScore`. */
    riskScoreV2: real('risk_score_v2').notNull().default(0),
    /** Asset Criticality Score: the highest of its tags' scores, 2 when none sets one. */
    criticalityScore: integer().notNull().default(2),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('assets_agent_id_key').on(table.agentId),
    uniqueIndex('assets_cloud_instance_id_key').on(table.cloudInstanceId),
    index('assets_fqdn_idx').on(sql`lower(${table.fqdn})`),
    index('assets_hostname_idx').on(sql`lower(${table.hostname})`),
    // fastupdate off: with the pending list on, each import batch's address lookup rescanned
    // every address the import had just added (100 ms per lookup at 5k hosts instead of 3 ms).
    index('assets_ipv4_idx').using('gin', table.ipv4).with({ fastupdate: false }),
    index('assets_ipv6_idx').using('gin', table.ipv6).with({ fastupdate: false }),
    index('assets_risk_score_idx').on(table.riskScore.desc(), table.id),
    index('assets_risk_score_v2_idx').on(table.riskScoreV2.desc(), table.id),
  ],
);

export type Asset = typeof assets.$inferSelect;
export type NewAsset = typeof assets.$inferInsert;
