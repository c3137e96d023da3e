import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { isLockNotAvailableError, isRetryableTransactionError, violatedUniqueConstraint } from '../../db/transaction-errors';
import { createTestDb, testDbKind } from '../helpers/test-db';

describe('retryable transaction errors', () => {
  it('accepts deadlocks and serialization failures', () => {
    expect(isRetryableTransactionError({ code: '40P01' })).toBe(true);
    expect(isRetryableTransactionError({ code: '40001' })).toBe(true);
  });

  it('follows a wrapped cause', () => {
    const wrapped = new Error('Failed query: update assets', { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) });
    expect(isRetryableTransactionError(wrapped)).toBe(true);
  });

  it('rejects other errors', () => {
    expect(isRetryableTransactionError({ code: '23505' })).toBe(false);
    expect(isRetryableTransactionError(new Error('40P01'))).toBe(false);
    expect(isRetryableTransactionError(undefined)).toBe(false);
    expect(isRetryableTransactionError('40P01')).toBe(false);
    // Node's own error codes are not SQLSTATEs.
    expect(isRetryableTransactionError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false);
  });
});

describe(`transaction errors from ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    await db.execute(sql`insert into app_settings (key, value) values ('test.row.a', '0'), ('test.row.b', '0')`);
  });

  afterAll(async () => {
    await handle?.close();
  });

  it.skipIf(testDbKind === 'pglite')('recognizes a real deadlock', async () => {
    let bothLocked: () => void = () => {};
    let lockedCount = 0;
    const ready = new Promise<void>((resolve) => {
      bothLocked = resolve;
    });
    const lockInOrder = (first: string, second: string) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`update app_settings set value = '1' where key = ${first}`);
        if (++lockedCount === 2) bothLocked();
        await ready;
        await tx.execute(sql`update app_settings set value = '2' where key = ${second}`);
      });

    const results = await Promise.allSettled([lockInOrder('test.row.a', 'test.row.b'), lockInOrder('test.row.b', 'test.row.a')]);
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    expect(failures).toHaveLength(1);
    expect(isRetryableTransactionError(failures[0])).toBe(true);
  });

  it.skipIf(testDbKind === 'pglite')('recognizes a NOWAIT lock failure', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let markLocked: () => void = () => {};
    const locked = new Promise<void>((resolve) => {
      markLocked = resolve;
    });
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`select key from app_settings where key = 'test.row.a' for update`);
      markLocked();
      await released;
    });
    await locked;
    const attempt = db.transaction(async (tx) => {
      await tx.execute(sql`select key from app_settings where key = 'test.row.a' for update nowait`);
    });
    const error = await attempt.then(() => undefined, (caught: unknown) => caught);
    release();
    await holder;
    expect(isLockNotAvailableError(error)).toBe(true);
    expect(isRetryableTransactionError(error)).toBe(false);
  });
});

describe(`unique violations from ${testDbKind}`, () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('names the violated constraint', async () => {
    const { db } = handle;
    await db.execute(sql`insert into assets (kind, name, agent_id, first_seen, last_seen) values ('host', 'first', 'agent-1', now(), now())`);

    const error = await db.execute(sql`insert into assets (kind, name, agent_id, first_seen, last_seen) values ('host', 'second', 'agent-1', now(), now())`).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(violatedUniqueConstraint(error)).toBe('assets_agent_id_key');
    expect(isRetryableTransactionError(error)).toBe(false);
  });

  it('ignores other errors', () => {
    expect(violatedUniqueConstraint({ code: '40P01', constraint_name: 'assets_agent_id_key' })).toBeUndefined();
    expect(violatedUniqueConstraint(new Error('duplicate key'))).toBeUndefined();
  });
});
