import type { Db } from '../../db/client';
import { imports } from '../../db/schema';
import type { AssetRecord, FindingRecord } from '../../lib/ingest/model';
import { ImportWriter } from '../../lib/ingest/writer';

/**
 * Writes records as one import of `source` would, through the real ImportWriter in one
 * transaction, so tests can name their own sources without writing report files.
 */
export async function writeRecords(db: Db, source: string, observedAt: Date, assets: AssetRecord[], findings: Omit<FindingRecord, 'raw'>[]): Promise<number> {
  const [row] = await db.insert(imports).values({ fileName: `${source}.test`, source, status: 'succeeded', scannedAt: observedAt }).returning({ id: imports.id });
  if (!row) throw new Error('no import row');
  await db.transaction(async (tx) => {
    const writer = new ImportWriter(tx, { importId: row.id, source, observedAt });
    for (const asset of assets) await writer.addAsset(asset);
    for (const finding of findings) await writer.addFinding({ raw: {}, ...finding });
    await writer.finish();
  });
  return row.id;
}

export const HOST: AssetRecord = { reportKey: 'h', kind: 'host', name: 'web-01.example.test', fqdn: 'web-01.example.test', ipv4: ['192.0.2.10'] };
