import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assetMatches, assets } from '../../db/schema';
import { latestAssetMatch } from '../../lib/identification/asset-match-store';
import { DEFAULT_IP_WINDOW_DAYS, getIpWindowDays, setIpWindowDays } from '../../lib/identification/rule-store';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { writeRecords } from './write-records';

const DAY = 24 * 60 * 60 * 1000;
const START = new Date('2026-01-01T00:00:00Z');
const at = (days: number) => new Date(START.getTime() + days * DAY);

describe(`asset matching across sources on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('records the rule that matched and matches by IP only within the window', async () => {
    expect(await getIpWindowDays(db)).toBe(DEFAULT_IP_WINDOW_DAYS);

    const first = await writeRecords(db, 'Agent', at(0), [{ reportKey: 'a', kind: 'host', name: 'app-1', agentId: 'agent-1', hostname: 'app-1', ipv4: ['198.51.100.7'] }], []);
    const byAgent = await writeRecords(db, 'Agent', at(1), [{ reportKey: 'a', kind: 'host', name: 'app-1', agentId: 'agent-1' }], []);
    const byHostname = await writeRecords(db, 'Network', at(2), [{ reportKey: 'a', kind: 'host', name: 'APP-1', hostname: 'APP-1' }], []);
    const byIp = await writeRecords(db, 'Network', at(20), [{ reportKey: 'a', kind: 'host', name: '198.51.100.7', ipv4: ['198.51.100.7'] }], []);
    // 31 days after the asset was last seen: the address no longer identifies it.
    const stale = await writeRecords(db, 'Network', at(51), [{ reportKey: 'a', kind: 'host', name: '198.51.100.7', ipv4: ['198.51.100.7'] }], []);

    const matches = await db.select().from(assetMatches).orderBy(asc(assetMatches.importId));
    expect(matches.map((row) => [row.importId, row.matchedBy])).toEqual([
      [first, 'new'],
      [byAgent, 'agent_id'],
      [byHostname, 'hostname'],
      [byIp, 'ip'],
      [stale, 'new'],
    ]);
    const hosts = await db.select().from(assets).orderBy(asc(assets.id));
    expect(hosts).toHaveLength(2);
    expect(await latestAssetMatch(db, hosts[0]?.id ?? 0)).toMatchObject({ matchedBy: 'ip', label: 'IP address', importId: byIp });

    // A wider window lets the old address match again.
    await setIpWindowDays(db, 90);
    const wide = await writeRecords(db, 'Network', at(120), [{ reportKey: 'a', kind: 'host', name: '198.51.100.7', ipv4: ['198.51.100.7'] }], []);
    const [last] = await db.select().from(assetMatches).orderBy(asc(assetMatches.importId)).then((rows) => rows.slice(-1));
    expect(last).toMatchObject({ importId: wide, matchedBy: 'ip' });
  });
});
