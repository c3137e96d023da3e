import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { logger } from '../log';
import { JobError, type JobKind, type JobProgress } from './job-kind';
import { claimNextJob, completeJob, failInterruptedJobs, failJob, saveProgress, workerId } from './job-store';
import { liveProgress } from './live-progress';

/** Progress is written to the jobs row at most this often. */
export const PROGRESS_INTERVAL_MS = 500;
/** A running job's row is touched at least this often, so other processes can tell it is alive. */
const HEARTBEAT_INTERVAL_MS = 10_000;
/** A running job whose heartbeat is older than this belongs to a process that died. */
export const STALE_AFTER_MS = 120_000;
const DEFAULT_POLL_INTERVAL_MS = 2_000;

// Job kinds differ in payload and result types; the worker only passes them through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJobKind = JobKind<any, any>;

export interface JobWorkerOptions {
  kinds: readonly AnyJobKind[];
  /**
   * True on Postgres. On the embedded database a job's transaction keeps the only connection, so
   * progress stays in memory while the job runs and is written when it ends.
   */
  persistProgress: boolean;
  /** True when this process is the only one using the database (the embedded database). */
  soleProcess: boolean;
  pollIntervalMs?: number;
}

/**
 * Runs queued jobs one at a time in this process: claims the oldest, runs its handler, records the
 * outcome. It polls every few seconds and wakes at once when this process queues a job.
 *
 * NOTE: on the embedded database (PGlite) a job runs in the server process and its transaction
 * keeps the only connection, so pages and API calls that read the database wait until the job ends
 * (10 to 40 s for a 50 MB report). Only import progress is answered from memory
 * (lib/jobs/running-imports.ts), and only to the local CLI, whose token check reads no database.
 * The README recommends Postgres (`DATABASE_URL`) for large reports.
 */
