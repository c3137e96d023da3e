import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDb, type DbHandle } from '../../db/client';

/**
 * Opens an empty, migrated database for one test file: a fresh Postgres database when
 * DATABASE_URL is set (CI runs the suite that way), otherwise PGlite in memory. Both are copies
 * of the template that tests/setup/database-template.ts migrated once; the migrations still run
 * and find nothing to do. `close()` drops the Postgres database again.
 */
export async function createTestDb(): Promise<DbHandle> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const templatePath = inject('pgliteTemplatePath');
    const loadDataDir = templatePath ? new Blob([await readFile(templatePath)]) : undefined;
    return openDb({ dataDir: 'memory', loadDataDir });
  }

  const name = `riskboard_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const template = inject('postgresTemplate');
  await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDb({ databaseUrl: url.toString(), maxConnections: 4 });

  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Which database the suite runs on, for test names and skip messages. */
export const testDbKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
