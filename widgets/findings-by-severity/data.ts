import type { Db } from '@/db/client';
import { findingsBySeverity, type SeverityCount } from '@/lib/findings/aggregates';

export interface FindingsBySeverityData {
  counts: SeverityCount[];
  total: number;
}

export async function loadFindingsBySeverity(db: Db, includeInformational: boolean): Promise<FindingsBySeverityData> {
  const counts = (await findingsBySeverity(db)).filter((entry) => includeInformational || entry.severity !== 1);
  return { counts, total: counts.reduce((sum, entry) => sum + entry.count, 0) };
}
