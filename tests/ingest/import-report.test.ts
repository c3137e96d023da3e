import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, detections, findings, imports, technologies, vulnerabilities } from '../../db/schema';
import { importReport, type ImportReportInput, type ImportSummary } from '../../lib/ingest/import-report';
import type { ReportErrorCode } from '../../lib/ingest/report-error';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Integration tests of importReport on a real database: counts, re-imports, a later scan, and
// every kind of bad input. The reports are built here from small tables, so each expected count
// comes from the table, not from the parser under test.

interface TestItem {
  pluginId: string;
  port: number;
  protocol: 'tcp' | 'udp';
  /** Nessus severity 0 (info) to 4 (critical). */
  severity: 0 | 1 | 2 | 3 | 4;
  name: string;
  cve?: string;
  description?: string;
}

interface TestHost {
  name: string;
  ip: string;
  items: TestItem[];
}

const SCAN_1 = new Date('2025-03-04T10:00:00Z');
const SCAN_2 = new Date('2025-03-11T10:00:00Z');

/** Builds a Nessus v2 report. Text values must already be XML-escaped. */
function nessusReport(hosts: TestHost[], scannedAt: Date, title = 'Integration test scan'): string {
  const seconds = Math.floor(scannedAt.getTime() / 1000);
  const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', `<Report name="${title}">`];
  for (const host of hosts) {
    lines.push(`<ReportHost name="${host.name}">`, '<HostProperties>');
    lines.push(`<tag name="host-ip">${host.ip}</tag>`, `<tag name="host-fqdn">${host.name}</tag>`);
    lines.push(`<tag name="HOST_START_TIMESTAMP">${seconds}</tag>`, `<tag name="HOST_END_TIMESTAMP">${seconds + 300}</tag>`);
    lines.push('</HostProperties>');
    for (const item of host.items) {
      lines.push(
        `<ReportItem port="${item.port}" svc_name="general" protocol="${item.protocol}" severity="${item.severity}" pluginID="${item.pluginId}" pluginName="${item.name}" pluginFamily="General">`,
        `<description>${item.description ?? `Description of ${item.name}.`}</description>`,
        '<solution>Apply the vendor patch.</solution>',
      );
      if (item.cve) lines.push(`<cve>${item.cve}</cve>`);
      lines.push('</ReportItem>');
    }
    lines.push('</ReportHost>');
  }
  lines.push('</Report>', '</NessusClientData_v2>', '');
  return lines.join('\n');
}

/**
 * Distinct findings of a report by the default identification rules: a plugin with a CVE by
 * [CVE, Port, Protocol], one without by [Vendor ID] (the plugin id, whatever the port).
 */
function expectedFindingKeys(hosts: TestHost[]): Set<string> {
  return new Set(hosts.flatMap((host) => host.items.map((item) => (item.cve ? `${host.name}|${item.cve}|${item.port}/${item.protocol}` : `${host.name}|${item.pluginId}`))));
}

const FIRST_SCAN: TestHost[] = [
  {
    name: 'web-01.integration.test',
    ip: '192.0.2.11',
    items: [
      { pluginId: '10001', port: 443, protocol: 'tcp', severity: 3, name: 'OpenSSL Infinite Loop', cve: 'CVE-2022-0778' },
      { pluginId: '10002', port: 22, protocol: 'tcp', severity: 2, name: 'SSH Weak MAC Algorithms' },
      // The same plugin on another port is the same finding under the default [Vendor ID] rule.
      { pluginId: '10002', port: 2222, protocol: 'tcp', severity: 2, name: 'SSH Weak MAC Algorithms' },
      // Repeated with the same plugin, port and protocol: merges into the finding above.
      { pluginId: '10001', port: 443, protocol: 'tcp', severity: 3, name: 'OpenSSL Infinite Loop', cve: 'CVE-2022-0778' },
      { pluginId: '19506', port: 0, protocol: 'tcp', severity: 0, name: 'Nessus Scan Information' },
    ],
  },
  {
    name: 'db-01.integration.test',
    ip: '192.0.2.12',
    items: [
      { pluginId: '10001', port: 443, protocol: 'tcp', severity: 3, name: 'OpenSSL Infinite Loop', cve: 'CVE-2022-0778' },
      { pluginId: '10003', port: 161, protocol: 'udp', severity: 4, name: 'SNMP Default Community Name', cve: 'CVE-1999-0517' },
    ],
  },
];

