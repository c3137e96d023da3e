import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { detections, findings } from '../../db/schema';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import type { ReportFormat } from '../../lib/ingest/model';
import { MAX_FINDING_TEXT_LENGTH } from '../../lib/ingest/text-limits';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Bad input, table-driven, for three kinds of report: Nessus XML, Trivy JSON and Nessus CSV.
// Every rejected file ends in a clear message, writes nothing (the counts of assets, findings and
// detections stay as a good earlier import left them), and the process goes on.

interface Finding {
  id: string;
  title: string;
  severity: string;
  cve?: string;
  description?: string;
}

interface Kind {
  format: ReportFormat;
  fileName: string;
  /** A report with one asset and the given findings. */
  render(asset: string, items: Finding[]): string;
  /** A severity value outside the format's scale, and the field the error must name. */
  badSeverity: { value: string; field: RegExp };
  goodSeverity: string;
}

const CSV_HEADER = 'Plugin ID,CVE,CVSS v2.0 Base Score,Risk,Host,Protocol,Port,Name,Synopsis,Description,Solution,See Also,Plugin Output';
const csvCell = (value: string) => `"${value.replace(/"/g, '""')}"`;
const xml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const KINDS: Kind[] = [
  {
    format: 'nessus',
    fileName: 'scan.nessus',
    goodSeverity: '3',
    badSeverity: { value: '9', field: /field severity/ },
    render: (asset, items) =>
      [
        '<?xml version="1.0" ?>',
        '<NessusClientData_v2>',
        '<Report name="bad input">',
        `<ReportHost name="${asset}"><HostProperties><tag name="host-ip">${asset}</tag><tag name="HOST_END_TIMESTAMP">1780000000</tag></HostProperties>`,
        ...items.map(
          (item) =>
            `<ReportItem port="443" svc_name="www" protocol="tcp" severity="${item.severity}" pluginID="${item.id}" pluginName="${xml(item.title)}" pluginFamily="General">` +
            `${item.cve ? `<cve>${xml(item.cve)}</cve>` : ''}<description>${xml(item.description ?? 'A description.')}</description></ReportItem>`,
        ),
        '</ReportHost>',
        '</Report>',
        '</NessusClientData_v2>',
        '',
      ].join('\n'),
  },
  {
    format: 'trivy',
    fileName: 'image.json',
    goodSeverity: 'HIGH',
    badSeverity: { value: 'EXTREME', field: /field Results\[0\]\.Vulnerabilities\[0\]\.Severity/ },
    render: (asset, items) =>
      JSON.stringify(
        {
          SchemaVersion: 2,
          CreatedAt: '2026-06-01T10:00:00Z',
          ArtifactName: `registry.example.test/${asset}:1.0`,
          ArtifactType: 'container_image',
          Results: [
            {
              Target: 'image (debian 12)',
              Class: 'os-pkgs',
              Type: 'debian',
              Vulnerabilities: items.map((item) => ({
                VulnerabilityID: item.cve ?? `TEMP-${item.id}`,
                PkgName: `pkg-${item.id}`,
                InstalledVersion: '1.0',
                Severity: item.severity,
                Title: item.title,
                Description: item.description ?? 'A description.',
              })),
            },
          ],
        },
        null,
        1,
      ),
  },
  {
    format: 'nessus-csv',
    fileName: 'export.csv',
    goodSeverity: 'High',
    badSeverity: { value: 'Apocalyptic', field: /line 2, field Risk/ },
    render: (asset, items) =>
      [
        CSV_HEADER,
        ...items.map((item) =>
          [item.id, item.cve ?? '', '', item.severity, asset, 'tcp', '443', item.title, 'Synopsis', item.description ?? 'A description.', 'Update.', '', ''].map(csvCell).join(','),
        ),
        '',
      ].join('\n'),
  },
];

async function* chunks(data: Uint8Array): AsyncGenerator<Uint8Array> {
  // Several chunks, so decoders see characters split across chunk edges.
  for (let start = 0; start < data.length; start += 4096) yield data.subarray(start, start + 4096);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    out[2 + index * 2] = code & 0xff;
    out[3 + index * 2] = code >> 8;
  }
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from([...text].map((char) => char.charCodeAt(0) & 0xff));
}

