import type { ImportListItem } from '../imports/list-imports';
import { liveProgress } from './live-progress';

const GLOBAL_KEY = Symbol.for('riskboard.jobs.runningImports');

/**
 * Import rows of the background imports running in this process, read once when the job starts.
 * `getImport` reads from here, so a progress poll does not wait for the database that the
 * import's transaction holds (on the embedded database, the only connection). Kept on globalThis
 * because Next.js may load this module once per bundle.
 *
 * NOTE: access tokens are still checked against the database (lib/http/with-api.ts), so an API
 * client's poll waits for the import on the embedded database. Browser sessions and the local CLI do not.
 */
const runningImports: Map<number, { jobId: number; item: ImportListItem }> = ((globalThis as Record<symbol, unknown>)[GLOBAL_KEY] ??= new Map()) as Map<
  number,
  { jobId: number; item: ImportListItem }
>;

/** Records that this process runs the import `item` in job `jobId`. */
export function registerRunningImport(jobId: number, item: ImportListItem): void {
  runningImports.set(item.id, { jobId, item: { ...item, status: 'running' } });
}

/** Forgets a running import once its job has ended, so readers go back to the database. */
export function unregisterRunningImport(importId: number): void {
  runningImports.delete(importId);
}

/** True while this process runs a background import. */
export function hasRunningImports(): boolean {
  return runningImports.size > 0;
}

/** Returns a running import of this process with its newest progress, or undefined. */
export function runningImport(importId: number): ImportListItem | undefined {
  const entry = runningImports.get(importId);
  if (!entry) return undefined;
  const live = liveProgress.get(entry.jobId) ?? {};
  const bytesDone = live.bytesDone ?? entry.item.progress?.bytesDone ?? 0;
  const bytesTotal = live.bytesTotal ?? entry.item.progress?.bytesTotal ?? null;
  const records = live.records ?? entry.item.progress?.records ?? 0;
  const percent = bytesTotal ? Math.min(100, Math.floor((bytesDone / bytesTotal) * 100)) : null;
  return { ...entry.item, progress: { jobId: entry.jobId, bytesDone, bytesTotal, records, percent } };
}
