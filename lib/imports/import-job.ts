import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { imports } from '../../db/schema';
import { dataDir } from '../config/paths';
import { importReport } from '../ingest/import-report';
import { FORMATS, type ReportFormat } from '../ingest/model';
import { assetNameSchema } from '../ingest/asset-name-schema';
import { JobError, defineJobKind } from '../jobs/job-kind';
import { enqueueJob } from '../jobs/job-store';
import { wakeJobWorker } from '../jobs/job-worker';
import { registerRunningImport, unregisterRunningImport } from '../jobs/running-imports';
import { getImport } from './list-imports';
import { logger } from '../log';

const log = logger.child({ module: 'imports' });

/** Uploads larger than this many bytes are imported by a background job; RISKBOARD_INLINE_IMPORT_BYTES changes it. */
export const DEFAULT_INLINE_IMPORT_BYTES = 5 * 1024 * 1024;

export function inlineImportBytes(): number {
  const configured = Number(process.env.RISKBOARD_INLINE_IMPORT_BYTES);
  return Number.isFinite(configured) && configured >= 0 && process.env.RISKBOARD_INLINE_IMPORT_BYTES !== '' ? configured : DEFAULT_INLINE_IMPORT_BYTES;
}

/** Folder of the files that queued import jobs read, under the data folder. */
export function jobFilesDir(): string {
  return path.join(dataDir(), 'job-files');
}

/** Creates the job-files folder, private to this user, and returns it. */
export async function ensureJobFilesDir(): Promise<string> {
  const dir = jobFilesDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const importJobPayload = z.object({
  importId: z.number().int().positive(),
  /** The saved upload; removed when the job ends. */
  filePath: z.string().min(1),
  fileName: z.string().min(1),
  format: z.enum(FORMATS).optional(),
  /** Connector profile name (lib/connector-profiles/). */
  profile: z.string().optional(),
  /** Name of the report's only asset (importReport's `assetName`). */
  assetName: assetNameSchema.optional(),
  userId: z.number().int().positive().optional(),
  runOn: z.string().optional(),
});

/**
 * Imports a saved upload in the background. The import row was queued with the job; the job's
 * progress is the bytes of the file parsed so far and the findings read. A rejected report fails
 * the job with the same message and position as the import.
 */
export const importJob = defineJobKind({
  kind: 'import',
  payload: importJobPayload,
  localFiles: true,
  async run({ db, jobId, progress }, payload) {
    // Read the row while the database is free, so progress polls need not wait for the import.
    const queued = await getImport(db, payload.importId);
    if (queued) registerRunningImport(jobId, queued);
    try {
      const summary = await importReport(db, {
        importId: payload.importId,
        fileName: payload.fileName,
        path: payload.filePath,
        format: payload.format,
        profile: payload.profile,
        assetName: payload.assetName,
        userId: payload.userId,
        onProgress: ({ bytesRead, bytesTotal, findings }) => progress({ bytesDone: bytesRead, bytesTotal, records: findings }),
      });
      if (summary.status === 'failed') throw new JobError(summary.error?.message ?? 'the report was rejected', summary.error?.position);
      return { importId: summary.importId, counts: summary.counts };
    } finally {
      unregisterRunningImport(payload.importId);
      await rm(payload.filePath, { force: true });
    }
  },
  async onFailed(db, _jobId, payload, error) {
    await rm(payload.filePath, { force: true });
    // The import marks itself failed when it ran; this covers a job that never got that far.
    await markImportFailed(db, payload.importId, error.message);
  },
});

/** An upload queued for a background import; `GET /api/v1/imports/{importId}` shows its progress. */
export interface QueuedImport {
  importId: number;
  jobId: number;
  fileName: string;
  status: 'queued';
  sizeBytes: number;
}

/**
 * Queues the import of a saved upload: the import row (status queued) and its job are written in
 * one transaction, then this process's worker is woken. The job removes the file when it ends.
 */
export async function queueImport(
  db: Db,
  input: { fileName: string; filePath: string; sizeBytes: number; format?: ReportFormat; profile?: string; assetName?: string; userId?: number },
): Promise<QueuedImport> {
  const queued = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({ fileName: input.fileName, status: 'queued', sizeBytes: input.sizeBytes, assetName: input.assetName, createdBy: input.userId })
      .returning({ id: imports.id });
    if (!row) throw new Error('inserting the import log row returned nothing');
    const jobId = await enqueueJob(
      tx,
      importJob,
      {
        importId: row.id,
        filePath: input.filePath,
        fileName: input.fileName,
        format: input.format,
        profile: input.profile,
        assetName: input.assetName,
        userId: input.userId,
      },
      { bytesTotal: input.sizeBytes },
    );
    await tx.update(imports).set({ jobId }).where(eq(imports.id, row.id));
    return { importId: row.id, jobId };
  });
  log.info({ importId: queued.importId, jobId: queued.jobId, sizeBytes: input.sizeBytes }, 'queued a large upload for a background import');
  wakeJobWorker();
  return { ...queued, fileName: input.fileName, status: 'queued', sizeBytes: input.sizeBytes };
}

async function markImportFailed(db: Db, importId: number, message: string): Promise<void> {
  await db
    .update(imports)
    .set({ status: 'failed', error: message, finishedAt: new Date() })
    .where(and(eq(imports.id, importId), inArray(imports.status, ['queued', 'running'])));
}
