import type { JobProgress } from './job-kind';

const GLOBAL_KEY = Symbol.for('riskboard.jobs.liveProgress');

/**
 * Progress of the jobs running in this process, newest first. Readers overlay it on the jobs row,
 * which is written only every ~500 ms, and on the embedded database not at all while the job's
 * transaction holds the single connection. Kept on globalThis because Next.js may load this
 * module once per bundle.
 */
export const liveProgress: Map<number, JobProgress> = ((globalThis as Record<symbol, unknown>)[GLOBAL_KEY] ??= new Map<number, JobProgress>()) as Map<number, JobProgress>;
