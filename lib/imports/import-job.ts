import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { imports } from '../../db/schema';
import { dataDir } from '../config/paths';
import { importReport } from '../ingest/import-report';
import { FORMATS } from '../ingest/model';
import { JobError, defineJobKind } from '../jobs/job-kind';

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
  async run({ db, progress }, payload) {
    try {
      const summary = await importReport(db, {
        importId: payload.importId,
        fileName: payload.fileName,
        path: payload.filePath,
        format: payload.format,
        userId: payload.userId,
        onProgress: ({ bytesRead, bytesTotal, findings }) => progress({ bytesDone: bytesRead, bytesTotal, records: findings }),
      });
      if (summary.status === 'failed') throw new JobError(summary.error?.message ?? 'the report was rejected', summary.error?.position);
      return { importId: summary.importId, counts: summary.counts };
    } finally {
      await rm(payload.filePath, { force: true });
    }
  },
  async onFailed(db, _jobId, payload, error) {
    await rm(payload.filePath, { force: true });
    // The import marks itself failed when it ran; this covers a job that never got that far.
    await markImportFailed(db, payload.importId, error.message);
  },
});

async function markImportFailed(db: Db, importId: number, message: string): Promise<void> {
  await db
    .update(imports)
    .set({ status: 'failed', error: message, finishedAt: new Date() })
    .where(and(eq(imports.id, importId), inArray(imports.status, ['queued', 'running'])));
}
