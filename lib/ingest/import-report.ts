import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { setTimeout } from 'node:timers/promises';
import { stat } from 'node:fs/promises';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isRetryableTransactionError, sqlState, violatedUniqueConstraint } from '../../db/transaction-errors';
import { imports, type ImportCounts } from '../../db/schema';
import { logger } from '../log';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import { refreshDynamicTags } from '../tags/dynamic-tags';
import { refreshRiskAcceptanceRules } from '../risk-acceptance/materialize';
import { detectFormat } from './detect-format';
import { ownedByThisProcess, startImportHeartbeat } from './import-owner';
import type { ReportFormat, ReportMetadata } from './model';
import { parsers } from './parsers';
import { loadImportProfile } from '../connector-profiles/profile-parser';
import { ReportError } from './report-error';
import { parseAssetName } from './asset-name-schema';
import { nameReportAsset, requireAssetNameFormat } from './explicit-asset-name';
import { decodeUtf8, type ByteCounter } from './text-input';
import { emptyImportCounts, ImportWriter } from './writer';
import { deriveEolFindings } from '../end-of-life/derive-eol-findings';
import { archiveFormat, archiveRecords, openZipIfArchive, type ZipArchive } from './zip-input';

/** Bytes of text read before choosing a parser; every supported format names itself sooner. */
const DETECTION_WINDOW = 64 * 1024;

/** Maximum runs of one import's transaction, counting the first, when deadlocks with other imports abort it. */
const MAX_IMPORT_ATTEMPTS = 4;
/** Pause before a new run, times the run's number, so the imports that deadlocked do not collide again at once. */
const RETRY_DELAY_MS = 250;

/**
 * Unique keys of assets that two imports can both fill on different assets: each matched its own
 * asset before the other committed. The next run matches the asset that won.
 */
const ASSET_IDENTITY_CONSTRAINTS = new Set(['assets_agent_id_key', 'assets_cloud_instance_id_key']);

/** Default upper bound of one report, overridable with RISKBOARD_MAX_IMPORT_BYTES. */
export const DEFAULT_MAX_IMPORT_BYTES = 2 * 1024 ** 3;

export interface ImportReportInput {
  /** Name shown to users and in error messages; never opened. */
  fileName: string;
  /** The report's bytes. Give `path` instead when the file is on disk. */
  bytes?: AsyncIterable<Uint8Array>;
  /** A file on disk; it is hashed first, so a re-import of the same file is recognized. */
  path?: string;
  /** Skips content detection. */
  format?: ReportFormat;
  /** Name of a connector profile whose parser, source name and lifecycle option the import uses. */
  profile?: string;
  /**
   * Name of the report's only asset, replacing the name and identity the report or its file name
   * would give it. Only formats in ASSET_NAME_FORMATS take it; other reports are rejected.
   */
  assetName?: string;
  userId?: number;
  maxBytes?: number;
  /**
   * Called after each record with the bytes read so far (of `bytesTotal`, when the size is known)
   * and the findings read; callers throttle what they do with it.
   */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Row in the import log queued earlier for this report (a background import job); it is set
   * to running and then finished. Without it a new row is created.
   */
  importId?: number;
}

export interface ImportProgress {
  bytesRead: number;
  bytesTotal?: number;
  findings: number;
}

export interface ImportSummary {
  importId: number;
  fileName: string;
  format?: ReportFormat;
  source?: string;
  status: 'succeeded' | 'failed';
  counts: ImportCounts;
  error?: { code: string; message: string; position?: { line?: number; column?: number; field?: string } };
  durationMs: number;
  sha256: string;
}

const log = logger.child({ module: 'ingest' });

/**
 * Imports one scanner report: detects its format, streams it through the parser, and writes its
 * assets, findings and detections in one transaction, so a report that fails half-way leaves no
 * trace but its row in the import log. Rejected reports are returned as `status: 'failed'` with
 * a message naming the file and the line or field; this function throws only if the import log
 * itself cannot be written.
 */
