import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { imports, type ImportCounts } from '../../db/schema';
import type { AssetRecord } from '../../lib/ingest/model';
import { ImportWriter } from '../../lib/ingest/writer';
import { createTestDb, testDbKind } from '../helpers/test-db';

// The writer matches assets in batches of 500, so a host that a report lists again after 600
// other hosts lands in another batch. It must still count once.

const OBSERVED_AT = new Date('2026-05-04T10:00:00Z');

function hosts(count: number): AssetRecord[] {
  return Array.from({ length: count }, (_, index) => ({ reportKey: `h${index}`, kind: 'host', name: `host-${index}.example.test`, fqdn: `host-${index}.example.test` }));
}

async function importAssets(db: Db, records: AssetRecord[]): Promise<ImportCounts> {
  const [row] = await db.insert(imports).values({ fileName: 'hosts.test', source: 'counts-test', status: 'succeeded', scannedAt: OBSERVED_AT }).returning({ id: imports.id });
  if (!row) throw new Error('inserting the import row returned nothing');
  return db.transaction(async (tx) => {
    const writer = new ImportWriter(tx, { importId: row.id, source: 'counts-test', observedAt: OBSERVED_AT });
    for (const record of records) await writer.addAsset(record);
    return writer.finish();
  });
}

describe(`asset counts across batches on ${testDbKind}`, () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('counts a repeated new host once', async () => {
    const records = hosts(600);
    const repeated = { ...records[0], reportKey: 'again' } as AssetRecord;

    const counts = await importAssets(handle.db, [...records, repeated]);

    expect(counts.assetsCreated).toBe(600);
    expect(counts.assetsUnchanged).toBe(0);
    expect(counts.skipped?.['host listed twice in the report; merged into one']).toBe(1);
  });

  it('counts a repeated known host once', async () => {
    const records = hosts(600);
    const repeated = { ...records[0], reportKey: 'again' } as AssetRecord;

    const counts = await importAssets(handle.db, [...records, repeated]);

    expect(counts.assetsCreated).toBe(0);
    expect(counts.assetsUnchanged).toBe(600);
  });

  it('counts an unchanged host updated later as updated', async () => {
    const records = hosts(600);
    const changed = { ...records[0], reportKey: 'again', ipv4: ['192.0.2.77'] } as AssetRecord;

    const counts = await importAssets(handle.db, [...records, changed]);

    expect(counts.assetsUpdated).toBe(1);
    expect(counts.assetsUnchanged).toBe(599);
  });
});
