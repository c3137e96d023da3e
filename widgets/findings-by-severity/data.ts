import type { Db } from '@/db/client';
import { findingsBySeverity, type SeverityCount } from '@/lib/findings/aggregates';
import { queryFilter } from '@/lib/query/filter';

export interface FindingsBySeverityData {
  counts: SeverityCount[];
  total: number;
}

/** Counts open findings by severity, of all findings or of those a query-language query matches. */
export async function loadFindingsBySeverity(db: Db, includeInformational: boolean, query = ''): Promise<FindingsBySeverityData> {
  const filter = await queryFilter(db, 'finding', query);
  const counts = (await findingsBySeverity(db, { query: filter })).filter((entry) => includeInformational || entry.severity !== 1);
  return { counts, total: counts.reduce((sum, entry) => sum + entry.count, 0) };
}