export async function importReport(db: Db, input: ImportReportInput): Promise<ImportSummary> {
  const started = Date.now();
  const maxBytes = input.maxBytes ?? maxImportBytes();
  const assetName = input.assetName === undefined ? undefined : parseAssetName(input.assetName);
  const importId = input.importId ?? (await insertImportRow(db, input, assetName?.name));
  if (input.importId !== undefined) await db.update(imports).set({ status: 'running', startedAt: new Date(started), ...ownedByThisProcess() }).where(eq(imports.id, importId));
  const importLog = log.child({ importId, fileName: input.fileName });
  const stopHeartbeat = startImportHeartbeat(db, importId, importLog);

  const hash = createHash('sha256');
  const counter: ByteCounter = { bytesRead: 0 };
  let sha256 = '';
  let format: ReportFormat | undefined = input.format;
  let metadata: Partial<ReportMetadata> = {};
  let counts = emptyImportCounts();
  let archive: ZipArchive | undefined;
  // The size of a file on disk, recorded even when the import stops before reading it all.
  let fileSize: number | undefined;

  try {
    if (assetName?.error !== undefined) throw new ReportError('invalid_option', assetName.error);
    let bytesTotal: number | undefined;
    if (input.path) ({ sha256, size: bytesTotal } = await hashFile(input.path, maxBytes));
    fileSize = bytesTotal;
    if (!input.bytes && !input.path) throw new Error('importReport needs bytes or a path');
    const profile = input.profile === undefined ? undefined : await loadImportProfile(db, input.profile);

    const previous = sha256 ? await previousObservation(db, sha256) : undefined;
    const observedAtFallback = previous ?? new Date(started);

    // Another import can deadlock with this one, now that imports run side by side, and Postgres
    // then aborts one of them. The transaction left nothing behind, so a file on disk is read again.
    for (let attempt = 1; ; attempt++) {
      try {
        const bytes = input.bytes ?? createReadStream(input.path as string);
        // A zip archive (recognized by its magic bytes) is read entry by entry instead of as text.
        const opened = await openZipIfArchive(input.path ? bytes : hashing(bytes, hash), { file: input.path, maxBytes, counter });
        archive = opened.archive;
        let rest: AsyncIterable<string> = (async function* () {})();
        if (opened.archive) {
          format = input.format ?? archiveFormat(opened.archive, parsers);
        } else {
          const peeked = await peek(decodeUtf8(opened.bytes, { maxBytes }, counter), DETECTION_WINDOW);
          rest = peeked.rest;
          format = profile?.parser.format ?? input.format ?? chooseFormat(peeked.head, counter.bytesRead);
        }
        const parser = profile?.parser ?? parsers[format];
        metadata = { format, source: parser.source };
        if (assetName?.name !== undefined) requireAssetNameFormat(parser.format);

        await db.transaction(async (tx) => {
          let writer: ImportWriter | undefined;
          let findings = 0;
          const onMetadata = (meta: Partial<ReportMetadata>) => {
            metadata = { ...metadata, ...meta };
          };
          const parsed = archive ? archiveRecords(parser, archive, onMetadata) : parser.parse(rest, onMetadata, { fileName: input.fileName });
          const records = assetName?.name === undefined ? parsed : nameReportAsset(parsed, assetName.name, parser.format);

          for await (const record of records) {
            writer ??= new ImportWriter(tx, { importId, source: parser.source, observedAt: metadata.scannedAt ?? observedAtFallback, keepAbsentFindings: profile?.keepAbsentFindings });
            if (record.kind === 'asset') {
              await writer.addAsset(record.asset);
            } else {
              await writer.addFinding(record.finding);
              findings++;
            }
            input.onProgress?.({ bytesRead: counter.bytesRead, bytesTotal, findings });
          }

          if (!writer) throw new ReportError('empty', 'report contains no assets and no findings');
          counts = await writer.finish();
          const endOfLife = await deriveEolFindings(tx, { importId, assetIds: [...writer.touchedAssetIds] });
          if (endOfLife.assets > 0) counts.endOfLifeFindings = endOfLife.findings;
          await recomputeAssetRiskScores(tx, [...writer.touchedAssetIds]);
          input.onProgress?.({ bytesRead: counter.bytesRead, bytesTotal, findings });
        });
        break;
      } catch (error) {
        const conflict = violatedUniqueConstraint(error);
        const retryable = isRetryableTransactionError(error) || (conflict !== undefined && ASSET_IDENTITY_CONSTRAINTS.has(conflict));
        if (!input.path || attempt >= MAX_IMPORT_ATTEMPTS || !retryable) throw error;
        importLog.warn({ attempt, code: sqlState(error), constraint: conflict }, 'the import transaction conflicted with another import; importing the file again');
        await archive?.close();
        archive = undefined;
        counter.bytesRead = 0;
        counts = emptyImportCounts();
        await setTimeout(RETRY_DELAY_MS * attempt);
      }
    }

    if (!sha256) sha256 = hash.digest('hex');
    const durationMs = Date.now() - started;
    await db
      .update(imports)
      .set({
        status: 'succeeded',
        // Clears the error of a start-up check that took this import for an interrupted one.
        error: null,
        errorPosition: null,
        format,
        source: metadata.source,
        sha256,
        sizeBytes: fileSize ?? counter.bytesRead,
        counts,
        scannedAt: metadata.scannedAt ?? observedAtFallback,
        finishedAt: new Date(),
        durationMs,
      })
      .where(eq(imports.id, importId));
    importLog.info({ format, counts, durationMs }, 'import succeeded');
    // Dynamic tags follow the data. The import has committed, so a failure here is only logged.
    try {
      await refreshDynamicTags(db);
    } catch (error) {
      importLog.error({ err: error }, 'refreshing dynamic tags after the import failed');
    }
    try {
      await refreshRiskAcceptanceRules(db);
    } catch (error) {
      importLog.error({ err: error }, 'refreshing risk acceptance rules after the import failed');
    }
    return { importId, fileName: input.fileName, format, source: metadata.source, status: 'succeeded', counts, durationMs, sha256 };
  } catch (caught) {
    const error = caught instanceof ReportError ? caught.withFile(input.fileName) : undefined;
    const durationMs = Date.now() - started;
    const message = error ? error.message : `${input.fileName}: import failed because of an internal error (import ${importId}); see the server log`;
    if (error) importLog.warn({ code: error.code, position: error.position, detail: error.detail }, 'report rejected');
    else importLog.error({ err: caught }, 'import failed');

    await db
      .update(imports)
      .set({
        status: 'failed',
        format,
        source: metadata.source,
        sha256: sha256 || null,
        sizeBytes: fileSize ?? counter.bytesRead,
        error: message,
        errorPosition: error?.position ?? null,
        finishedAt: new Date(),
        durationMs,
      })
      .where(eq(imports.id, importId));
    return {
      importId,
      fileName: input.fileName,
      format,
      source: metadata.source,
      status: 'failed',
      counts: emptyImportCounts(),
      error: { code: error?.code ?? 'internal', message, position: error?.position },
      durationMs,
      sha256,
    };
  } finally {
    await stopHeartbeat();
    await archive?.close();
  }
}

