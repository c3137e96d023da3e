import { getDb } from '../../db/client';
import { startJobWorker } from '../jobs/job-worker';
import { JOB_KINDS } from '../jobs/kinds';
import { logger } from '../log';
import { startDailyMaintenance } from './start-maintenance';

/**
 * Starts this server process's background job worker (lib/jobs/), once. With Postgres every
 * server process runs one and they share the queue; the embedded database has only one process.
 */
export async function startServerJobs(): Promise<void> {
  const db = await getDb();
  const postgres = Boolean(process.env.DATABASE_URL);
  try {
    await startJobWorker(db, { kinds: JOB_KINDS, persistProgress: postgres, soleProcess: !postgres });
  } catch (error) {
    // The web app works without the worker; queued imports wait for the next start.
    logger.child({ module: 'server' }).error({ err: error }, 'could not start the background job worker; queued imports wait until the next start');
  }
  startDailyMaintenance();
}
