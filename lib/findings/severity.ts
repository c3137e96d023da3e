import type { Severity } from '../ingest/model';

export type { Severity };

/** Severities from most to least severe, the order lists and charts show them in. */
export const SEVERITIES_DESCENDING = [5, 4, 3, 2, 1] as const satisfies readonly Severity[];

export const SEVERITY_LABELS = {
  1: 'Informational',
  2: 'Low',
  3: 'Medium',
  4: 'High',
  5: 'Critical',
} as const satisfies Record<Severity, string>;

export function isSeverity(value: number): value is Severity {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

/** Returns the label of a stored severity; values outside 1–5 (a damaged row) show as the number. */
export function severityLabel(value: number): string {
  return isSeverity(value) ? SEVERITY_LABELS[value] : `Severity ${value}`;
}
