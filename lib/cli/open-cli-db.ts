import { openDb, type DbHandle } from '../../db/client';
import { readOwner } from '../../db/data-dir-lock';
import { dataDir } from '../config/paths';

export type CliDatabase = { kind: 'direct'; handle: DbHandle } | { kind: 'server'; url: string; localToken: string; pid: number };

/**
 * Opens the database for a CLI command. With the embedded database, a running Riskboard server
 * owns the folder and a second process must not open it: the command then goes through that
 * server's API when it can, and is rejected with a clear message when it cannot.
 */
export async function openCliDatabase(options: { viaServer: boolean }): Promise<CliDatabase> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl) {
    const owner = readOwner(dataDir());
    if (owner?.role === 'server') {
      if (options.viaServer && owner.port && owner.localToken) {
        return { kind: 'server', url: `http://127.0.0.1:${owner.port}`, localToken: owner.localToken, pid: owner.pid };
      }
      throw new Error(
        `the Riskboard server (pid ${owner.pid}) has the embedded database in ${dataDir()} open; stop it first, or run this command against Postgres with DATABASE_URL`,
      );
    }
  }
  return { kind: 'direct', handle: await openDb({ databaseUrl, role: 'cli' }) };
}
