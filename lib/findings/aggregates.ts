import { and, count, eq, ne, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { findings } from '../../db/schema';
import { SEVERITIES_DESCENDING, SEVERITY_LABELS, isSeverity, type Severity } from './severity';

export interface SeverityCount {
  severity: Severity;
  label: string;
  count: number;
}

/**
 * Counts open findings (every status except `fixed`) per severity, most severe first. All five
 * severities are listed, with 0 where there are none, so charts keep a fixed shape. With
 * `assetId`, counts only that asset's findings.
 */
export async function findingsBySeverity(db: Db, filter: { assetId?: number; query?: SQL } = {}): Promise<SeverityCount[]> {
  const conditions = [ne(findings.status, 'fixed')];
  if (filter.assetId !== undefined) conditions.push(eq(findings.assetId, filter.assetId));
  // `query` is a finding filter compiled by the query language (lib/query/filter.ts).
  if (filter.query) conditions.push(filter.query);
  const rows = await db
    .select({ severity: findings.severity, value: count() })
    .from(findings)
    .where(and(...conditions))
    .groupBy(findings.severity);

  const counts = new Map<Severity, number>();
  for (const row of rows) {
    if (isSeverity(row.severity)) counts.set(row.severity, row.value);
  }
  return SEVERITIES_DESCENDING.map((severity) => ({ severity, label: SEVERITY_LABELS[severity], count: counts.get(severity) ?? 0 }));
}
