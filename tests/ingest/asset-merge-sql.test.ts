import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { sql } from 'drizzle-orm';
import { mergeAsset, type StoredAsset } from '../../lib/ingest/asset-matcher';
import type { AssetRecord } from '../../lib/ingest/model';
import { allocateAssetIds, insertAssets, storedAssetOf, updateAssets, type StoredAssetRow } from '../../lib/ingest/store/asset-store';
import { createTestDb, testDbKind } from '../helpers/test-db';

// updateAssets merges in SQL against the current row, so concurrent imports keep each other's
// changes. Applied to records one after another, it must give the row mergeAsset gives.

const MONDAY = new Date('2026-03-02T08:00:00Z');
const TUESDAY = new Date('2026-03-03T08:00:00Z');
const SUNDAY = new Date('2026-03-01T08:00:00Z');

function stored(overrides: Partial<StoredAsset>): Omit<StoredAsset, 'id'> {
  return {
    kind: 'host',
    name: '192.0.2.10',
    fqdn: null,
    hostname: null,
    ipv4: ['192.0.2.10'],
    ipv6: [],
    mac: [],
    os: null,
    cloudInstanceId: null,
    agentId: null,
    internetFacing: false,
    firstSeen: MONDAY,
    lastSeen: MONDAY,
    ...overrides,
  };
}

function record(overrides: Partial<AssetRecord>): AssetRecord {
  return { reportKey: 'r', kind: 'host', name: '192.0.2.10', ...overrides };
}

interface MergeCase {
  name: string;
  start: Omit<StoredAsset, 'id'>;
  steps: { record: AssetRecord; seenAt: Date }[];
}

const cases: MergeCase[] = [
  {
    name: 'renames an address-named host after its FQDN',
    start: stored({}),
    steps: [{ record: record({ fqdn: 'web-01.example.test', ipv4: ['192.0.2.10', '192.0.2.11'] }), seenAt: TUESDAY }],
  },
  {
    name: 'keeps a newer FQDN against an older report but fills a missing OS',
    start: stored({ name: 'web-01.example.test', fqdn: 'web-01.example.test', lastSeen: TUESDAY }),
    steps: [{ record: record({ fqdn: 'old.example.test', os: 'Debian 12', firstSeen: SUNDAY }), seenAt: MONDAY }],
  },
  {
    name: 'takes the FQDN of a report seen at the same time',
    start: stored({ name: 'web-01.example.test', fqdn: 'web-01.example.test', hostname: 'web-01' }),
    steps: [{ record: record({ fqdn: 'web-02.example.test', hostname: 'web-02' }), seenAt: MONDAY }],
  },
  {
    name: 'unions addresses in order without repeats',
    start: stored({ ipv4: ['192.0.2.10', '192.0.2.12'], ipv6: ['2001:db8::1'], mac: ['00:11:22:33:44:55'] }),
    steps: [
      { record: record({ ipv4: ['192.0.2.12', '192.0.2.13', '192.0.2.13', '192.0.2.14'], ipv6: ['2001:db8::2'], mac: ['00:11:22:33:44:55'] }), seenAt: TUESDAY },
    ],
  },
  {
    name: 'fills agent and cloud ids once and ORs internet facing',
    start: stored({ agentId: 'agent-1' }),
    steps: [
      { record: record({ agentId: 'agent-2', cloudInstanceId: 'i-0abc', internetFacing: true }), seenAt: TUESDAY },
      { record: record({ cloudInstanceId: 'i-0def', internetFacing: false }), seenAt: TUESDAY },
    ],
  },
  {
    name: 'applies two records of one batch in report order',
    start: stored({}),
    steps: [
      { record: record({ hostname: 'web-01', os: 'Windows Server 2019' }), seenAt: TUESDAY },
      { record: record({ hostname: 'web-01-renamed', os: 'Windows Server 2022', ipv4: ['192.0.2.20'] }), seenAt: MONDAY },
      { record: record({ fqdn: 'web-01.example.test' }), seenAt: TUESDAY },
    ],
  },
  {
    name: 'leaves the name of an image alone',
    start: stored({ kind: 'container_image', name: 'registry.example.test/app:1', ipv4: [] }),
    steps: [{ record: record({ kind: 'container_image', name: 'registry.example.test/app:1', fqdn: 'app.example.test' }), seenAt: TUESDAY }],
  },
  {
    name: 'ignores empty identifiers',
    start: stored({ fqdn: 'web-01.example.test', name: 'web-01.example.test' }),
    steps: [{ record: record({ fqdn: '', hostname: '', os: '' }), seenAt: TUESDAY }],
  },
  {
    name: 'changes nothing for a repeated report',
    start: stored({ fqdn: 'web-01.example.test', name: 'web-01.example.test', lastSeen: TUESDAY }),
    steps: [{ record: record({ fqdn: 'web-01.example.test', ipv4: ['192.0.2.10'] }), seenAt: TUESDAY }],
  },
];

async function loadAsset(db: Db, id: number): Promise<StoredAsset> {
  const [row] = await queryRows<StoredAssetRow>(db, sql`select * from assets where id = ${id}`);
  if (!row) throw new Error(`asset ${id} not found`);
  return storedAssetOf(row);
}

describe(`SQL asset merge on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  it.each(cases)('$name', async ({ start, steps }) => {
    const result = await db.transaction(async (tx) => {
      const [id] = await allocateAssetIds(tx, 1);
      if (id === undefined) throw new Error('no asset id allocated');
      const initial: StoredAsset = { ...start, id };
      await insertAssets(tx, [initial]);

      let expected = initial;
      let expectChange = false;
      for (const step of steps) {
        const { merged, changed } = mergeAsset(expected, step.record, step.seenAt);
        expected = merged;
        expectChange ||= changed;
      }
      const changedIds = await updateAssets(
        tx,
        steps.map((step) => ({ id, ...step })),
      );
      return { expected, expectChange, changedIds, id };
    });

    expect(await loadAsset(db, result.id)).toEqual(result.expected);
    expect(result.changedIds.has(result.id)).toBe(result.expectChange);
  });
});
