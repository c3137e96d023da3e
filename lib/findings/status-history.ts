import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { findingStatusHistory, imports, type findingStatus } from '../../db/schema';

type Status = (typeof findingStatus.enumValues)[number];

/** One change of a finding's status, as the finding page's timeline shows it. */
export interface StatusChange {
  id: number;
  fromStatus: Status | null;
  toStatus: Status;
  /** When the change happened in the scanned estate (the scan date). */
  changedAt: string;
  reason: string;
  import: { id: number; fileName: string } | null;
}

/** Returns a finding's status changes, oldest first. */
export async function getStatusHistory(db: Db, findingId: number): Promise<StatusChange[]> {
  const rows = await db
    .select({
      id: findingStatusHistory.id,
      fromStatus: findingStatusHistory.fromStatus,
      toStatus: findingStatusHistory.toStatus,
      changedAt: findingStatusHistory.changedAt,
      reason: findingStatusHistory.reason,
      importId: imports.id,
      fileName: imports.fileName,
    })
    .from(findingStatusHistory)
    .leftJoin(imports, eq(imports.id, findingStatusHistory.importId))
    .where(eq(findingStatusHistory.findingId, findingId))
    .orderBy(asc(findingStatusHistory.changedAt), asc(findingStatusHistory.id));
  return rows.map((row) => ({
    id: row.id,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    changedAt: row.changedAt.toISOString(),
    reason: row.reason,
    import: row.importId !== null && row.fileName !== null ? { id: row.importId, fileName: row.fileName } : null,
  }));
}
