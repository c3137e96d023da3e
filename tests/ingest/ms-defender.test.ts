import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets } from '../../db/schema';
import { msDefenderParser } from '../../lib/ingest/formats/ms-defender';
import { importReport } from '../../lib/ingest/import-report';
import type { AssetRecord, FindingRecord } from '../../lib/ingest/model';
import { ReportError } from '../../lib/ingest/report-error';
import { ZipArchive } from '../../lib/ingest/zip-input';
import { createTestDb } from '../helpers/test-db';
import { assetOf, parseText, readFixture } from './parse-report';
import { buildZip, type ZipEntrySpec } from './zip-builder';

const MACHINES = readFixture('ms-defender/machines.json');
const VULNERABILITIES = readFixture('ms-defender/vulnerabilities.json');
const MACHINE_1 = '1111aaaa2222bbbb3333cccc4444dddd5555eeee';
const MACHINE_2 = '9999ffff8888eeee7777dddd6666cccc5555bbbb';
const UNLISTED = '0000aaaa0000bbbb0000cccc0000dddd0000eeee';

const EXPORT: ZipEntrySpec[] = [
  { name: 'machines/', data: '', method: 0 },
  { name: 'machines/machines.json', data: MACHINES },
  { name: 'vulnerabilities/', data: '', method: 0 },
  // Vulnerabilities listed first in the archive: machines are still read first.
  { name: 'vulnerabilities/page-1.json', data: VULNERABILITIES },
  { name: '__MACOSX/vulnerabilities/._page-1.json', data: Buffer.from([0, 5, 22, 7]) },
];

let directory: string;
let files = 0;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'riskboard-defender-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function parseZip(entries: ZipEntrySpec[]): Promise<{ assets: AssetRecord[]; findings: FindingRecord[] }> {
  const file = path.join(directory, `export-${++files}.zip`);
  await writeFile(file, buildZip(entries));
  const archive = await ZipArchive.open(file, { maxBytes: 1024 * 1024 });
  const result = { assets: [] as AssetRecord[], findings: [] as FindingRecord[] };
  try {
    for await (const record of msDefenderParser.parseArchive(archive, () => undefined)) {
      if (record.kind === 'asset') result.assets.push(record.asset);
      else {
        expect(result.assets.some((asset) => asset.reportKey === record.finding.assetKey)).toBe(true);
        result.findings.push(record.finding);
      }
    }
  } finally {
    await archive.close();
  }
  return result;
}

