// Names of merge rule field groups and strategies, without database code, for client components.

/**
 * Field groups of a finding that merge rules decide together, so a title never comes from one
 * source and its description from another:
 *
 * - `severity`: severity;
 * - `text`: title and description;
 * - `cvss`: CVSS v2 and v3 base scores and the v3 vector;
 * - `remediation`: fixed version and solution.
 */
export const FIELD_GROUPS = ['severity', 'text', 'cvss', 'remediation'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

export const FIELD_GROUP_LABELS: Record<FieldGroup, string> = {
  severity: 'Severity',
  text: 'Title and description',
  cvss: 'CVSS',
  remediation: 'Fixed version and solution',
};

export const MERGE_STRATEGIES = ['source_trust', 'most_recent', 'highest_severity'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

export const STRATEGY_LABELS: Record<MergeStrategy, string> = {
  source_trust: 'Most trusted source',
  most_recent: 'Most recent detection',
  highest_severity: 'Highest severity',
};
