import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { findings } from '../../db/schema';
import { importReport } from '../../lib/ingest/import-report';
import { createTestDb, testDbKind } from '../helpers/test-db';

// When Postgres aborts an import's transaction because it deadlocked with another import, the
// import runs again from the file. A trigger raises the deadlock's SQLSTATE on the first inserts of
// findings. It counts with a sequence, which a rollback does not reset.

const REPORT = path.join(__dirname, '../fixtures/ingest/nessus-two-hosts.nessus');

/** Makes the first `failures` inserts of findings fail with `error` (by default a deadlock). */
async function failFirstInserts(db: Db, failures: number, error = `'simulated deadlock' using errcode = '40P01'`): Promise<void> {
  await db.execute(sql`drop trigger if exists simulated_deadlock on findings`);
  await db.execute(sql`drop sequence if exists simulated_deadlock_calls`);
  await db.execute(sql`create sequence simulated_deadlock_calls`);
  await db.execute(
    sql.raw(`
      create or replace function simulated_deadlock() returns trigger language plpgsql as $$
      begin
        if nextval('simulated_deadlock_calls') <= ${failures} then
          raise exception ${error};
        end if;
        return null;
      end $$`),
  );
  await db.execute(sql`create trigger simulated_deadlock after insert on findings for each statement execute function simulated_deadlock()`);
}

async function findingCount(db: Db): Promise<number> {
  const [row] = await db.select({ value: count() }).from(findings);
  return row?.value ?? 0;
}

describe(`import retry after a deadlock on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  beforeEach(async () => {
    await db.execute(sql`delete from assets`);
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('imports a file again after a deadlock', async () => {
    await failFirstInserts(db, 1);

    const summary = await importReport(db, { fileName: 'nessus-two-hosts.nessus', path: REPORT });

    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.findingsNew).toBeGreaterThan(0);
    expect(await findingCount(db)).toBe(summary.counts.findingsNew);
  });

  it('imports a file again after another import took its agent id', async () => {
    await failFirstInserts(db, 1, `'duplicate key value' using errcode = '23505', constraint = 'assets_agent_id_key'`);

    const summary = await importReport(db, { fileName: 'nessus-two-hosts.nessus', path: REPORT });

    expect(summary.status).toBe('succeeded');
  });

  it('does not retry other unique violations', async () => {
    await failFirstInserts(db, 1, `'duplicate key value' using errcode = '23505', constraint = 'findings_asset_type_identity_key'`);

    const summary = await importReport(db, { fileName: 'nessus-two-hosts.nessus', path: REPORT });

    expect(summary.status).toBe('failed');
  });

  it('gives up after four aborted runs', async () => {
    await failFirstInserts(db, 4);

    const summary = await importReport(db, { fileName: 'nessus-two-hosts.nessus', path: REPORT });

    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('internal');
    expect(await findingCount(db)).toBe(0);
  });

  it('does not retry bytes it cannot read again', async () => {
    await failFirstInserts(db, 1);
    const text = await readFile(REPORT);

    const summary = await importReport(db, {
      fileName: 'nessus-two-hosts.nessus',
      bytes: (async function* () {
        yield new Uint8Array(text);
      })(),
    });

    expect(summary.status).toBe('failed');
    expect(await findingCount(db)).toBe(0);
  });
});