export class JobWorker {
  private readonly kinds: Map<string, AnyJobKind>;
  private readonly log: Logger;
  private readonly id = workerId();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastStaleSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly options: JobWorkerOptions,
  ) {
    this.kinds = new Map(options.kinds.map((kind) => [kind.kind, kind]));
    this.log = logger.child({ module: 'jobs', workerId: this.id });
  }

  /** Fails the jobs a dead process left running, then starts polling. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.recoverInterrupted(this.options.soleProcess);
    this.running = true;
    this.loop = this.run();
    this.log.info({ kinds: [...this.kinds.keys()] }, 'job worker started');
  }

  /** Stops after the job in hand, if any, has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Makes the worker look for a job now instead of at its next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Claims and runs one job; returns false when none was queued. For tests and the loop. */
  async runOnce(): Promise<boolean> {
    const job = await claimNextJob(this.db, [...this.kinds.keys()], this.id);
    if (!job) return false;
    const kind = this.kinds.get(job.kind);
    if (!kind) return true; // unreachable: only registered kinds are claimed
    await this.execute(kind, job.id, job.payload);
    return true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.options.soleProcess && Date.now() - this.lastStaleSweep > STALE_AFTER_MS / 2) await this.recoverInterrupted(false);
        if (await this.runOnce()) continue;
      } catch (error) {
        this.log.error({ err: error }, 'job worker poll failed; retrying');
      }
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
        this.timer.unref?.();
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
    }
  }

  private async recoverInterrupted(allRunning: boolean): Promise<void> {
    this.lastStaleSweep = Date.now();
    const failed = await failInterruptedJobs(this.db, { allRunning, staleAfterMs: STALE_AFTER_MS });
    for (const job of failed) {
      this.log.warn({ jobId: job.id, kind: job.kind, workerId: job.workerId }, 'marked a job interrupted by a stopped process as failed');
      const kind = this.kinds.get(job.kind);
      const parsed = kind?.payload.safeParse(job.payload);
      if (kind?.onFailed && parsed?.success) {
        await kind.onFailed(this.db, job.id, parsed.data, { message: job.error ?? 'interrupted' }).catch((error: unknown) => {
          this.log.error({ err: error, jobId: job.id }, 'recording the interrupted job on its own records failed');
        });
      }
    }
  }

  private async execute(kind: AnyJobKind, jobId: number, payload: unknown): Promise<void> {
    const log = this.log.child({ jobId, kind: kind.kind });
    const started = Date.now();
    const latest: JobProgress = {};
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();

    const persist = () => {
      if (!this.options.persistProgress) return;
      lastWrite = Date.now();
      const snapshot = { ...latest };
      // One write at a time; a write is never awaited by the handler.
      writing = writing.then(() => saveProgress(this.db, jobId, snapshot)).catch((error: unknown) => log.warn({ err: error }, 'saving job progress failed'));
    };
    const heartbeat = setInterval(() => {
      if (Date.now() - lastWrite >= HEARTBEAT_INTERVAL_MS) persist();
    }, HEARTBEAT_INTERVAL_MS);
    heartbeat.unref?.();

    liveProgress.set(jobId, latest);
    try {
      const parsed = kind.payload.safeParse(payload);
      if (!parsed.success) throw new JobError(`the job's payload is not valid for ${kind.kind} jobs: ${parsed.error.message}`);
      log.info('job started');
      const result = await kind.run(
        {
          db: this.db,
          jobId,
          log,
          progress: (progress) => {
            Object.assign(latest, progress);
            if (Date.now() - lastWrite >= PROGRESS_INTERVAL_MS) persist();
          },
        },
        parsed.data,
      );
      clearInterval(heartbeat);
      await writing;
      await completeJob(this.db, jobId, result, latest);
      log.info({ durationMs: Date.now() - started }, 'job succeeded');
    } catch (caught) {
      clearInterval(heartbeat);
      await writing;
      const error =
        caught instanceof JobError
          ? { message: caught.message, position: caught.position }
          : { message: `the job failed because of an internal error (job ${jobId}); see the server log` };
      if (caught instanceof JobError) log.warn({ error: caught.message, position: caught.position }, 'job failed');
      else log.error({ err: caught }, 'job failed');
      await failJob(this.db, jobId, error, latest).catch((failure: unknown) => log.error({ err: failure }, 'recording the job failure failed'));
      const parsed = kind.payload.safeParse(payload);
      if (kind.onFailed && parsed.success) {
        await kind.onFailed(this.db, jobId, parsed.data, error).catch((failure: unknown) => log.error({ err: failure }, 'recording the job failure on its own records failed'));
      }
    } finally {
      liveProgress.delete(jobId);
    }
  }
}

const GLOBAL_KEY = Symbol.for('riskboard.jobs.worker');

/**
 * Starts this process's worker once; later calls return the same one. The server calls it from
 * instrumentation.ts after opening the database.
 */
export async function startJobWorker(db: Db, options: JobWorkerOptions): Promise<JobWorker> {
  const store = globalThis as Record<symbol, Promise<JobWorker> | undefined>;
  const existing = store[GLOBAL_KEY];
  if (existing) return existing;
  const worker = new JobWorker(db, options);
  const started = worker.start().then(() => worker);
  store[GLOBAL_KEY] = started;
  started.catch(() => {
    store[GLOBAL_KEY] = undefined;
  });
  return started;
}

/** Wakes this process's worker, if it runs one, so a job just queued starts without a poll delay. */
export function wakeJobWorker(): void {
  const store = globalThis as Record<symbol, Promise<JobWorker> | undefined>;
  void store[GLOBAL_KEY]?.then((worker) => worker.wake());
}

/** Stops this process's worker, if any; for tests and shutdown. */
export async function stopJobWorker(): Promise<void> {
  const store = globalThis as Record<symbol, Promise<JobWorker> | undefined>;
  const existing = store[GLOBAL_KEY];
  store[GLOBAL_KEY] = undefined;
  if (existing) await (await existing).stop();
}
