import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '../../db/client';
import type { JobErrorPosition } from '../../db/schema';

/** How far a job has come; bytes for work that reads a file, records for anything countable. */
export interface JobProgress {
  bytesDone?: number;
  bytesTotal?: number;
  records?: number;
}

/** Context passed to a handler besides its payload. */
export interface JobContext {
  db: Db;
  jobId: number;
  /** Logger carrying the job id and kind. */
  log: Logger;
  /**
   * Records progress. Cheap to call as often as wanted: the latest value is kept in memory at
   * once and written to the jobs row at most every ~500 ms, never awaited by the handler.
   */
  progress(progress: JobProgress): void;
}

/**
 * An error whose message is meant for users, with the position it happened at. Any other error
 * a handler throws is logged in full and shown as an internal error.
 */
export class JobError extends Error {
  constructor(
    message: string,
    readonly position?: JobErrorPosition,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

/**
 * One kind of background work. The payload is validated with `payload` when the job is queued
 * and again when it runs, so a job queued by an older version fails clearly instead of running
 * on data it does not understand.
 */
export interface JobKind<Payload extends Record<string, unknown> = Record<string, unknown>, Result extends Record<string, unknown> = Record<string, unknown>> {
  kind: string;
  payload: z.ZodType<Payload>;
  /**
   * Jobs that read files on this machine (uploads) must run on it; the runner then claims them
   * only in processes on the same host. Defaults to false.
   */
  localFiles?: boolean;
  run(context: JobContext, payload: Payload): Promise<Result>;
  /** Called after the job failed, e.g. to mark the import it ran as failed too; errors are logged. */
  onFailed?(db: Db, jobId: number, payload: Payload, error: { message: string; position?: JobErrorPosition }): Promise<void>;
}

/** Declares a job kind with its payload type inferred from the schema. */
export function defineJobKind<Payload extends Record<string, unknown>, Result extends Record<string, unknown>>(kind: JobKind<Payload, Result>): JobKind<Payload, Result> {
  return kind;
}
