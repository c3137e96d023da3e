import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { vulnerabilities } from '../../db/schema';
import type { FindingRecord } from '../../lib/ingest/model';
import { CatalogCache, upsertCatalog } from '../../lib/ingest/store/catalog-store';
import { createTestDb, testDbKind } from '../helpers/test-db';

function finding(overrides: Partial<FindingRecord>): FindingRecord {
  return { assetKey: 'h', type: 'vulnerability', title: 'Log4Shell', severity: 5, cveId: 'CVE-2021-44228', raw: {}, ...overrides };
}

describe(`CVE catalog upserts on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('fills missing values and keeps stored ones', async () => {
    await db.transaction((tx) => upsertCatalog(tx, [finding({ cvss3BaseScore: 10 })], new CatalogCache()));
    await db.transaction((tx) => upsertCatalog(tx, [finding({ cvss3BaseScore: 9, cvss2BaseScore: 9.3 })], new CatalogCache()));
    const [row] = await db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, 'CVE-2021-44228'));
    expect(row?.cvss3BaseScore).toBe(10);
    expect(row?.cvss2BaseScore).toBeCloseTo(9.3);
  });

  it.skipIf(testDbKind === 'pglite')('does not lock a CVE row it has nothing to add to', async () => {
    await db.transaction((tx) => upsertCatalog(tx, [finding({ cveId: 'CVE-2014-0160', cvss3BaseScore: 7.5 })], new CatalogCache()));

    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let markWritten: () => void = () => {};
    const written = new Promise<void>((resolve) => {
      markWritten = resolve;
    });
    const first = db.transaction(async (tx) => {
      await upsertCatalog(tx, [finding({ cveId: 'CVE-2014-0160', cvss3BaseScore: 7.5 })], new CatalogCache());
      markWritten();
      await released;
    });
    await written;
    try {
      // ON CONFLICT DO UPDATE would wait for the first transaction's row lock and time out here.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '1s'`);
        await upsertCatalog(tx, [finding({ cveId: 'CVE-2014-0160', cvss3BaseScore: 7.5 })], new CatalogCache());
      });
    } finally {
      release();
      await first;
    }
  });
});
