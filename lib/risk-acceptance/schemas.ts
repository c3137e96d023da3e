import { z } from 'zod';
import { RISK_ACCEPTANCE_REASON_VALUES, RISK_ACCEPTANCE_TYPE_VALUES } from '../query/catalog';

/** Kinds of rule, the values of the `finding.riskAcceptance.type` query token. */
export const RISK_ACCEPTANCE_TYPES = RISK_ACCEPTANCE_TYPE_VALUES;
export type RiskAcceptanceType = (typeof RISK_ACCEPTANCE_TYPES)[number];

/** Reason categories, the values of `finding.riskAcceptance.reasonType`. */
export const REASON_TYPES = RISK_ACCEPTANCE_REASON_VALUES;
export type ReasonType = (typeof REASON_TYPES)[number];

export const REASON_TYPE_LABELS = {
  compensating_control: 'Compensating control',
  business_decision: 'Business decision',
  planned_remediation: 'Remediation planned',
  vendor_dependency: 'Waiting for the vendor',
  not_exploitable: 'Not exploitable here',
  scanner_error: 'Scanner error',
  other: 'Other',
} as const satisfies Record<ReasonType, string>;

export const TYPE_LABELS = { RISK_ACCEPTED: 'Risk accepted', FALSE_POSITIVE: 'False positive' } as const satisfies Record<RiskAcceptanceType, string>;

export const DEFAULT_NOTIFY_DAYS_BEFORE = 14;
export const MAX_RULE_NAME_LENGTH = 200;
export const MAX_JUSTIFICATION_LENGTH = 10_000;
export const MAX_RULE_QUERY_LENGTH = 2000;

/**
 * A point in time: an ISO 8601 timestamp with a zone (`2026-06-30T18:00:00Z`) or a day
 * (`2026-06-30`). A day starts and ends in the organization's time zone; as an end date, a day
 * means the end of that day.
 */
export const ruleDateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'give a date such as 2026-06-30 or a timestamp such as 2026-06-30T18:00:00Z',
});

const ruleFields = {
  name: z.string().trim().min(1, 'a rule name must not be empty').max(MAX_RULE_NAME_LENGTH, `a rule name must be at most ${MAX_RULE_NAME_LENGTH} characters`),
  type: z.enum(RISK_ACCEPTANCE_TYPES, { error: `type must be one of ${RISK_ACCEPTANCE_TYPES.join(', ')}` }),
  reasonType: z.enum(REASON_TYPES, { error: `reasonType must be one of ${REASON_TYPES.join(', ')}` }),
  justification: z
    .string()
    .trim()
    .min(1, 'give a justification: why the risk is accepted')
    .max(MAX_JUSTIFICATION_LENGTH, `a justification must be at most ${MAX_JUSTIFICATION_LENGTH} characters`),
  query: z.string().trim().min(1, 'give a query over findings, such as finding.cveId:CVE-2021-44228').max(MAX_RULE_QUERY_LENGTH, `a query must be at most ${MAX_RULE_QUERY_LENGTH} characters`),
  startDate: ruleDateSchema,
  endDate: ruleDateSchema.nullable(),
  notifyDaysBefore: z.number().int().min(0, 'notifyDaysBefore must be 0 to 365').max(365, 'notifyDaysBefore must be 0 to 365'),
};

/** Body of POST /api/v1/risk-acceptances. A start date left out means now. */
export const createRuleInputSchema = z.object({
  ...ruleFields,
  startDate: ruleFields.startDate.optional(),
  endDate: ruleFields.endDate.default(null),
  notifyDaysBefore: ruleFields.notifyDaysBefore.default(DEFAULT_NOTIFY_DAYS_BEFORE),
});
export type CreateRuleInput = z.input<typeof createRuleInputSchema>;

/** Body of PATCH /api/v1/risk-acceptances/{id}; fields left out keep their value. */
export const updateRuleInputSchema = z
  .object({
    name: ruleFields.name.optional(),
    type: ruleFields.type.optional(),
    reasonType: ruleFields.reasonType.optional(),
    justification: ruleFields.justification.optional(),
    query: ruleFields.query.optional(),
    startDate: ruleFields.startDate.optional(),
    endDate: ruleFields.endDate.optional(),
    notifyDaysBefore: ruleFields.notifyDaysBefore.optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'give at least one field to change');
export type UpdateRuleInput = z.input<typeof updateRuleInputSchema>;

/** State of a rule at a moment. Revoked wins, and otherwise the period decides. */
export const RULE_STATES = ['upcoming', 'active', 'expired', 'revoked'] as const;
export type RuleState = (typeof RULE_STATES)[number];

/** Query of GET /api/v1/risk-acceptances. */
export const listRulesInputSchema = z.object({
  state: z.enum(RULE_STATES).optional(),
});

/** Query of the live count of findings a draft query matches. */
export const countMatchesInputSchema = z.object({
  query: z.string().max(MAX_RULE_QUERY_LENGTH),
});

/** Id of a rule, from a form or a URL. */
export const ruleIdSchema = z.coerce.number().int().positive().max(2_147_483_647);
