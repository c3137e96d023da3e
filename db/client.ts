import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { dataDir, migrationsDir } from '../lib/config/paths';
import { logger } from '../lib/log';
import { acquireDataDir, releaseDataDir, type DataDirOwner } from './data-dir-lock';
import * as schema from './schema';

/** The one database type every query is written against; it runs unchanged on Postgres and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction handle; functions that must run inside an import's transaction take this. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** Postgres connection string; when absent the embedded database is used. */
  databaseUrl?: string;
  /** PGlite folder; `memory` keeps the database in memory (tests). */
  dataDir?: string | 'memory';
  /** Who takes the PGlite folder; ignored for Postgres and for memory. */
  role?: DataDirOwner['role'];
  /** Maximum Postgres connections of this process. */
  maxConnections?: number;
  /** Dump of a PGlite data folder to start an in-memory database from (tests copy a migrated template). */
  loadDataDir?: Blob;
}

const log = logger.child({ module: 'db' });

/**
 * Opens a database and applies pending migrations. Most code calls `getDb()` instead, which keeps
 * one handle per process; tests and the CLI open their own.
 */
export async function openDb(options: OpenDbOptions = {}): Promise<DbHandle> {
  const handle = options.databaseUrl ? openPostgres(options.databaseUrl, options.maxConnections ?? 10) : await openPglite(options);
  try {
    await runMigrations(handle, options.databaseUrl);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

function openPostgres(url: string, maxConnections: number): DbHandle {
  const client = postgres(url, { max: maxConnections, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(options: OpenDbOptions): Promise<DbHandle> {
  const dir = options.dataDir ?? dataDir();
  if (dir === 'memory') {
    const client = new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    await client.waitReady;
    const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
    return { db, kind: 'pglite', close: () => client.close() };
  }

  acquireDataDir(dir, { role: options.role ?? 'cli' });
  // Files PGlite creates from now on are private to this user, as Postgres's own are.
  process.umask(0o077);
  try {
    const client = new PGlite(dir);
    await client.waitReady;
    const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
    log.info({ dataDir: dir }, 'opened embedded database');
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await client.close();
        releaseDataDir(dir);
      },
    };
  } catch (error) {
    releaseDataDir(dir);
    throw error;
  }
}

/**
 * Applies the committed migrations. On Postgres they run over one dedicated connection holding an
 * advisory lock, so processes that start at the same time take turns: drizzle's migrator has no
 * lock of its own.
 */
async function runMigrations(handle: DbHandle, databaseUrl: string | undefined): Promise<void> {
  const config = { migrationsFolder: migrationsDir() };
  if (handle.kind === 'pglite' || !databaseUrl) {
    await migratePglite(handle.db as unknown as Parameters<typeof migratePglite>[0], config);
    return;
  }

  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres(client), config);
  } finally {
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => undefined);
    await client.end({ timeout: 5 });
  }
}

const MIGRATION_LOCK_ID = 7291044;

interface ProcessDb {
  handle: Promise<DbHandle>;
}

// One handle per process, kept on globalThis because Next.js may load this module more than once
// (route handlers and server components are separate bundles), and a second PGlite instance on
// the same folder would corrupt it.
const GLOBAL_KEY = Symbol.for('riskboard.db');

/** Returns the process-wide database, opening it (and migrating) on first use. */
export async function getDb(): Promise<Db> {
  const store = globalThis as unknown as Record<symbol, ProcessDb | undefined>;
  let entry = store[GLOBAL_KEY];
  if (!entry) {
    const role = process.env.RISKBOARD_PROCESS_ROLE === 'server' ? 'server' : 'cli';
    entry = { handle: openDb({ databaseUrl: process.env.DATABASE_URL || undefined, role }) };
    store[GLOBAL_KEY] = entry;
    entry.handle.catch(() => {
      // A failed open must not stick: the next call tries again, e.g. after the CLI has exited.
      store[GLOBAL_KEY] = undefined;
    });
  }
  return (await entry.handle).db;
}

/** Closes the process-wide database, if it was opened. */
export async function closeDb(): Promise<void> {
  const store = globalThis as unknown as Record<symbol, ProcessDb | undefined>;
  const entry = store[GLOBAL_KEY];
  store[GLOBAL_KEY] = undefined;
  if (entry) await (await entry.handle).close();
}
