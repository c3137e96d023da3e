import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { findings, findingStatusHistory } from '../../db/schema';
import { getStatusHistory } from '../../lib/findings/status-history';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Status history, the lifecycle counts of an import, and statuses that do not depend on the order
// in which reports are imported.

interface Item {
  pluginId: string;
  name: string;
}

function nessus(hosts: { fqdn: string; ip: string; items: Item[] }[], scannedAt: Date, { repeatHost = false } = {}): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', '<Report name="history">'];
  const listed = repeatHost ? [...hosts, ...hosts] : hosts;
  for (const host of listed) {
    lines.push(`<ReportHost name="${host.ip}"><HostProperties>`);
    lines.push(`<tag name="host-ip">${host.ip}</tag><tag name="host-fqdn">${host.fqdn}</tag>`);
    lines.push(`<tag name="HOST_START_TIMESTAMP">${seconds}</tag><tag name="HOST_END_TIMESTAMP">${seconds}</tag>`);
    lines.push('</HostProperties>');
    for (const item of host.items) {
      lines.push(
        `<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="3" pluginID="${item.pluginId}" pluginName="${item.name}" pluginFamily="General">`,
        `<description>${item.name}</description></ReportItem>`,
      );
    }
    lines.push('</ReportHost>');
  }
  lines.push('</Report>', '</NessusClientData_v2>');
  return lines.join('\n');
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function run(db: Db, fileName: string, text: string): Promise<ImportSummary> {
  const summary = await importReport(db, { fileName, bytes: bytes(text) });
  expect(summary.error).toBeUndefined();
  return summary;
}

async function findingOf(db: Db, title: string) {
  const [row] = await db.select().from(findings).where(eq(findings.title, title));
  if (!row) throw new Error(`no finding titled ${title}`);
  return row;
}

async function historyOf(db: Db, findingId: number) {
  return db
    .select({ from: findingStatusHistory.fromStatus, to: findingStatusHistory.toStatus, at: findingStatusHistory.changedAt, importId: findingStatusHistory.importId, reason: findingStatusHistory.reason })
    .from(findingStatusHistory)
    .where(eq(findingStatusHistory.findingId, findingId))
    .orderBy(asc(findingStatusHistory.id));
}

const DAY = 24 * 3600 * 1000;
const T1 = new Date('2026-04-06T08:00:00Z');
const T2 = new Date(T1.getTime() + DAY);
const T3 = new Date(T1.getTime() + 2 * DAY);

const kept: Item = { pluginId: '7001', name: 'kept weakness' };
const flaky: Item = { pluginId: '7002', name: 'flaky weakness' };

