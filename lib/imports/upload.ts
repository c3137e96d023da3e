import { createWriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { importReport, maxImportBytes, type ImportSummary } from '../ingest/import-report';
import { ensureJobFilesDir, inlineImportBytes, queueImport, type QueuedImport } from './import-job';
import { FORMATS, type ReportFormat } from '../ingest/model';
import { AppError } from '../http/app-error';
import { ReportError } from '../ingest/report-error';
import { ASSET_NAME_MAX_LENGTH, parseAssetName } from '../ingest/asset-name-schema';

/**
 * Room for multipart boundaries, part headers and the `format` field on top of the file itself
 * when checking Content-Length. importReport enforces the exact file size while reading.
 */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

const MAX_FILE_NAME_LENGTH = 255;
/** Longest connector profile name (lib/connector-profiles/profile-schema.ts). */
const MAX_PROFILE_NAME_LENGTH = 100;

const formatSchema = z.enum(FORMATS);

/** An upload imported at once (its summary), or queued for a background job. */
export type UploadResult = ImportSummary | QueuedImport;

export interface UploadOptions {
  userId?: number;
  log: Logger;
}

/**
 * Reads a multipart/form-data upload (field `file`, optional `format`, `profile` and `assetName`
 * before or after it), writes the file to disk without buffering it in memory, and imports it once
 * the whole body has been read. Throws AppError `payload_too_large` when
 * Content-Length exceeds the import limit, and `invalid_input` for a request that is not
 * multipart, has no `file` field, names an unknown format, has an invalid asset name, or ends
 * before the file is complete.
 * A report that is rejected while importing is returned as a summary with `status: 'failed'`; a
 * large one is returned as `status: 'queued'` and imported by a background job.
 */
export async function importUpload(db: Db, request: Request, options: UploadOptions): Promise<UploadResult> {
  const maxBytes = maxImportBytes();
  const declaredLength = Number(request.headers.get('content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + MULTIPART_OVERHEAD_BYTES) {
    throw new AppError(
      'payload_too_large',
      `the upload is ${declaredLength} bytes, more than the import limit of ${maxBytes} bytes; raise RISKBOARD_MAX_IMPORT_BYTES or split the report`,
    );
  }

  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data') || !request.body) {
    throw new AppError('invalid_input', 'send the report as multipart/form-data with the file in a field named "file"');
  }

  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 10, fieldSize: 1024, parts: 20 } });
  } catch (error) {
    throw new AppError('invalid_input', `the multipart request is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }

  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  return readMultipart(db, body, parser, options);
}

function readMultipart(db: Db, body: Readable, parser: busboy.Busboy, options: UploadOptions): Promise<UploadResult> {
  const { log } = options;

  return new Promise<UploadResult>((resolve, reject) => {
    let format: ReportFormat | undefined;
    let profile: string | undefined;
    let assetName: string | undefined;
    let formatError: AppError | undefined;
    let fileName = 'upload';
    let spooling: Promise<SpooledUpload> | undefined;
    let fileComplete = false;
    let settled = false;

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const importInput = () => ({ fileName, format, profile, assetName, userId: options.userId });
    /** Removes the spooled file of a request that fails before its import starts. */
    const discardSpool = () => {
      void spooling?.then(
        (spooled) => (spooled.path ? rm(spooled.path, { force: true }) : undefined),
        () => undefined,
      );
    };

    // Fields may come before or after the file: the file is only written to disk while the body
    // streams in, and the import starts once the whole body has been read.
    parser.on('field', (name, value, info) => {
      if (name === 'assetName') {
        if (info.valueTruncated) formatError = new AppError('invalid_input', `the assetName field is longer than ${ASSET_NAME_MAX_LENGTH} characters; shorten it`);
        else {
          const parsed = parseAssetName(value);
          if (parsed.error === undefined) assetName = parsed.name;
          else formatError = new AppError('invalid_input', `${parsed.error} (field assetName)`);
        }
        return;
      }
      if (name === 'profile') {
        if (value.trim().length > MAX_PROFILE_NAME_LENGTH) formatError = new AppError('invalid_input', `profile names are at most ${MAX_PROFILE_NAME_LENGTH} characters; check the profile field`);
        else profile = value.trim() || undefined;
        return;
      }
      if (name !== 'format') return;
      if (value === '' || value === 'auto') {
        format = undefined;
        return;
      }
      const parsed = formatSchema.safeParse(value);
      if (parsed.success) format = parsed.data;
      else formatError = new AppError('invalid_input', `format "${value.slice(0, 64)}" is not supported; use one of ${FORMATS.join(', ')}, or leave it empty to detect the format`);
    });

    parser.on('file', (name, file, info) => {
      if (name !== 'file' || spooling || formatError) {
        file.resume();
        return;
      }
      fileName = uploadFileName(info.filename);
      spooling = spoolUpload(file);
      spooling.then(
        (spooled) => {
          fileComplete = true;
          if (!spooled.tooLarge) return;
          // The rest of the body is not read, so the oversized report is recorded as rejected
          // now, with the fields sent before the file.
          settle(() => importReport(db, { ...importInput(), bytes: tooLargeReport(maxImportBytes()), maxBytes: maxImportBytes() }).then(resolve, reject));
        },
        (error: unknown) => {
          log.info({ err: error }, 'multipart upload failed while writing the file');
          settle(() => reject(new AppError('invalid_input', `the upload ended before the file was complete: ${error instanceof Error ? error.message : String(error)}`)));
        },
      );
    });

    parser.on('close', () => {
      if (!spooling) {
        settle(() =>
          reject(formatError ?? new AppError('invalid_input', 'the request has no field named "file"; send the report as multipart/form-data field "file"')),
        );
        return;
      }
      spooling.then(
        (spooled) => {
          if (spooled.path === undefined || settled) return;
          if (formatError) {
            discardSpool();
            settle(() => reject(formatError));
            return;
          }
          const spooledPath = spooled.path;
          settle(() => importSpooled(db, spooledPath, spooled.sizeBytes, importInput()).then(resolve, reject));
        },
        () => undefined,
      );
    });

    const onStreamError = (error: Error) => {
      log.info({ err: error }, 'multipart upload failed');
      if (settled) return;
      discardSpool();
      const message = spooling && !fileComplete ? 'the upload ended before the file was complete' : 'the multipart request is invalid';
      settle(() => reject(new AppError('invalid_input', `${message}: ${error.message}`)));
    };
    parser.on('error', onStreamError);
    body.on('error', onStreamError);

    body.pipe(parser);
  });
}

/** An upload written to disk (`path`), or one that exceeded the import limit and was discarded. */
type SpooledUpload = { path: string; sizeBytes: number; tooLarge?: undefined } | { path?: undefined; sizeBytes: number; tooLarge: true };

/**
 * Writes the upload to a private file under the data folder, stopping at the import limit. Rejects
 * when the file stream fails, for example when the request ends mid-file. In both failures the
 * partial file is removed.
 */
async function spoolUpload(file: Readable): Promise<SpooledUpload> {
  // Busboy destroys the file stream when the request ends mid-file, which may happen while the
  // folder is created and before pipeline listens for errors.
  let earlyError: Error | undefined;
  const recordEarlyError = (error: Error) => {
    earlyError = error;
  };
  file.once('error', recordEarlyError);
  const spooled = path.join(await ensureJobFilesDir(), `upload-${randomUUID()}`);
  file.off('error', recordEarlyError);
  if (earlyError) throw earlyError;
  const maxBytes = maxImportBytes();
  let written = 0;
  let tooLarge = false;

  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      if (written > maxBytes) {
        tooLarge = true;
        callback(new Error('upload exceeds the import limit'));
        return;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(file, limit, createWriteStream(spooled, { mode: 0o600 }));
    return { path: spooled, sizeBytes: written };
  } catch (error) {
    await rm(spooled, { force: true });
    if (tooLarge) return { sizeBytes: written, tooLarge: true };
    throw error;
  }
}

/**
 * Imports a spooled upload: at once when it is at most RISKBOARD_INLINE_IMPORT_BYTES (5 MB by
 * default), or else by a background job that this returns as queued. Importing from disk lets
 * importReport hash the whole file first, so uploading the same report twice changes nothing even
 * when the report carries no scan date.
 */
async function importSpooled(
  db: Db,
  spooled: string,
  sizeBytes: number,
  input: { fileName: string; format?: ReportFormat; profile?: string; assetName?: string; userId?: number },
): Promise<UploadResult> {
  let queued = false;
  try {
    if (sizeBytes > inlineImportBytes()) {
      const result = await queueImport(db, { ...input, filePath: spooled, sizeBytes });
      queued = true;
      return result;
    }
    return await importReport(db, { ...input, path: spooled });
  } finally {
    // A queued import's job reads the file and removes it when it ends.
    if (!queued) await rm(spooled, { force: true });
  }
}

/** A byte stream that fails as an oversized report does, so the rejection is logged like any other. */
async function* tooLargeReport(maxBytes: number): AsyncGenerator<Uint8Array> {
  throw new ReportError('too_large', `file is larger than the import limit of ${maxBytes} bytes; raise RISKBOARD_MAX_IMPORT_BYTES or split the report`);
}

/** Keeps the base name of an uploaded file, as browsers on Windows may send a full path. */
function uploadFileName(sent: string | undefined): string {
  const base = (sent ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_FILE_NAME_LENGTH);
  return cleaned || 'upload';
}
