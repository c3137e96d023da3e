/**
 * Runs once when the Next.js server starts: opens the database, which applies migrations and, for
 * the embedded database, takes its folder for this process, so a CLI started later goes through
 * this server instead of opening the folder a second time. Then starts the background job worker
 * (lib/jobs/), which runs large imports.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;

  const { startServerDatabase } = await import('./lib/server/start-database');
  await startServerDatabase();

  const { startServerJobs } = await import('./lib/server/start-jobs');
  await startServerJobs();
}
