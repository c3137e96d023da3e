import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { closeDb, getDb, type Db } from '../../db/client';

/**
 * Points the process-wide database that route handlers open (`getDb()`) at a fresh database: a new
 * Postgres database when DATABASE_URL is set, else an embedded one in a temporary folder. Returns
 * the handle and a cleanup that closes and removes it.
 */
export async function openProcessDb(): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  delete process.env.NEXTAUTH_SECRET;
  delete process.env.RISKBOARD_LOCAL_TOKEN;
  const adminUrl = process.env.DATABASE_URL;

  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'riskboard-api-access-test-'));
    process.env.RISKBOARD_DATA_DIR = dataDir;
    const db = await getDb();
    return {
      db,
      cleanup: async () => {
        await closeDb();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }

  const name = `riskboard_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const db = await getDb();
  return {
    db,
    cleanup: async () => {
      await closeDb();
      process.env.DATABASE_URL = adminUrl;
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
