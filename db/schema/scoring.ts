import { date, integer, pgEnum, pgTable, primaryKey, real } from 'drizzle-orm/pg-core';

/** What a Risk Score snapshot is of. */
export const riskSubjectKind = pgEnum('risk_subject_kind', ['organization', 'business_entity', 'tag']);

/**
 * One Risk Score per day per subject (the organization, a business entity or a tag), upserted by
 * every recompute, for the 90-day trend. `subject_id` is 0 for the organization.
 */
export const riskScoreSnapshots = pgTable(
  'risk_score_snapshots',
  {
    day: date().notNull(),
    subjectKind: riskSubjectKind().notNull(),
    subjectId: integer().notNull(),
    scoreV1: real('score_v1').notNull(),
    scoreV2: real('score_v2').notNull(),
    assetCount: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.subjectKind, table.subjectId, table.day] })],
);

export type RiskScoreSnapshot = typeof riskScoreSnapshots.$inferSelect;