async function zipError(entries: ZipEntrySpec[]): Promise<ReportError> {
  try {
    await parseZip(entries);
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('the archive was accepted');
}

describe('msDefenderParser archive', () => {
  it('maps machines to host assets with agent id, FQDN and usable addresses', async () => {
    const report = await parseZip(EXPORT);
    expect(report.assets.map((asset) => asset.reportKey)).toEqual([MACHINE_1, MACHINE_2, UNLISTED]);

    const workstation = assetOf({ ...report, metadata: {} }, MACHINE_1);
    expect(workstation).toMatchObject({
      name: 'ws-042.corp.example.test',
      kind: 'host',
      agentId: MACHINE_1,
      fqdn: 'ws-042.corp.example.test',
      hostname: 'ws-042',
      ipv4: ['10.20.30.42'],
      mac: ['00:15:5d:01:02:03'],
      os: 'Windows11 23H2',
      lastSeen: new Date('2024-05-02T09:30:00Z'),
    });
    expect(workstation.firstSeen?.toISOString()).toBe('2023-01-10T08:00:00.123Z');
    expect(workstation.raw).toMatchObject({ lastExternalIpAddress: '203.0.113.10', exposureLevel: 'High', machineTags: ['finance'] });
    expect((workstation.raw?.ipAddresses as unknown[]).length).toBe(3);
  });

  it('reads PowerShell-flattened interfaces and keeps an unparseable date in raw', async () => {
    const report = await parseZip(EXPORT);
    const build = assetOf({ ...report, metadata: {} }, MACHINE_2);
    expect(build).toMatchObject({ name: 'build-07', hostname: 'build-07', ipv4: ['10.20.40.7'], mac: ['00:ff:a1:41:15:8d'] });
    expect(build.fqdn).toBeUndefined();
    expect(build.ipv6).toBeUndefined();
    expect(build.firstSeen).toBeUndefined();
    expect(build.raw).toMatchObject({ firstSeen: 'not a date', unparsedDates: ['firstSeen'] });
  });

  it('names an unlisted machine by its id', async () => {
    const report = await parseZip(EXPORT);
    expect(assetOf({ ...report, metadata: {} }, UNLISTED)).toMatchObject({ name: UNLISTED, agentId: UNLISTED, kind: 'host', raw: { described: false } });
  });

  it('maps vulnerabilities with CVE, product, severity and the fixing KB', async () => {
    const report = await parseZip(EXPORT);
    expect(report.findings).toHaveLength(4);
    const windows = report.findings.find((finding) => finding.cveId === 'CVE-2024-21338');
    expect(windows).toMatchObject({
      assetKey: MACHINE_1,
      type: 'vulnerability',
      vendorId: 'CVE-2024-21338',
      cveIds: ['CVE-2024-21338'],
      title: 'CVE-2024-21338 in windows_11 10.0.22631.3155',
      severity: 5,
      technology: { vendor: 'microsoft', product: 'windows_11', version: '10.0.22631.3155' },
      fixedVersion: 'KB5035853',
      solution: 'Install Microsoft update KB5035853.',
      references: ['https://support.microsoft.com/help/5035853'],
      sourceFindingId: `${MACHINE_1}-_-CVE-2024-21338-_-microsoft-_-windows_11-_-10.0.22631.3155-_-5035853`,
    });
    const chrome = report.findings.find((finding) => finding.cveId === 'CVE-2023-4863');
    expect(chrome?.severity).toBe(4);
    expect(chrome?.fixedVersion).toBeUndefined();
    expect(report.findings.map((finding) => finding.severity).sort()).toEqual([2, 3, 4, 5]);
    expect(windows?.raw.suppressed).toBeUndefined();
  });

  it('flags vulnerabilities of excluded machines as suppressed', async () => {
    const report = await parseZip(EXPORT);
    const office = report.findings.find((finding) => finding.cveId === 'CVE-2023-36884');
    expect(office?.assetKey).toBe(MACHINE_2);
    expect(office?.raw).toMatchObject({ suppressed: true, exclusionReason: 'InactiveDevice' });
  });

  it('rejects a file that is not part of a Defender export, by name', async () => {
    const error = await zipError([...EXPORT, { name: 'notes/readme.txt', data: 'hi' }]);
    expect(error.code).toBe('invalid_field');
    expect(error.message).toMatch(/zip entry notes\/readme\.txt is not part of a Defender export/);
  });

  it('names the entry and field of a bad vulnerability', async () => {
    const broken = JSON.stringify({ value: [{ id: 'x', machineId: MACHINE_1, severity: 'High' }] });
    const error = await zipError([{ name: 'machines/m.json', data: MACHINES }, { name: 'vulnerabilities/page-2.json', data: broken }]);
    expect(error.code).toBe('invalid_field');
    expect(error.message).toMatch(/^zip entry vulnerabilities\/page-2\.json: invalid Microsoft Defender field value\[0\]\.cveId/);
  });

  it('names the entry of malformed JSON and of an unknown severity', async () => {
    const truncated = await zipError([{ name: 'machines/m.json', data: MACHINES.slice(0, 200) }]);
    expect(truncated.code).toBe('malformed');
    expect(truncated.message).toMatch(/^zip entry machines\/m\.json: JSON ends too early/);

    const severity = JSON.stringify({ value: [{ cveId: 'CVE-2024-1', machineId: MACHINE_1, severity: 'Severe' }] });
    const unknown = await zipError([{ name: 'vulnerabilities/v.json', data: severity }]);
    expect(unknown.message).toMatch(/zip entry vulnerabilities\/v\.json: unknown Microsoft Defender severity "Severe"/);
  });

  it('rejects a page without a value array', async () => {
    const error = await zipError([{ name: 'machines/m.json', data: '{"@odata.context": "x"}' }]);
    expect(error.message).toMatch(/zip entry machines\/m\.json: expected a Defender API page with a "value" array of machines/);
  });
});

describe('msDefenderParser plain JSON', () => {
  it('reads one vulnerabilities page and names hosts by machine id', async () => {
    const report = await parseText(msDefenderParser, VULNERABILITIES);
    expect(report.assets.map((asset) => asset.name)).toEqual([MACHINE_1, MACHINE_2, UNLISTED]);
    expect(report.findings).toHaveLength(4);
    expect(report.metadata).toEqual({ format: 'ms-defender', source: 'Microsoft Defender for Endpoint' });
  });
});

describe('importReport of a Defender zip', () => {
  it('removes the temporary copy of an upload, imported or rejected', async () => {
    const previous = process.env.TMPDIR;
    const spool = await mkdtemp(path.join(directory, 'spool-'));
    process.env.TMPDIR = spool;
    const handle = await createTestDb();
    try {
      for (const entries of [EXPORT, [...EXPORT, { name: 'notes.txt', data: 'x' }]]) {
        const zip = buildZip(entries);
        const summary = await importReport(handle.db, { fileName: 'defender.zip', bytes: (async function* () { yield zip; })() });
        expect(['succeeded', 'failed']).toContain(summary.status);
        expect(await readdir(spool)).toEqual([]);
      }
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await handle.close();
    }
  });

  it('imports an uploaded archive, and a second import of the file changes nothing', async () => {
    const handle = await createTestDb();
    try {
      const zip = buildZip(EXPORT);
      async function* upload(): AsyncGenerator<Uint8Array> {
        for (let start = 0; start < zip.length; start += 512) yield zip.subarray(start, start + 512);
      }
      const first = await importReport(handle.db, { fileName: 'defender.zip', bytes: upload() });
      expect(first.error?.message).toBeUndefined();
      expect(first).toMatchObject({ status: 'succeeded', format: 'ms-defender', source: 'Microsoft Defender for Endpoint' });
      expect(first.counts).toMatchObject({ assetsCreated: 3, findingsNew: 4, detections: 4 });

      const [stored] = await handle.db.select().from(assets).where(eq(assets.agentId, MACHINE_1));
      expect(stored?.fqdn).toBe('ws-042.corp.example.test');

      // From disk the file is hashed first, so the repeat gets the first import's observation time.
      const file = path.join(directory, 'repeat.zip');
      await writeFile(file, zip);
      const fromDisk = await importReport(handle.db, { fileName: 'defender.zip', path: file });
      expect(fromDisk.status).toBe('succeeded');
      const again = await importReport(handle.db, { fileName: 'defender.zip', path: file });
      expect(again.counts, JSON.stringify(again.counts)).toMatchObject({ assetsCreated: 0, assetsUpdated: 0, findingsNew: 0, findingsUpdated: 0, findingsUnchanged: 4, detections: 0 });
    } finally {
      await handle.close();
    }
  });
});
