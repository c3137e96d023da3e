import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, findings } from '../../db/schema';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import { createTestDb } from '../helpers/test-db';

// Status lifecycle across scans (new, active, fixed, reopened), repeats inside one report, and
// imports of the same hosts running at the same time.

interface Item {
  pluginId: string;
  severity: 0 | 1 | 2 | 3 | 4;
  name: string;
  description?: string;
}

interface Host {
  fqdn: string;
  ip: string;
  items: Item[];
}

function nessus(hosts: Host[], scannedAt: Date): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', '<Report name="lifecycle">'];
  for (const host of hosts) {
    lines.push(`<ReportHost name="${host.ip}"><HostProperties>`);
    lines.push(`<tag name="host-ip">${host.ip}</tag><tag name="host-fqdn">${host.fqdn}</tag>`);
    lines.push(`<tag name="HOST_START_TIMESTAMP">${seconds}</tag><tag name="HOST_END_TIMESTAMP">${seconds + 60}</tag>`);
    lines.push('</HostProperties>');
    for (const item of host.items) {
      lines.push(
        `<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="${item.severity}" pluginID="${item.pluginId}" pluginName="${item.name}" pluginFamily="General">`,
        `<description>${item.description ?? item.name}</description></ReportItem>`,
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

async function statusOf(db: Db, title: string): Promise<{ status: string; fixedAt: Date | null }> {
  const [row] = await db.select({ status: findings.status, fixedAt: findings.fixedAt }).from(findings).where(eq(findings.title, title));
  if (!row) throw new Error(`no finding titled ${title}`);
  return row;
}

const MONDAY = new Date('2026-03-02T08:00:00Z');
const FRIDAY = new Date('2026-03-06T08:00:00Z');
const NEXT_MONDAY = new Date('2026-03-09T08:00:00Z');

const critical: Item = { pluginId: '9001', severity: 4, name: 'critical thing' };
const low: Item = { pluginId: '9002', severity: 1, name: 'low thing' };

describe('finding lifecycle', () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle.close();
  });

  it('fixes a finding a later scan no longer lists', async () => {
    const host = { fqdn: 'fixme.example', ip: '10.50.0.1' };
    await run(db, 'monday.nessus', nessus([{ ...host, items: [critical, low] }], MONDAY));
    const friday = await run(db, 'friday.nessus', nessus([{ ...host, items: [low] }], FRIDAY));

    expect(friday.counts.findingsFixed).toBe(1);
    expect(await statusOf(db, 'critical thing')).toMatchObject({ status: 'fixed' });
    expect((await statusOf(db, 'critical thing')).fixedAt).not.toBeNull();
    expect(await statusOf(db, 'low thing')).toMatchObject({ status: 'active' });
  });

  it('changes nothing when the same scan comes again', async () => {
    const host = { fqdn: 'fixme.example', ip: '10.50.0.1' };
    const again = await run(db, 'friday-again.nessus', nessus([{ ...host, items: [low] }], FRIDAY));
    expect(again.counts.findingsFixed).toBe(0);
    expect(again.counts.findingsNew).toBe(0);
    expect(again.counts.findingsUpdated).toBe(0);
  });

  it('keeps a finding open against an older report', async () => {
    const host = { fqdn: 'fixme.example', ip: '10.50.0.1' };
    const late = await run(db, 'old-without-low.nessus', nessus([{ ...host, items: [] }], MONDAY));
    expect(late.counts.findingsFixed).toBe(0);
    expect(await statusOf(db, 'low thing')).toMatchObject({ status: 'active' });
  });

  it('reopens a fixed finding seen again', async () => {
    const host = { fqdn: 'fixme.example', ip: '10.50.0.1' };
    await run(db, 'next-monday.nessus', nessus([{ ...host, items: [critical, low] }], NEXT_MONDAY));
    expect(await statusOf(db, 'critical thing')).toMatchObject({ status: 'reopened', fixedAt: null });
  });

  it('leaves unscanned assets alone', async () => {
    await run(db, 'other-host.nessus', nessus([{ fqdn: 'elsewhere.example', ip: '10.50.0.2', items: [low] }], NEXT_MONDAY));
    expect(await statusOf(db, 'critical thing')).toMatchObject({ status: 'reopened' });
  });
});

describe('repeats inside one report', () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle.close();
  });

  it('keeps the higher severity and the other observation', async () => {
    const host = { fqdn: 'twice.example', ip: '10.60.0.1' };
    const report = nessus(
      [
        { ...host, items: [{ pluginId: '100', severity: 3, name: 'repeated', description: 'first' }] },
        { ...host, items: [{ pluginId: '100', severity: 4, name: 'repeated', description: 'second' }] },
      ],
      MONDAY,
    );
    const summary = await run(db, 'twice.nessus', report);

    expect(summary.counts.findingsNew).toBe(1);
    const [row] = await db.select().from(findings).where(eq(findings.title, 'repeated'));
    expect(row?.severity).toBe(5);
    expect(row?.description).toBe('second');
  });
});

describe('concurrent imports', () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle.close();
  });

  it('create each new host once', async () => {
    const hosts = Array.from({ length: 5 }, (_, index) => ({ fqdn: `conc${index}.example`, ip: `10.70.0.${index + 1}` }));
    const first = nessus(hosts.map((host) => ({ ...host, items: [critical] })), MONDAY);
    const second = nessus(hosts.map((host) => ({ ...host, items: [low] })), MONDAY);

    const results = await Promise.all([run(db, 'first.nessus', first), run(db, 'second.nessus', second)]);
    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded']);

    const [total] = await db.select({ value: count() }).from(assets);
    expect(total?.value).toBe(5);
    const names = await db.select({ name: assets.name }).from(assets).orderBy(asc(assets.name));
    expect(names.map((row) => row.name)).toEqual(hosts.map((host) => host.fqdn));
  });
});
