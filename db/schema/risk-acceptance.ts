import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { findings } from './findings';
import { users } from './users';

/**
 * Kind of a risk acceptance rule, as the `finding.riskAcceptance.type` query token names it:
 * `RISK_ACCEPTED` keeps a real weakness out of Risk Scores for a limited period, and
 * `FALSE_POSITIVE` records that the scanner was wrong, with or without an end date.
 */
export const riskAcceptanceType = pgEnum('risk_acceptance_type', ['RISK_ACCEPTED', 'FALSE_POSITIVE']);

/**
 * A rule that accepts the risk of the findings its query matches between its start and end date.
 * A finding under an active rule (started, not ended, not revoked) does not count toward Risk
 * Scores; activity is evaluated in SQL when scores are computed, so no job is needed for a rule
 * to stop excluding at its end date.
 */
export const riskAcceptanceRules = pgTable(
  'risk_acceptance_rules',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    type: riskAcceptanceType().notNull(),
    /** Reason category, one of REASON_TYPES in lib/risk-acceptance/schemas.ts. */
    reasonType: text().notNull(),
    justification: text().notNull(),
    /** Query over findings in the query language; its matches are stored in finding_risk_acceptances. */
    query: text().notNull(),
    startDate: timestamp({ withTimezone: true }).notNull(),
    /** Required for RISK_ACCEPTED; a FALSE_POSITIVE rule without one never expires. */
    endDate: timestamp({ withTimezone: true }),
    notifyDaysBefore: integer().notNull().default(14),
    createdBy: integer().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedBy: integer().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp({ withTimezone: true }),
    /** When the members were last recomputed from the query. */
    refreshedAt: timestamp({ withTimezone: true }),
    /** Reason the last refresh failed (a query that no longer compiles), or null after a successful one. */
    refreshError: text(),
  },
  (table) => [
    uniqueIndex('risk_acceptance_rules_name_key').on(table.name),
    check('risk_acceptance_rules_end_required', sql`${table.type} <> 'RISK_ACCEPTED' or ${table.endDate} is not null`),
    check('risk_acceptance_rules_period', sql`${table.endDate} is null or ${table.endDate} > ${table.startDate}`),
    check('risk_acceptance_rules_notify_days', sql`${table.notifyDaysBefore} between 0 and 365`),
  ],
);

/** The findings a rule's query matches, recomputed set-based like dynamic tag members. */
export const findingRiskAcceptances = pgTable(
  'finding_risk_acceptances',
  {
    findingId: integer()
      .notNull()
      .references(() => findings.id, { onDelete: 'cascade' }),
    ruleId: integer()
      .notNull()
      .references(() => riskAcceptanceRules.id, { onDelete: 'cascade' }),
    addedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.findingId, table.ruleId] }), index('finding_risk_acceptances_rule_idx').on(table.ruleId)],
);

/**
 * Expiry notices already sent: one row per rule, threshold (days before the end) and end date,
 * so a restart never sends a notice twice and a prolonged rule is announced again.
 */
export const riskAcceptanceNotices = pgTable(
  'risk_acceptance_notices',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ruleId: integer()
      .notNull()
      .references(() => riskAcceptanceRules.id, { onDelete: 'cascade' }),
    thresholdDays: integer().notNull(),
    endDate: timestamp({ withTimezone: true }).notNull(),
    recipients: text().array().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('risk_acceptance_notices_key').on(table.ruleId, table.thresholdDays, table.endDate)],
);

/** Each run of the risk acceptance maintenance step; the last one bounds which rules changed activity since. */
export const riskAcceptanceRuns = pgTable('risk_acceptance_runs', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  ranAt: timestamp({ withTimezone: true }).notNull(),
  rulesRefreshed: integer().notNull(),
  assetsRecomputed: integer().notNull(),
  noticesSent: integer().notNull(),
});

export type RiskAcceptanceRule = typeof riskAcceptanceRules.$inferSelect;
