import { z } from 'zod';
import { importStatus } from '../../db/schema';

const positionSchema = z.object({ line: z.number().int().optional(), column: z.number().int().optional(), field: z.string().optional() });

/** Counts of one import (db/schema/imports.ts ImportCounts). */
export const importCountsSchema = z.object({
  assetsCreated: z.number().int(),
  assetsUpdated: z.number().int(),
  assetsUnchanged: z.number().int(),
  findingsNew: z.number().int(),
  findingsUpdated: z.number().int().describe('Findings that existed and changed, including reopened and merged ones'),
  findingsUnchanged: z.number().int(),
  findingsFixed: z.number().int().describe('Findings of this source on the scanned assets that the report no longer lists'),
  findingsReopened: z.number().int().optional().describe('Fixed findings the report lists again'),
  findingsMerged: z.number().int().optional().describe('Existing findings that this source reported for the first time'),
  findingsSkipped: z.number().int().optional().describe('Records merged away because the report repeats them'),
  skipped: z.record(z.string(), z.number().int()).optional().describe('Skipped records by reason'),
  detections: z.number().int(),
});

/** `GET /api/v1/imports/{id}` and each item of `GET /api/v1/imports` (lib/imports/list-imports.ts). */
export const importItemSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  format: z.string().nullable(),
  source: z.string().nullable(),
  status: z.enum(importStatus.enumValues),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  counts: importCountsSchema.nullable(),
  error: z.string().nullable().describe('Why the import failed, naming the file and the line or field'),
  errorPosition: positionSchema.nullable(),
  scannedAt: z.iso.datetime().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  assetName: z.string().nullable().describe("Name the import gave the report's only asset (field assetName of the upload); null when it gave none"),
  createdBy: z.object({ id: z.number().int(), email: z.string() }).nullable(),
  progress: z
    .object({
      jobId: z.number().int(),
      bytesDone: z.number().int(),
      bytesTotal: z.number().int().nullable(),
      records: z.number().int().describe('Findings read so far'),
      percent: z.number().int().min(0).max(100).nullable(),
    })
    .nullable()
    .describe('Progress of a background import; null for imports run at once'),
});