async function insertImportRow(db: Db, input: ImportReportInput, assetName: string | undefined): Promise<number> {
  const [row] = await db
    .insert(imports)
    .values({ fileName: input.fileName, assetName, createdBy: input.userId, ...ownedByThisProcess() })
    .returning({ id: imports.id });
  if (!row) throw new Error('inserting the import log row returned nothing');
  return row.id;
}

export function maxImportBytes(): number {
  const configured = Number(process.env.RISKBOARD_MAX_IMPORT_BYTES);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_MAX_IMPORT_BYTES;
}

function chooseFormat(head: string, bytesRead: number): ReportFormat {
  if (bytesRead === 0 || head.trim().length === 0) throw new ReportError('empty', 'file is empty');
  const json = head.trim().replace(/\s+/g, '');
  if (json === 'null' || json === '{}' || json === '[]') {
    throw new ReportError('empty', `file is the JSON value ${json}, which holds no report; export the report from the scanner again`, { line: 1 });
  }
  const detected = detectFormat(head);
  if (!detected) {
    throw new ReportError(
      'unknown_format',
      `file matches none of the supported report formats (${Object.keys(parsers).join(', ')}); ` +
        'import a CSV of another layout with a connector profile, or name the format if detection is wrong',
    );
  }
  return detected;
}

/**
 * Returns when an earlier successful import of the same bytes was observed. Reports without a
 * scan date get that date again, so importing the same file twice changes nothing.
 */
async function previousObservation(db: Db, sha256: string): Promise<Date | undefined> {
  const [previous] = await db
    .select({ scannedAt: imports.scannedAt })
    .from(imports)
    .where(and(eq(imports.sha256, sha256), eq(imports.status, 'succeeded'), sql`${imports.scannedAt} is not null`))
    .orderBy(desc(imports.id))
    .limit(1);
  return previous?.scannedAt ?? undefined;
}

async function hashFile(path: string, maxBytes: number): Promise<{ sha256: string; size: number }> {
  const info = await stat(path);
  if (info.size > maxBytes) {
    throw new ReportError('too_large', `file is larger than the import limit of ${maxBytes} bytes; raise RISKBOARD_MAX_IMPORT_BYTES or split the report`);
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), size: info.size };
}

async function* hashing(bytes: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for await (const chunk of bytes) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Reads at least `size` characters (or all) for detection and returns a stream that replays them. */
async function peek(text: AsyncGenerator<string>, size: number): Promise<{ head: string; rest: AsyncIterable<string> }> {
  const buffered: string[] = [];
  let length = 0;
  while (length < size) {
    const next = await text.next();
    if (next.done) break;
    buffered.push(next.value);
    length += next.value.length;
  }

  async function* replay(): AsyncGenerator<string> {
    yield* buffered;
    yield* text;
  }
  return { head: buffered.join(''), rest: replay() };
}

