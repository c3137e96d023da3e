import { and, count, eq, ne } from 'drizzle-orm';
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
export async function findingsBySeverity(db: Db, filter: { assetId?: number } = {}): Promise<SeverityCount[]> {
  const open = ne(findings.status, 'fixed');
  const rows = await db
    .select({ severity: findings.severity, value: count() })
    .from(findings)
    .where(filter.assetId === undefined ? open : and(open, eq(findings.assetId, filter.assetId)))
    .groupBy(findings.severity);

  const counts = new Map<Severity, number>();
  for (const row of rows) {
    if (isSeverity(row.severity)) counts.set(row.severity, row.value);
  }
  return SEVERITIES_DESCENDING.map((severity) => ({ severity, label: SEVERITY_LABELS[severity], count: counts.get(severity) ?? 0 }));
}
