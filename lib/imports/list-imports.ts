import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { importStatus, imports, jobs, users, type ImportCounts } from '../../db/schema';
import { withLiveProgress } from '../jobs/job-store';
import { runningImport } from '../jobs/running-imports';

/** One import as sent to clients. */
export interface ImportListItem {
  id: number;
  fileName: string;
  format: string | null;
  source: string | null;
  status: (typeof importStatus.enumValues)[number];
  sizeBytes: number | null;
  sha256: string | null;
  counts: ImportCounts | null;
  error: string | null;
  errorPosition: { line?: number; column?: number; field?: string } | null;
  scannedAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** Name the import gave the report's only asset; null when it gave none. */
  assetName: string | null;
  createdBy: { id: number; email: string } | null;
  /** How far a background import has come; null for imports run at once. */
  progress: ImportProgressView | null;
}

export interface ImportProgressView {
  jobId: number;
  bytesDone: number;
  bytesTotal: number | null;
  /** Findings read so far. */
  records: number;
  /** 0–100, when the total is known. */
  percent: number | null;
}

export const DEFAULT_IMPORT_LIST_SIZE = 100;
export const MAX_IMPORT_LIST_SIZE = 500;

const importColumns = {
  id: imports.id,
  fileName: imports.fileName,
  format: imports.format,
  source: imports.source,
  status: imports.status,
  sizeBytes: imports.sizeBytes,
  sha256: imports.sha256,
  counts: imports.counts,
  error: imports.error,
  errorPosition: imports.errorPosition,
  scannedAt: imports.scannedAt,
  startedAt: imports.startedAt,
  finishedAt: imports.finishedAt,
  durationMs: imports.durationMs,
  assetName: imports.assetName,
  createdById: users.id,
  createdByEmail: users.email,
  jobId: jobs.id,
  jobStatus: jobs.status,
  jobBytesDone: jobs.bytesDone,
  jobBytesTotal: jobs.bytesTotal,
  jobRecords: jobs.records,
};

function selectImports(db: Db) {
  return db.select(importColumns).from(imports).leftJoin(users, eq(users.id, imports.createdBy)).leftJoin(jobs, eq(jobs.id, imports.jobId));
}

type ImportRow = Awaited<ReturnType<typeof selectImports>>[number];

function toItem(row: ImportRow): ImportListItem {
  return {
    id: row.id,
    fileName: row.fileName,
    format: row.format,
    source: row.source,
    status: row.status,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    counts: row.counts,
    error: row.error,
    errorPosition: row.errorPosition,
    scannedAt: row.scannedAt?.toISOString() ?? null,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
    assetName: row.assetName,
    createdBy: row.createdById !== null && row.createdByEmail !== null ? { id: row.createdById, email: row.createdByEmail } : null,
    progress: progressOf(row),
  };
}

function progressOf(row: ImportRow): ImportProgressView | null {
  if (row.jobId === null || row.jobStatus === null) return null;
  const job = withLiveProgress({ id: row.jobId, status: row.jobStatus, bytesDone: row.jobBytesDone ?? 0, bytesTotal: row.jobBytesTotal, records: row.jobRecords ?? 0 });
  const percent = job.bytesTotal ? Math.min(100, Math.floor((job.bytesDone / job.bytesTotal) * 100)) : null;
  return { jobId: job.id, bytesDone: job.bytesDone, bytesTotal: job.bytesTotal, records: job.records, percent };
}

/** Lists the most recent imports first, at most `limit` (1–500, default 100). */
export async function listImports(db: Db, options: { limit?: number } = {}): Promise<ImportListItem[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_IMPORT_LIST_SIZE), 1), MAX_IMPORT_LIST_SIZE);
  const rows = await selectImports(db)
    .orderBy(desc(imports.startedAt), desc(imports.id))
    .limit(limit);
  return rows.map(toItem);
}

/**
 * Returns one import, or undefined. A background import running in this process is answered from
 * memory, because its transaction may hold the embedded database's only connection until it ends.
 */
export async function getImport(db: Db, id: number): Promise<ImportListItem | undefined> {
  const running = runningImport(id);
  if (running) return running;
  const [row] = await selectImports(db).where(eq(imports.id, id)).limit(1);
  return row ? toItem(row) : undefined;
}
