/**
 * Runs once when the Next.js server starts: opens the database, which applies migrations and, for
 * the embedded database, takes its folder for this process, so a CLI started later goes through
 * this server instead of opening the folder a second time.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;

  const { startServerDatabase } = await import('./lib/server/start-database');
  await startServerDatabase();
}