describe(`status history and lifecycle counts (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.close();
  });

  const host = { fqdn: 'history.example', ip: '10.80.0.1' };

  it('records first found, fixed and reopened with dates, imports and reasons', async () => {
    const first = await run(db, 't1.nessus', nessus([{ ...host, items: [kept, flaky] }], T1));
    const second = await run(db, 't2.nessus', nessus([{ ...host, items: [kept] }], T2));
    const third = await run(db, 't3.nessus', nessus([{ ...host, items: [kept, flaky] }], T3));

    expect(first.counts).toMatchObject({ findingsNew: 2, findingsFixed: 0, findingsReopened: 0 });
    expect(second.counts).toMatchObject({ findingsNew: 0, findingsUpdated: 1, findingsFixed: 1, findingsReopened: 0 });
    expect(third.counts).toMatchObject({ findingsNew: 0, findingsUpdated: 2, findingsFixed: 0, findingsReopened: 1 });

    const row = await findingOf(db, 'flaky weakness');
    expect(row).toMatchObject({ status: 'reopened', fixedAt: null, firstFound: T1, lastFound: T3 });
    expect(await historyOf(db, row.id)).toEqual([
      { from: null, to: 'new', at: T1, importId: first.importId, reason: 'first found by Nessus' },
      { from: 'new', to: 'fixed', at: T2, importId: second.importId, reason: 'not in a newer Nessus scan of its asset' },
      { from: 'fixed', to: 'reopened', at: T3, importId: third.importId, reason: 'found again by Nessus after it was fixed' },
    ]);

    const steady = await findingOf(db, 'kept weakness');
    expect(steady.status).toBe('active');
    expect((await historyOf(db, steady.id)).map((change) => [change.from, change.to])).toEqual([
      [null, 'new'],
      ['new', 'active'],
    ]);
  });

  it('lists the timeline of the finding page oldest first, with the imports', async () => {
    const row = await findingOf(db, 'flaky weakness');
    const timeline = await getStatusHistory(db, row.id);
    expect(timeline.map((change) => [change.fromStatus, change.toStatus, change.changedAt, change.import?.fileName])).toEqual([
      [null, 'new', T1.toISOString(), 't1.nessus'],
      ['new', 'fixed', T2.toISOString(), 't2.nessus'],
      ['fixed', 'reopened', T3.toISOString(), 't3.nessus'],
    ]);
  });

  it('writes no history and counts nothing new when the same report comes again', async () => {
    const again = await run(db, 't3-again.nessus', nessus([{ ...host, items: [kept, flaky] }], T3));
    expect(again.counts).toMatchObject({ findingsNew: 0, findingsUpdated: 0, findingsFixed: 0, findingsReopened: 0 });
    const row = await findingOf(db, 'flaky weakness');
    expect(await historyOf(db, row.id)).toHaveLength(3);
  });

  it('counts a host and a finding listed twice as skipped, with the reason', async () => {
    const twice = { fqdn: 'twice.example', ip: '10.80.0.2' };
    const summary = await run(db, 'twice.nessus', nessus([{ ...twice, items: [kept, kept] }], T1, { repeatHost: true }));
    expect(summary.counts.findingsNew).toBe(1);
    expect(summary.counts.findingsSkipped).toBe(4);
    expect(summary.counts.skipped).toEqual({ 'host listed twice in the report; merged into one': 1, 'finding listed twice in the report; merged into one': 3 });
  });

  it('gives the same statuses when an older report arrives late', async () => {
    const late = { fqdn: 'late.example', ip: '10.80.0.3' };
    await run(db, 'late-t3.nessus', nessus([{ ...late, items: [kept, flaky] }], T3));
    await run(db, 'late-t1.nessus', nessus([{ ...late, items: [kept, flaky] }], T1));
    // The scan in the middle did not list the flaky weakness: it was fixed in between.
    const middle = await run(db, 'late-t2.nessus', nessus([{ ...late, items: [kept] }], T2));

    const rows = await db.select({ title: findings.title, status: findings.status, fixedAt: findings.fixedAt, firstFound: findings.firstFound }).from(findings).where(eq(findings.assetId, (await assetIdOf(db, 'late.example'))));
    const byTitle = Object.fromEntries(rows.map((row) => [row.title, row]));
    expect(byTitle['kept weakness']).toMatchObject({ status: 'active', fixedAt: null, firstFound: T1 });
    expect(byTitle['flaky weakness']).toMatchObject({ status: 'reopened', fixedAt: null, firstFound: T1 });
    expect(middle.counts.findingsReopened).toBe(1);
    const flakyRow = rows.find((row) => row.title === 'flaky weakness');
    const [id] = await db.select({ id: findings.id }).from(findings).where(eq(findings.title, 'flaky weakness')).orderBy(asc(findings.id)).offset(1);
    expect(flakyRow).toBeDefined();
    const history = await historyOf(db, id?.id ?? 0);
    expect(history.at(-1)).toMatchObject({ to: 'reopened', importId: middle.importId });
    expect(history.at(-1)?.reason).toContain('recomputed from the scans');
  });
});

async function assetIdOf(db: Db, fqdn: string): Promise<number> {
  const { assets } = await import('../../db/schema');
  const [row] = await db.select({ id: assets.id }).from(assets).where(eq(assets.fqdn, fqdn));
  if (!row) throw new Error(`no asset ${fqdn}`);
  return row.id;
}
