import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assetIdentifiers } from '../../lib/ingest/asset-identifiers';
import { createTestDb, testDbKind } from '../helpers/test-db';

const HOST = { kind: 'host', name: '192.0.2.10', fqdn: null, hostname: null, ipv4: [], ipv6: [], agentId: null, cloudInstanceId: null };

describe('asset identifiers', () => {
  it('lists every matching identifier of a host, sorted', () => {
    const keys = assetIdentifiers({ ...HOST, fqdn: 'Web-01.Example.Test', hostname: 'WEB-01', ipv4: ['192.0.2.10', '192.0.2.10'], ipv6: ['2001:db8::1'], agentId: 'A-1', cloudInstanceId: 'i-0abc' });
    expect(keys).toEqual(['agent:A-1', 'cloud:i-0abc', 'fqdn:web-01.example.test', 'hostname:web-01', 'ip:192.0.2.10', 'ip:2001:db8::1']);
  });

  it('names other kinds by kind and name only', () => {
    const keys = assetIdentifiers({ ...HOST, kind: 'container_image', name: '  Registry.Example.Test/App:1 ', ipv4: ['192.0.2.10'], fqdn: 'app.example.test' });
    expect(keys).toEqual(['name:container_image:registry.example.test/app:1']);
  });

  it('skips empty values', () => {
    expect(assetIdentifiers({ ...HOST, fqdn: '', hostname: '', ipv4: [''], agentId: '' })).toEqual([]);
  });
});

describe(`asset identifier backfill on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('registers what assetIdentifiers returns, giving a shared key to the asset seen last', async () => {
    await db.execute(sql`
      insert into assets (kind, name, fqdn, hostname, ipv4, ipv6, agent_id, cloud_instance_id, first_seen, last_seen) values
        ('host', 'web-01.example.test', 'Web-01.Example.Test', 'web-01', '{192.0.2.10}', '{2001:db8::1}', 'agent-1', null, '2026-03-01', '2026-03-01'),
        ('host', '192.0.2.10', null, '', '{192.0.2.10,192.0.2.11}', '{}', null, 'i-0abc', '2026-03-02', '2026-03-02'),
        ('container_image', ' Registry.Example.Test/App:1 ', null, null, '{192.0.2.12}', '{}', null, null, '2026-03-02', '2026-03-02')
    `);
    const migration = await readFile(path.join(process.cwd(), 'db/migrations/0016_asset_identifiers.sql'), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').find((statement) => statement.includes('INSERT INTO "asset_identifiers"'));
    if (!backfill) throw new Error('the migration has no asset_identifiers backfill');
    await db.execute(sql`delete from asset_identifiers`);
    await db.execute(sql.raw(backfill));

    const byIdentifier = (a: { identifier: string }, b: { identifier: string }) => (a.identifier < b.identifier ? -1 : 1);
    const registered = (await queryRows<{ identifier: string; asset_id: number }>(db, sql`select identifier, asset_id from asset_identifiers`)).sort(byIdentifier);
    const stored = await queryRows<{ id: number; kind: string; name: string; fqdn: string | null; hostname: string | null; ipv4: string[]; ipv6: string[]; agent_id: string | null; cloud_instance_id: string | null }>(
      db,
      sql`select id, kind, name, fqdn, hostname, ipv4, ipv6, agent_id, cloud_instance_id from assets order by last_seen, id`,
    );
    // Later assets overwrite earlier ones, as the backfill gives a shared key to the asset seen last.
    const expected = new Map<string, number>();
    for (const asset of stored) {
      for (const identifier of assetIdentifiers({ ...asset, agentId: asset.agent_id, cloudInstanceId: asset.cloud_instance_id })) expected.set(identifier, asset.id);
    }
    expect(registered).toEqual([...expected].map(([identifier, asset_id]) => ({ identifier, asset_id })).sort(byIdentifier));
    expect(registered.find((row) => row.identifier === 'ip:192.0.2.10')?.asset_id).toBe(stored[1]?.id);
  });
});
