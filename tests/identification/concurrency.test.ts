import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, detections, findings } from '../../db/schema';
import { importReport } from '../../lib/ingest/import-report';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Two imports of overlapping reports at the same time: the unique index on (asset, type,
// identity key) and ON CONFLICT keep each finding once, with no application lock on findings.

function nessus(hosts: string[], plugins: { id: string; cve?: string; port: number }[], scannedAt: Date): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', '<Report name="overlap">'];
  for (const host of hosts) {
    lines.push(`<ReportHost name="${host}"><HostProperties><tag name="host-fqdn">${host}</tag>`);
    lines.push(`<tag name="HOST_START_TIMESTAMP">${seconds}</tag><tag name="HOST_END_TIMESTAMP">${seconds + 60}</tag></HostProperties>`);
    for (const plugin of plugins) {
      lines.push(`<ReportItem port="${plugin.port}" svc_name="www" protocol="tcp" severity="2" pluginID="${plugin.id}" pluginName="Plugin ${plugin.id}" pluginFamily="General">`);
      lines.push(`<description>Plugin ${plugin.id}</description>${plugin.cve ? `<cve>${plugin.cve}</cve>` : ''}</ReportItem>`);
    }
    lines.push('</ReportHost>');
  }
  lines.push('</Report>', '</NessusClientData_v2>');
  return lines.join('\n');
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

describe(`concurrent imports on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('creates each finding once when overlapping reports import at the same time', async () => {
    const hosts = Array.from({ length: 30 }, (_, index) => `host-${index}.example.test`);
    const shared = Array.from({ length: 20 }, (_, index) => ({ id: String(1000 + index), cve: `CVE-2024-${10000 + index}`, port: 443 }));
    const first = nessus(hosts, [...shared, { id: '1', port: 80 }], new Date('2026-03-02T08:00:00Z'));
    // Another scanner run over the same hosts: the same CVEs under other plugin ids, so the
    // default [CVE, Port, Protocol] rule makes them the same findings.
    const second = nessus(hosts.slice(10), [...shared.map((plugin) => ({ ...plugin, id: `9${plugin.id}` })), { id: '2', port: 80 }], new Date('2026-03-02T09:00:00Z'));

    const results = await Promise.all([
      importReport(db, { fileName: 'first.nessus', bytes: bytes(first) }),
      importReport(db, { fileName: 'second.nessus', bytes: bytes(second) }),
      importReport(db, { fileName: 'first-again.nessus', bytes: bytes(first) }),
    ]);
    for (const result of results) expect(result.error).toBeUndefined();

    const [assetCount] = await db.select({ value: count() }).from(assets);
    const [findingCount] = await db.select({ value: count() }).from(findings);
    const [detectionCount] = await db.select({ value: count() }).from(detections);
    expect(assetCount?.value).toBe(30);
    // 20 shared CVE findings and plugin 1 on every host, plugin 2 on the 20 the second scan saw.
    expect(findingCount?.value).toBe(30 * 21 + 20);
    // Each scanner's observation is its own detection: 30 × 21 from the first report (imported
    // twice, one detection each), 20 × 21 from the second.
    expect(detectionCount?.value).toBe(30 * 21 + 20 * 21);
  });
});