interface Counts {
  assets: number;
  findings: number;
  detections: number;
}

async function counts(db: Db): Promise<Counts> {
  const [row] = await queryRows<Counts>(
    db,
    sql`select (select count(*) from assets)::int as assets, (select count(*) from findings)::int as findings, (select count(*) from detections)::int as detections`,
  );
  if (!row) throw new Error('no counts');
  return row;
}

describe(`bad input (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    for (const kind of KINDS) {
      const good = await importReport(db, { fileName: `good-${kind.fileName}`, bytes: chunks(utf8(kind.render('10.120.0.1', [{ id: '1001', title: 'Good finding', severity: kind.goodSeverity, cve: 'CVE-2024-0001' }]))) });
      expect(good.error).toBeUndefined();
    }
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Imports `data` and checks it was rejected with `message`, writing nothing. */
  async function rejects(fileName: string, data: Uint8Array, message: RegExp, format?: ReportFormat): Promise<ImportSummary> {
    const before = await counts(db);
    const summary = await importReport(db, { fileName, bytes: chunks(data), format });
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toMatch(message);
    expect(summary.error?.message.startsWith(`${fileName}: `)).toBe(true);
    expect(await counts(db)).toEqual(before);
    return summary;
  }

  describe.each(KINDS)('$format', (kind) => {
    const good = () => kind.render('10.120.0.2', [{ id: '2001', title: 'Second finding', severity: kind.goodSeverity }]);

    it('rejects a truncated file with the line or field it ends at', async () => {
      const text = good();
      const summary = await rejects(`truncated-${kind.fileName}`, utf8(text.slice(0, Math.floor(text.length * 0.6))), /truncated|ends|\(line \d+|\(field /, kind.format);
      expect(summary.error?.code).toMatch(/malformed|invalid_field|empty/);
    });

    it('rejects a zero-byte file', async () => {
      await rejects(`empty-${kind.fileName}`, new Uint8Array(), /file is empty|contains no/);
    });

    it('rejects UTF-16 with a byte order mark and says how to convert it', async () => {
      await rejects(`utf16-${kind.fileName}`, utf16le(good()), /UTF-16.*iconv -f UTF-16 -t UTF-8/);
    });

    it('rejects Latin-1 text without a declaration, naming the byte offset', async () => {
      const text = kind.render('10.120.0.3', [{ id: '2002', title: 'Caf\u00e9 finding', severity: kind.goodSeverity }]);
      const offset = utf8(text.slice(0, text.indexOf('\u00e9'))).length;
      await rejects(`latin1-${kind.fileName}`, latin1(text), new RegExp(`not valid UTF-8: byte ${offset} \\(0xe9\\).*save the report as UTF-8`), kind.format);
    });

    it('rejects a severity outside the scale, naming the field', async () => {
      await rejects(`severity-${kind.fileName}`, utf8(kind.render('10.120.0.4', [{ id: '2003', title: 'Odd severity', severity: kind.badSeverity.value }])), kind.badSeverity.field);
    });

    it('keeps a malformed CVE id out of the CVE fields', async () => {
      const summary = await importReport(db, { fileName: `cve-${kind.fileName}`, bytes: chunks(utf8(kind.render('10.120.0.5', [{ id: '2004', title: `Bad CVE ${kind.format}`, severity: kind.goodSeverity, cve: 'CVE-24-12' }]))) });
      expect(summary.status).toBe('succeeded');
      const [row] = await db
        .select({ id: findings.id, cveId: findings.cveId, cveIds: findings.cveIds, vendorId: findings.vendorId })
        .from(findings)
        .where(eq(findings.title, `Bad CVE ${kind.format}`));
      expect(row).toMatchObject({ cveId: null, cveIds: [] });
      const [detection] = await db.select({ raw: detections.raw }).from(detections).where(eq(detections.findingId, row?.id ?? 0));
      // Trivy's id field becomes the vendor id; Nessus keeps the value in the raw fields.
      expect(JSON.stringify({ raw: detection?.raw, vendorId: row?.vendorId })).toContain('CVE-24-12');
    });

    it('merges a finding listed twice into one', async () => {
      const item = { id: '2005', title: `Twice ${kind.format}`, severity: kind.goodSeverity };
      const summary = await importReport(db, { fileName: `twice-${kind.fileName}`, bytes: chunks(utf8(kind.render('10.120.0.6', [item, item]))) });
      expect(summary.status).toBe('succeeded');
      if (kind.format === 'nessus-csv') {
        // A Nessus CSV export repeats a plugin's row once per CVE, so its parser merges the rows
        // before they are counted.
        expect(summary.counts).toMatchObject({ findingsNew: 1, findingsSkipped: 0 });
      } else {
        expect(summary.counts).toMatchObject({ findingsNew: 1, findingsSkipped: 1, skipped: { 'finding listed twice in the report; merged into one': 1 } });
      }
    });

    it('cuts a multi-megabyte description with a marker', async () => {
      const long = `${'Long description. '.repeat(200_000)}END`;
      const heapBefore = process.memoryUsage().heapUsed;
      const summary = await importReport(db, { fileName: `long-${kind.fileName}`, bytes: chunks(utf8(kind.render('10.120.0.7', [{ id: '2006', title: `Long ${kind.format}`, severity: kind.goodSeverity, description: long }]))) });
      expect(summary.status).toBe('succeeded');
      // A few copies of the text at most, never the whole report tree.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
      const [row] = await db.select({ id: findings.id, description: findings.description }).from(findings).where(eq(findings.title, `Long ${kind.format}`));
      expect(row?.description).toHaveLength(MAX_FINDING_TEXT_LENGTH);
      expect(row?.description).toMatch(/\[Truncated by Riskboard: the report's text has 3,600,003 characters; the detection's raw fields keep all of it\.\]$/);
      const [detection] = await db.select({ raw: detections.raw }).from(detections).where(eq(detections.findingId, row?.id ?? 0));
      expect((detection?.raw.fullText as { description?: string } | undefined)?.description).toBe(long);
    });

    it('stores HTML and script in text fields as text', async () => {
      const title = `<script>alert("${kind.format}")</script><b>bold</b>`;
      const description = `<img src=x onerror="alert(1)"> & <iframe src="javascript:alert(2)"></iframe>`;
      const summary = await importReport(db, { fileName: `html-${kind.fileName}`, bytes: chunks(utf8(kind.render('10.120.0.8', [{ id: '2007', title, severity: kind.goodSeverity, description }]))) });
      expect(summary.status).toBe('succeeded');
      const [row] = await db.select({ title: findings.title, description: findings.description }).from(findings).where(eq(findings.title, title));
      expect(row).toEqual({ title, description });
    });
  });

  it.each([
    ['null', undefined],
    ['{}', undefined],
    ['  null\n', 'trivy' as const],
    ['{ }', 'trivy' as const],
  ])('rejects the JSON body %j (format %s)', async (body, format) => {
    await rejects('body.json', utf8(body), /JSON value (null|\{\}), which holds no report|no scanned artifact|expected a JSON object or array at the top level/, format);
  });

  it('decodes XML that declares ISO-8859-1', async () => {
    const text = KINDS[0]?.render('10.120.0.9', [{ id: '3001', title: 'Caf\u00e9 cr\u00e8me', severity: '2' }]).replace('<?xml version="1.0" ?>', '<?xml version="1.0" encoding="ISO-8859-1"?>') ?? '';
    const summary = await importReport(db, { fileName: 'latin1-declared.nessus', bytes: chunks(latin1(text)) });
    expect(summary.error).toBeUndefined();
    const [row] = await db.select({ title: findings.title }).from(findings).where(eq(findings.title, 'Caf\u00e9 cr\u00e8me'));
    expect(row?.title).toBe('Caf\u00e9 cr\u00e8me');
  });
});
