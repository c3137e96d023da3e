import { randomBytes } from 'node:crypto';
import { getDb } from '../../db/client';
import { updateOwner } from '../../db/data-dir-lock';
import { dataDir } from '../config/paths';
import { logger } from '../log';

const log = logger.child({ module: 'server' });

/**
 * Opens the process-wide database in the web server and, for the embedded database, records the
 * port and a per-start token in the folder's lock file so the CLI can import through this server.
 */
export async function startServerDatabase(): Promise<void> {
  process.env.RISKBOARD_PROCESS_ROLE = 'server';
  process.env.RISKBOARD_LOCAL_TOKEN ??= randomBytes(32).toString('hex');

  try {
    await getDb();
  } catch (error) {
    log.fatal({ err: error }, 'could not open the database');
    throw error;
  }

  if (!process.env.DATABASE_URL) {
    const port = Number(process.env.PORT ?? 3000);
    updateOwner(dataDir(), { port, localToken: process.env.RISKBOARD_LOCAL_TOKEN });
  }
  log.info({ database: process.env.DATABASE_URL ? 'postgres' : 'pglite' }, 'database ready');
}