/** One week later: one finding is gone, one is new, the rest are seen again. */
const SECOND_SCAN: TestHost[] = [
  {
    name: 'web-01.integration.test',
    ip: '192.0.2.11',
    items: [
      { pluginId: '10001', port: 443, protocol: 'tcp', severity: 3, name: 'OpenSSL Infinite Loop', cve: 'CVE-2022-0778' },
      { pluginId: '10002', port: 22, protocol: 'tcp', severity: 2, name: 'SSH Weak MAC Algorithms' },
      { pluginId: '10002', port: 2222, protocol: 'tcp', severity: 2, name: 'SSH Weak MAC Algorithms' },
      { pluginId: '19506', port: 0, protocol: 'tcp', severity: 0, name: 'Nessus Scan Information' },
      { pluginId: '10004', port: 80, protocol: 'tcp', severity: 2, name: 'HTTP TRACE Method Enabled' },
    ],
  },
  {
    name: 'db-01.integration.test',
    ip: '192.0.2.12',
    items: [{ pluginId: '10003', port: 161, protocol: 'udp', severity: 4, name: 'SNMP Default Community Name', cve: 'CVE-1999-0517' }],
  },
];

const encoder = new TextEncoder();

/** Yields the bytes in chunks of `size`, as an upload or a file stream would deliver them. */
async function* chunked(bytes: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** Yields the given pieces as they are, so a test controls where chunk boundaries fall. */
async function* pieces(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

function importBytes(db: Db, fileName: string, content: string | Uint8Array, options: Partial<ImportReportInput> = {}): Promise<ImportSummary> {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  return importReport(db, { fileName, bytes: chunked(bytes), ...options });
}

/** Everything an import can write, so a rejected import can be shown to have written nothing. */
async function snapshot(db: Db) {
  const rowCount = async (table: typeof assets | typeof findings | typeof detections | typeof technologies | typeof vulnerabilities) => {
    const [row] = await db.select({ value: count() }).from(table);
    return row?.value ?? 0;
  };
  return {
    assets: await rowCount(assets),
    findings: await rowCount(findings),
    detections: await rowCount(detections),
    technologies: await rowCount(technologies),
    vulnerabilities: await rowCount(vulnerabilities),
    assetRows: await db
      .select({ id: assets.id, name: assets.name, lastSeen: assets.lastSeen, riskScore: assets.riskScore })
      .from(assets)
      .orderBy(asc(assets.id)),
    findingRows: await db
      .select({ id: findings.id, title: findings.title, status: findings.status, lastFound: findings.lastFound, severity: findings.severity })
      .from(findings)
      .orderBy(asc(findings.id)),
    detectionRows: await db.select({ id: detections.id, lastImportId: detections.lastImportId }).from(detections).orderBy(asc(detections.id)),
  };
}

async function findingsOf(db: Db, assetName: string) {
  return db
    .select({ vendorId: findings.vendorId, port: findings.port, protocol: findings.protocol, status: findings.status, lastFound: findings.lastFound, title: findings.title, description: findings.description })
    .from(findings)
    .innerJoin(assets, eq(assets.id, findings.assetId))
    .where(eq(assets.name, assetName));
}

describe(`importReport on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  describe('a scan and its repeats', () => {
    const firstReport = nessusReport(FIRST_SCAN, SCAN_1);
    const firstKeys = expectedFindingKeys(FIRST_SCAN);

    it('first import creates assets and findings', async () => {
      const summary = await importBytes(db, 'first-scan.nessus', firstReport);

      expect(summary.error).toBeUndefined();
      expect(summary.status).toBe('succeeded');
      expect(summary.format).toBe('nessus');
      expect(summary.counts.assetsCreated).toBe(FIRST_SCAN.length);
      expect(summary.counts.findingsNew).toBe(firstKeys.size);
      expect(summary.counts.findingsUpdated).toBe(0);
      expect(summary.counts.detections).toBe(firstKeys.size);

      const state = await snapshot(db);
      expect(state.assets).toBe(FIRST_SCAN.length);
      expect(state.findings).toBe(firstKeys.size);
      expect(state.detections).toBe(firstKeys.size);
      expect(state.findingRows.every((row) => row.status === 'new')).toBe(true);
    });

    it('re-import of the same file changes nothing', async () => {
      const before = await snapshot(db);
      const summary = await importBytes(db, 'first-scan-again.nessus', firstReport);

      expect(summary.status).toBe('succeeded');
      expect(summary.counts.assetsCreated).toBe(0);
      expect(summary.counts.assetsUpdated).toBe(0);
      expect(summary.counts.assetsUnchanged).toBe(FIRST_SCAN.length);
      expect(summary.counts.findingsNew).toBe(0);
      expect(summary.counts.findingsUpdated).toBe(0);
      expect(summary.counts.findingsUnchanged).toBe(firstKeys.size);
      expect(summary.counts.detections).toBe(0);
      expect(await snapshot(db)).toEqual(before);
    });

    it('later scan updates findings to active', async () => {
      const secondKeys = expectedFindingKeys(SECOND_SCAN);
      const seenAgain = [...secondKeys].filter((key) => firstKeys.has(key));
      const appeared = [...secondKeys].filter((key) => !firstKeys.has(key));
      const summary = await importBytes(db, 'second-scan.nessus', nessusReport(SECOND_SCAN, SCAN_2));

      expect(summary.status).toBe('succeeded');
      expect(summary.counts.assetsCreated).toBe(0);
      expect(summary.counts.assetsUpdated).toBe(SECOND_SCAN.length);
      expect(summary.counts.findingsNew).toBe(appeared.length);
      expect(summary.counts.findingsUpdated).toBe(seenAgain.length);

      const web = await findingsOf(db, 'web-01.integration.test');
      const trace = web.find((row) => row.vendorId === '10004');
      expect(trace?.status).toBe('new');
      const openssl = web.find((row) => row.vendorId === '10001' && row.port === 443);
      expect(openssl?.status).toBe('active');
      expect(openssl?.lastFound.getTime()).toBeGreaterThanOrEqual(SCAN_2.getTime());

      const state = await snapshot(db);
      expect(state.findings).toBe(new Set([...firstKeys, ...secondKeys]).size);
    });

    it('older report after a newer one changes nothing', async () => {
      const before = await snapshot(db);
      const summary = await importBytes(db, 'first-scan-late.nessus', nessusReport(FIRST_SCAN, SCAN_1, 'Late copy of the first scan'));

      expect(summary.status).toBe('succeeded');
      expect(summary.counts.findingsNew).toBe(0);
      expect(summary.counts.findingsUpdated).toBe(0);
      expect(await snapshot(db)).toEqual(before);
    });

    it('import by path matches import by bytes', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'riskboard-import-'));
      try {
        const file = path.join(folder, 'second-scan.nessus');
        await writeFile(file, nessusReport(SECOND_SCAN, SCAN_2));
        const before = await snapshot(db);
        const summary = await importReport(db, { fileName: 'second-scan.nessus', path: file });

        expect(summary.status).toBe('succeeded');
        expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(summary.counts.findingsNew).toBe(0);
        expect(summary.counts.findingsUnchanged).toBe(expectedFindingKeys(SECOND_SCAN).size);
        expect(await snapshot(db)).toEqual(before);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });

  it('stores HTML and script in a title verbatim', async () => {
    const title = '<script>alert("x")</script><b>bold</b> & <img src=x onerror=alert(1)>';
    const description = '<iframe src="javascript:alert(2)"></iframe>';
    const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
    const host: TestHost = {
      name: 'markup.integration.test',
      ip: '192.0.2.30',
      items: [{ pluginId: '10100', port: 80, protocol: 'tcp', severity: 2, name: escape(title), description: escape(description) }],
    };

    const summary = await importBytes(db, 'markup.nessus', nessusReport([host], SCAN_1));

    expect(summary.status).toBe('succeeded');
    const [row] = await findingsOf(db, host.name);
    expect(row?.title).toBe(title);
    expect(row?.description).toBe(description);
  });

  describe('rejected reports', () => {
    /** A valid report with one line that a case replaces, so the broken line's number is known. */
    const template = nessusReport(
      [
        {
          name: 'victim.integration.test',
          ip: '192.0.2.40',
          items: [{ pluginId: '10200', port: 443, protocol: 'tcp', severity: 3, name: 'Broken Report Item', description: 'MARKER' }],
        },
      ],
      SCAN_1,
    );
    const templateLines = template.split('\n');
    /** A valid report of more than 1 KiB, for the cases with a 1 KiB limit. */
    const largeReport = nessusReport(
      [
        {
          name: 'large.integration.test',
          ip: '192.0.2.41',
          items: Array.from({ length: 20 }, (_, index) => ({ pluginId: String(10400 + index), port: 443, protocol: 'tcp' as const, severity: 2 as const, name: `Large Report Item ${index}` })),
        },
      ],
      SCAN_1,
    );
    const markerLine = templateLines.findIndex((line) => line.includes('MARKER')) + 1;

    /** Returns the template with the marker line replaced, plus that line's number. */
    const withMarkerLine = (replacement: string) => ({
      text: templateLines.map((line, index) => (index + 1 === markerLine ? replacement : line)).join('\n'),
      line: markerLine,
    });

    const malformed = withMarkerLine('<description>unclosed</descriptio>');
    const truncatedText = template.slice(0, template.indexOf('</ReportItem>'));
    const truncatedLine = truncatedText.split('\n').length;
    const xxe = [
      '<?xml version="1.0" ?>',
      '<!DOCTYPE NessusClientData_v2 [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
      ...templateLines.slice(1).map((line) => line.replace('MARKER', '&xxe;')),
    ].join('\n');
    const laughs = [
      '<?xml version="1.0" ?>',
      '<!DOCTYPE NessusClientData_v2 [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, level) => ` <!ENTITY lol${level + 1} "${`&lol${level === 0 ? '' : level};`.repeat(10)}">`),
      ']>',
      ...templateLines.slice(1).map((line) => line.replace('MARKER', '&lol9;')),
    ].join('\n');
    const trivyReport = JSON.stringify(
      {
        SchemaVersion: 2,
        ArtifactName: 'registry.integration.test/app:1.0',
        ArtifactType: 'container_image',
        Results: [
          {
            Target: 'registry.integration.test/app:1.0 (alpine 3.19.1)',
            Class: 'os-pkgs',
            Type: 'alpine',
            Vulnerabilities: [
              { VulnerabilityID: 'CVE-2024-0727', PkgName: 'libcrypto3', InstalledVersion: '3.1.4-r2', Severity: 'MEDIUM', Title: 'openssl: denial of service' },
              { VulnerabilityID: 'CVE-2023-6129', PkgName: 'libcrypto3', InstalledVersion: '3.1.4-r2', Severity: 'MEDIUM', Title: 'openssl: POLY1305 MAC corrupts vector registers' },
            ],
          },
        ],
      },
      null,
      2,
    );
    const truncatedJson = trivyReport.slice(0, trivyReport.indexOf('openssl: POLY1305'));
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(template, 'utf16le'))]);
    const invalidUtf8 = (() => {
      const [before = '', after = ''] = template.split('MARKER');
      return new Uint8Array([...encoder.encode(`${before}bad `), 0xff, ...encoder.encode(` byte${after}`)]);
    })();

    interface BadCase {
      name: string;
      fileName: string;
      bytes: () => AsyncIterable<Uint8Array>;
      options?: Partial<ImportReportInput>;
      /** The error code, or the codes that each describe the case correctly. */
      code: ReportErrorCode | ReportErrorCode[];
      /** What the message must contain besides the file name: the line, the field or the cause. */
      where: RegExp;
    }

    const cases: BadCase[] = [
      { name: 'malformed XML', fileName: 'malformed.nessus', bytes: () => chunked(encoder.encode(malformed.text)), code: 'malformed', where: new RegExp(`line ${malformed.line}\\b`) },
      { name: 'truncated XML', fileName: 'truncated.nessus', bytes: () => chunked(encoder.encode(truncatedText)), code: 'malformed', where: new RegExp(`line ${truncatedLine}\\b`) },
      { name: 'truncated JSON', fileName: 'truncated.json', bytes: () => chunked(encoder.encode(truncatedJson)), code: 'malformed', where: /Results\[0\]\.Vulnerabilities\[1\]/ },
      {
        name: 'XML of another format',
        fileName: 'catalog.xml',
        bytes: () => chunked(encoder.encode('<?xml version="1.0"?>\n<catalog>\n  <book id="1"><title>XML Basics</title></book>\n</catalog>\n')),
        code: 'unknown_format',
        where: /matches none of the supported report formats/,
      },
      {
        name: 'JSON of another format',
        fileName: 'package.json',
        bytes: () => chunked(encoder.encode('{\n  "name": "left-pad",\n  "version": "1.3.0"\n}\n')),
        code: 'unknown_format',
        where: /matches none of the supported report formats/,
      },
      {
        name: 'forced format on another XML',
        fileName: 'catalog-as-nessus.xml',
        bytes: () => chunked(encoder.encode('<?xml version="1.0"?>\n<catalog>\n  <book id="1"/>\n</catalog>\n')),
        options: { format: 'nessus' },
        code: 'wrong_format',
        where: /root element is <catalog>/,
      },
      { name: 'zero-byte file', fileName: 'empty.nessus', bytes: () => chunked(new Uint8Array(0)), code: 'empty', where: /empty/ },
      { name: 'whitespace only', fileName: 'blank.nessus', bytes: () => chunked(encoder.encode(' \n\t\r\n   \n')), code: 'empty', where: /empty/ },
      {
        name: 'file over the size limit',
        fileName: 'large.nessus',
        bytes: () => chunked(encoder.encode(largeReport), 256),
        options: { maxBytes: 1024 },
        code: 'too_large',
        where: /1024 bytes/,
      },
      { name: 'XXE entity in DOCTYPE', fileName: 'xxe.nessus', bytes: () => chunked(encoder.encode(xxe)), code: 'forbidden_dtd', where: /line 2\b/ },
      { name: 'billion laughs', fileName: 'laughs.nessus', bytes: () => chunked(encoder.encode(laughs)), code: 'forbidden_dtd', where: /line \d+/ },
      { name: 'invalid UTF-8 byte', fileName: 'latin1.nessus', bytes: () => chunked(invalidUtf8, 64), code: 'invalid_encoding', where: new RegExp(`line ${markerLine}\\b`) },
      {
        name: 'invalid byte after split character',
        fileName: 'split.nessus',
        // The chunk with the invalid byte starts in the middle of the "é" that ends the line
        // before, as an upload may split a character between two network reads.
        bytes: () => {
          const [before = '', after = ''] = template.split('MARKER');
          const lines = before.split('\n');
          lines[lines.length - 2] += ' café';
          const head = encoder.encode(lines.join('\n'));
          const all = new Uint8Array([...head, 0xff, ...encoder.encode(after)]);
          const splitAt = head.lastIndexOf(0xc3) + 1;
          return pieces([all.subarray(0, splitAt), all.subarray(splitAt)]);
        },
        code: 'invalid_encoding',
        where: new RegExp(`line ${markerLine}\\b`),
      },
      { name: 'UTF-16 with byte order mark', fileName: 'utf16.nessus', bytes: () => chunked(utf16), code: 'invalid_encoding', where: /UTF-16.*line 1\b/ },
      { name: 'JSON null', fileName: 'null.json', bytes: () => chunked(encoder.encode('null')), code: 'empty', where: /holds no report/ },
      { name: 'JSON empty object', fileName: 'object.json', bytes: () => chunked(encoder.encode('{}')), code: 'empty', where: /holds no report/ },
      {
        name: 'JSON null as Trivy',
        fileName: 'null-as-trivy.json',
        bytes: () => chunked(encoder.encode('null')),
        options: { format: 'trivy' },
        code: ['malformed', 'wrong_format'],
        where: /JSON object or array/,
      },
      {
        name: 'JSON empty object as Trivy',
        fileName: 'object-as-trivy.json',
        bytes: () => chunked(encoder.encode('{}')),
        options: { format: 'trivy' },
        code: ['empty', 'wrong_format'],
        where: /ArtifactName|Results/,
      },
    ];

    let counter = 0;

    /** Imports a small valid report with a host of its own, to show the importer still works. */
    async function importStillWorks(): Promise<void> {
      counter++;
      const host: TestHost = {
        name: `after-rejection-${counter}.integration.test`,
        ip: `198.51.100.${counter}`,
        items: [{ pluginId: '10300', port: 80, protocol: 'tcp', severity: 1, name: 'Health Check After Rejection' }],
      };
      const summary = await importBytes(db, `after-rejection-${counter}.nessus`, nessusReport([host], SCAN_1));
      expect(summary.status).toBe('succeeded');
      expect(summary.counts.assetsCreated).toBe(1);
      expect(summary.counts.findingsNew).toBe(1);
    }

    for (const badCase of cases) {
      it(`rejects ${badCase.name}`, async () => {
        const before = await snapshot(db);
        const summary = await importReport(db, { fileName: badCase.fileName, bytes: badCase.bytes(), ...badCase.options });

        expect(summary.status).toBe('failed');
        expect([badCase.code].flat()).toContain(summary.error?.code);
        expect(summary.error?.message).toContain(badCase.fileName);
        expect(summary.error?.message).toMatch(badCase.where);
        expect(summary.counts.findingsNew).toBe(0);
        expect(await snapshot(db)).toEqual(before);

        const [logged] = await db.select().from(imports).where(eq(imports.id, summary.importId));
        expect(logged?.status).toBe('failed');
        expect(logged?.error).toBe(summary.error?.message);

        await importStillWorks();
      });
    }

    it('rejects an oversized file by path', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'riskboard-import-'));
      try {
        const file = path.join(folder, 'large-on-disk.nessus');
        expect(Buffer.byteLength(largeReport)).toBeGreaterThan(1024);
        await writeFile(file, largeReport);
        const before = await snapshot(db);
        const summary = await importReport(db, { fileName: 'large-on-disk.nessus', path: file, maxBytes: 1024 });

        expect(summary.status).toBe('failed');
        expect(summary.error?.code).toBe('too_large');
        expect(summary.error?.message).toContain('large-on-disk.nessus');
        expect(await snapshot(db)).toEqual(before);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('records the file size of a failed import', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'riskboard-import-'));
      try {
        // Malformed near the start of a large file, so the import stops long before its end.
        const text = `${largeReport.replace('<ReportItem ', '<ReportItem <')}\n<!-- ${'padding '.repeat(200_000)} -->\n`;
        const file = path.join(folder, 'broken-at-end.nessus');
        await writeFile(file, text);

        const summary = await importReport(db, { fileName: 'broken-at-end.nessus', path: file });
        const [row] = await db.select({ sizeBytes: imports.sizeBytes }).from(imports).where(eq(imports.id, summary.importId));

        expect(summary.status).toBe('failed');
        expect(row?.sizeBytes).toBe(Buffer.byteLength(text));
        expect(summary.counts.findingsSkipped).toBe(0);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('never reads the XXE target', async () => {
      const rows = await db.select({ description: findings.description }).from(findings);
      expect(rows.some((row) => row.description?.includes('root:'))).toBe(false);
    });
  });
});
