import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assetMatches, assets, detections, findings, imports, jobs } from '../../db/schema';
import { DEFAULT_MERGE_RULES } from '../../lib/identification/merge-rules';
import { reidentifyFindings } from '../../lib/identification/reidentify';
import { reidentifyJob } from '../../lib/identification/reidentify-job';
import { loadAliasTable, saveIdentificationRules } from '../../lib/identification/rule-store';
import { DEFAULT_RULES } from '../../lib/identification/rules';
import { saveIdentificationSettings } from '../../lib/identification/settings';
import { importReport } from '../../lib/ingest/import-report';
import type { AssetRecord } from '../../lib/ingest/model';
import { JobWorker } from '../../lib/jobs/job-worker';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { openImport, waitForLockWaiter } from './open-import';
import { writeRecords } from './write-records';

// Imports of overlapping reports at the same time, with no application lock. The unique index on
// (asset, type, identity key) keeps each finding once. The asset_identifiers registry keeps each
// new host once, and the SQL merge of assets keeps every import's changes. On PGlite the
// transactions run one after another, so these tests check the results but not the overlap.

const MONDAY = new Date('2026-03-02T08:00:00Z');
const HOUR = 60 * 60 * 1000;

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

/** Builds a Nessus report whose hosts carry an address and may lack an FQDN. */
function nessusWithAddresses(hosts: { name: string; fqdn?: string; ip: string }[], plugins: { id: string; cve: string; port: number }[], scannedAt: Date): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', '<Report name="many">'];
  for (const host of hosts) {
    const fqdn = host.fqdn ? `<tag name="host-fqdn">${host.fqdn}</tag>` : '';
    lines.push(`<ReportHost name="${host.name}"><HostProperties>${fqdn}<tag name="host-ip">${host.ip}</tag>`);
    lines.push(`<tag name="HOST_START_TIMESTAMP">${seconds}</tag><tag name="HOST_END_TIMESTAMP">${seconds + 60}</tag></HostProperties>`);
    for (const plugin of plugins) {
      lines.push(`<ReportItem port="${plugin.port}" svc_name="www" protocol="tcp" severity="2" pluginID="${plugin.id}" pluginName="Plugin ${plugin.id}" pluginFamily="General">`);
      lines.push(`<description>Plugin ${plugin.id}</description><cve>${plugin.cve}</cve></ReportItem>`);
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

  afterEach(async () => {
    await db.delete(assets);
    await db.delete(imports);
    await db.delete(jobs);
    await saveIdentificationRules(db, DEFAULT_RULES);
  });

  it('creates each finding once when overlapping reports import at the same time', async () => {
    const hosts = Array.from({ length: 30 }, (_, index) => `host-${index}.example.test`);
    const shared = Array.from({ length: 20 }, (_, index) => ({ id: String(1000 + index), cve: `CVE-2024-${10000 + index}`, port: 443 }));
    const first = nessus(hosts, [...shared, { id: '1', port: 80 }], new Date('2026-03-02T08:00:00Z'));
    // Another scanner run over the same hosts: the same CVEs under other plugin ids, so the
    // default [CVE, Port, Protocol] rule makes them the same findings.
    // The second report lists the hosts in the opposite order.
    const second = nessus(hosts.slice(10).reverse(), [...shared.map((plugin) => ({ ...plugin, id: `9${plugin.id}` })), { id: '2', port: 80 }], new Date('2026-03-02T09:00:00Z'));

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

  it('merges a host two imports create', async () => {
    const byName: AssetRecord = { reportKey: 'h', kind: 'host', name: 'new-01.example.test', fqdn: 'new-01.example.test', ipv4: ['198.51.100.7'] };
    const byAddress: AssetRecord = { reportKey: 'h', kind: 'host', name: '198.51.100.7', ipv4: ['198.51.100.7'] };
    const first = openImport(db, 'ScannerA', MONDAY, [byName], [{ assetKey: 'h', type: 'vulnerability', cveId: 'CVE-2024-3400', port: 443, protocol: 'tcp', title: 'PAN-OS', severity: 5 }]);
    await first.written;
    const second = openImport(db, 'ScannerB', new Date(MONDAY.getTime() + HOUR), [byAddress], [{ assetKey: 'h', type: 'vulnerability', vendorId: '1', title: 'Telnet open', severity: 3 }]);
    second.commit();
    try {
      // The second import has created its own asset and now waits on the first one's claim of the address.
      await waitForLockWaiter(db, handle.kind);
    } finally {
      first.commit();
    }
    await first.done;
    const counts = await second.done;

    const rows = await db.select().from(assets);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.fqdn).toBe('new-01.example.test');
    expect(rows[0]?.name).toBe('new-01.example.test');
    expect(rows[0]?.lastSeen).toEqual(new Date(MONDAY.getTime() + HOUR));
    expect(counts.assetsCreated).toBe(0);
    expect(counts.assetsUpdated).toBe(1);
    const onAsset = await db.select().from(findings).where(eq(findings.assetId, rows[0]?.id ?? 0));
    expect(onAsset).toHaveLength(2);
    const [match] = await db.select().from(assetMatches).where(eq(assetMatches.importId, await second.importId));
    expect(match).toMatchObject({ assetId: rows[0]?.id, matchedBy: 'ip' });
  });

  it('merges a host two imports create by agent id', async () => {
    const first = openImport(db, 'AgentA', MONDAY, [{ reportKey: 'h', kind: 'host', name: 'agent-01', hostname: 'agent-01', agentId: 'agent-7f3a' }], []);
    await first.written;
    const second = openImport(db, 'AgentB', new Date(MONDAY.getTime() + HOUR), [{ reportKey: 'h', kind: 'host', name: '198.51.100.9', ipv4: ['198.51.100.9'], agentId: 'agent-7f3a' }], []);
    second.commit();
    try {
      // The second import's insert waits on the unique agent id, then leaves its asset out.
      await waitForLockWaiter(db, handle.kind);
    } finally {
      first.commit();
    }
    await first.done;
    const counts = await second.done;

    const rows = await db.select().from(assets);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.hostname).toBe('agent-01');
    expect(rows[0]?.ipv4).toEqual(['198.51.100.9']);
    expect(counts.assetsCreated).toBe(0);
    const [match] = await db.select().from(assetMatches).where(eq(assetMatches.importId, await second.importId));
    expect(match).toMatchObject({ assetId: rows[0]?.id, matchedBy: 'agent_id' });
  });

  it('keeps addresses of concurrent updates', async () => {
    const host: AssetRecord = { reportKey: 'h', kind: 'host', name: 'shared-01.example.test', fqdn: 'shared-01.example.test', ipv4: ['192.0.2.1'] };
    await writeRecords(db, 'ScannerA', MONDAY, [host], []);
    const first = openImport(db, 'ScannerB', new Date(MONDAY.getTime() + HOUR), [{ ...host, ipv4: ['192.0.2.2'] }], []);
    await first.written;
    const second = openImport(db, 'ScannerC', new Date(MONDAY.getTime() + 2 * HOUR), [{ ...host, ipv4: ['192.0.2.3'], os: 'Debian 12' }], []);
    second.commit();
    try {
      // The second import's update waits for the first import's row lock, then merges into its row.
      await waitForLockWaiter(db, handle.kind);
    } finally {
      first.commit();
    }
    await first.done;
    await second.done;

    const rows = await db.select().from(assets);
    expect(rows).toHaveLength(1);
    expect([...(rows[0]?.ipv4 ?? [])].sort()).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    expect(rows[0]?.os).toBe('Debian 12');
    expect(rows[0]?.lastSeen).toEqual(new Date(MONDAY.getTime() + 2 * HOUR));
  });

  it('re-identifies after open imports commit', async () => {
    const host: AssetRecord = { reportKey: 'h', kind: 'host', name: 'rules-01.example.test', fqdn: 'rules-01.example.test' };
    // The open import reads the default rules, under which the two titles stay two findings. Its
    // host is new, so a re-identification that did not wait for it would never see its findings.
    const open = openImport(db, 'ScannerA', MONDAY, [host], [
      { assetKey: 'h', type: 'vulnerability', vendorId: '20', title: 'TLS 1.0 enabled', severity: 2 },
      { assetKey: 'h', type: 'vulnerability', vendorId: '7', title: 'TLS 1.0 Enabled', severity: 3 },
    ]);
    await open.written;
    try {
      if (handle.kind === 'pglite') open.commit();
      const titleFirst = { ...DEFAULT_RULES, vulnerability: [{ attributes: ['title' as const], enabled: true }, ...DEFAULT_RULES.vulnerability.filter((rule) => rule.attributes.join('+') !== 'title')] };
      // Saving the rules and queuing the job do not wait for the open import.
      const { jobId } = await saveIdentificationSettings(db, { rules: titleFirst, mergeRules: DEFAULT_MERGE_RULES, ipWindowDays: 30 });
      expect(jobId).toBeTypeOf('number');

      const worker = new JobWorker(db, { kinds: [reidentifyJob], persistProgress: true, soleProcess: true });
      const ran = worker.runOnce();
      await waitForLockWaiter(db, handle.kind);
      if (handle.kind === 'postgres') {
        const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId ?? 0));
        expect(job?.status).toBe('running');
        expect(job?.records).toBe(0);
      }
      open.commit();
      await open.done;
      expect(await ran).toBe(true);

      const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId ?? 0));
      expect(job?.status).toBe('succeeded');
      expect(job?.result).toMatchObject({ detections: 2, findingsMerged: 1 });
      const rows = await db.select().from(findings).orderBy(asc(findings.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.identityKey.startsWith('title|')).toBe(true);
    } finally {
      open.commit();
      await open.done.catch(() => undefined);
    }
  });

  it('re-identifies assets after the import on them commits', async () => {
    const host: AssetRecord = { reportKey: 'h', kind: 'host', name: 'step-01.example.test', fqdn: 'step-01.example.test' };
    await writeRecords(db, 'ScannerA', MONDAY, [host], [{ assetKey: 'h', type: 'vulnerability', vendorId: '20', title: 'TLS 1.0 enabled', severity: 2 }]);
    const open = openImport(db, 'ScannerB', new Date(MONDAY.getTime() + HOUR), [host], [{ assetKey: 'h', type: 'vulnerability', vendorId: '7', title: 'TLS 1.0 Enabled', severity: 3 }]);
    await open.written;
    try {
      if (handle.kind === 'pglite') open.commit();
      const titleFirst = { ...DEFAULT_RULES, vulnerability: [{ attributes: ['title' as const], enabled: true }, ...DEFAULT_RULES.vulnerability.filter((rule) => rule.attributes.join('+') !== 'title')] };
      // Without the barrier, the step finds the asset locked by the open import and retries.
      let finished = false;
      const run = reidentifyFindings(db, { rules: titleFirst, aliases: await loadAliasTable(db), mergeRules: DEFAULT_MERGE_RULES }).finally(() => {
        finished = true;
      });
      if (handle.kind === 'postgres') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(finished).toBe(false);
      }
      open.commit();
      await open.done;
      const counts = await run;
      expect(counts.detections).toBe(2);
      expect(counts.findingsMerged).toBe(1);
      expect(await db.select().from(findings)).toHaveLength(1);
    } finally {
      open.commit();
      await open.done.catch(() => undefined);
    }
  });

  it('imports eight overlapping reports at once', async () => {
    // Sixty hosts. Each report lists about two thirds of them, every other report in reverse
    // order, and every third report names every other host by its address only.
    const all = Array.from({ length: 60 }, (_, index) => ({ fqdn: `many-${index}.example.test`, ip: `10.0.0.${index + 1}` }));
    const dir = await mkdtemp(path.join(tmpdir(), 'riskboard-concurrency-'));
    const files: string[] = [];
    for (let report = 0; report < 8; report++) {
      const picked = all.filter((_, index) => (index * 7 + report * 13) % 3 !== 0);
      const ordered = report % 2 === 1 ? picked.reverse() : picked;
      const hosts = ordered.map((host, index) => (report % 3 === 1 && index % 2 === 1 ? { name: host.ip, ip: host.ip } : { name: host.fqdn, fqdn: host.fqdn, ip: host.ip }));
      const plugins = Array.from({ length: 10 }, (_, plugin) => ({ id: String(plugin + (report % 4)), cve: `CVE-2024-${20000 + plugin + (report % 4)}`, port: 443 }));
      const file = path.join(dir, `report-${report}.nessus`);
      await writeFile(file, nessusWithAddresses(hosts, plugins, new Date(MONDAY.getTime() + report * HOUR)));
      files.push(file);
    }

    try {
      // Reports read from files run again when Postgres aborts one for a deadlock.
      const results = await Promise.all(files.map((file) => importReport(db, { fileName: path.basename(file), path: file })));
      for (const result of results) expect(result.error).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const rows = await db.select().from(assets);
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((row) => row.fqdn)).size).toBe(60);
    expect(new Set(rows.flatMap((row) => row.ipv4)).size).toBe(60);
    expect(rows.every((row) => row.ipv4.length === 1)).toBe(true);
    const [findingCount] = await db.select({ value: count() }).from(findings);
    // The count the same reports give when imported one after another.
    expect(findingCount?.value).toBe(780);
  });

  it.skipIf(testDbKind === 'pglite')('overlaps imports of disjoint hosts', async () => {
    const hostsOf = (prefix: string): AssetRecord[] =>
      Array.from({ length: 5 }, (_, index) => ({ reportKey: `h${index}`, kind: 'host', name: `${prefix}-${index}.example.test`, fqdn: `${prefix}-${index}.example.test` }));
    const findingsOf = (count: number) => Array.from({ length: count }, (_, index) => ({ assetKey: `h${index}`, type: 'vulnerability' as const, vendorId: String(index), title: `Check ${index}`, severity: 2 as const }));
    const first = openImport(db, 'ScannerA', MONDAY, hostsOf('left'), findingsOf(5));
    const second = openImport(db, 'ScannerB', MONDAY, hostsOf('right'), findingsOf(5));

    // Both imports have written everything while neither has committed. Under a lock that
    // serialized imports, the second would wait for the first and this would time out.
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the imports did not overlap within 15 s')), 15_000));
    try {
      await Promise.race([Promise.all([first.written, second.written]), timeout]);
    } finally {
      first.commit();
      second.commit();
    }
    await Promise.all([first.done, second.done]);

    const [assetCount] = await db.select({ value: count() }).from(assets);
    const [findingCount] = await db.select({ value: count() }).from(findings);
    expect(assetCount?.value).toBe(10);
    expect(findingCount?.value).toBe(10);
  });
});
