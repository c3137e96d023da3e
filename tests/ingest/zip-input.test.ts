import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, findings } from '../../db/schema';
import { importReport } from '../../lib/ingest/import-report';
import { ReportError } from '../../lib/ingest/report-error';
import { isZipHead, unsafeEntryName, ZipArchive, type ZipLimits } from '../../lib/ingest/zip-input';
import { createTestDb } from '../helpers/test-db';
import { buildZip, deflatedZeros, type ZipEntrySpec } from './zip-builder';

let directory: string;
let fileCount = 0;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'riskboard-zip-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function zipFile(entries: ZipEntrySpec[] | Buffer): Promise<string> {
  const file = path.join(directory, `archive-${++fileCount}.zip`);
  await writeFile(file, Buffer.isBuffer(entries) ? entries : buildZip(entries));
  return file;
}

/** Opens the archive and reads every entry; returns the error it was rejected with. */
async function rejection(entries: ZipEntrySpec[] | Buffer, limits: ZipLimits = { maxBytes: 64 * 1024 * 1024 }): Promise<ReportError> {
  const file = await zipFile(entries);
  let archive: ZipArchive | undefined;
  try {
    archive = await ZipArchive.open(file, limits);
    for (const entry of archive.entries) for await (const chunk of archive.text(entry.name)) void chunk;
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  } finally {
    await archive?.close();
  }
  throw new Error('the archive was accepted');
}

const PAGE = JSON.stringify({ value: [{ id: 'm1' }] });

describe('ZipArchive', () => {
  it('lists file entries, skips folders and reads stored and deflated entries as text', async () => {
    const file = await zipFile([
      { name: 'machines/', data: '', method: 0 },
      { name: 'machines/page-1.json', data: PAGE, method: 0 },
      { name: 'vulnerabilities/page-1.json', data: '{"value": ["é"]}' },
    ]);
    const archive = await ZipArchive.open(file, { maxBytes: 1024 * 1024 });
    try {
      expect(archive.entries.map((entry) => entry.name)).toEqual(['machines/page-1.json', 'vulnerabilities/page-1.json']);
      let text = '';
      for await (const chunk of archive.text('vulnerabilities/page-1.json')) text += chunk;
      expect(text).toBe('{"value": ["é"]}');
    } finally {
      await archive.close();
    }
  });

  it('recognizes the zip magic bytes', () => {
    expect(isZipHead(buildZip([{ name: 'a.json', data: '{}' }]))).toBe(true);
    expect(isZipHead(Buffer.from('{"value": []}'))).toBe(false);
    expect(isZipHead(Buffer.from('PK'))).toBe(false);
  });

  it.each([
    ['../evil.json'],
    ['vulnerabilities/../../evil.json'],
    ['/etc/cron.d/evil.json'],
    ['C:/Windows/evil.json'],
    ['vulnerabilities\\..\\evil.json'],
  ])('rejects the entry name %s', async (name) => {
    const error = await rejection([{ name, data: PAGE }]);
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toMatch(/name|path/);
  });

  it('explains unsafe names in its own words', () => {
    expect(unsafeEntryName('machines/a.json')).toBeUndefined();
    expect(unsafeEntryName('a/../../b')).toMatch(/\.\./);
    expect(unsafeEntryName('D:evil')).toMatch(/drive letter/);
    expect(unsafeEntryName('a\\b')).toMatch(/backslash/);
    expect(unsafeEntryName('/a')).toMatch(/absolute/);
    expect(unsafeEntryName('a\u0000b')).toMatch(/control/);
  });

  it('rejects an encrypted entry and names it', async () => {
    const error = await rejection([{ name: 'vulnerabilities/secret.json', data: PAGE, flags: 0x1 }]);
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toContain('vulnerabilities/secret.json');
    expect(error.message).toMatch(/encrypted/);
  });

  it('rejects a nested archive by its name', async () => {
    const error = await rejection([{ name: 'vulnerabilities/more.zip', data: buildZip([{ name: 'a.json', data: PAGE }]) }]);
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toContain('vulnerabilities/more.zip');
  });

  it('rejects a nested archive hidden behind a .json name', async () => {
    const error = await rejection([{ name: 'vulnerabilities/page.json', data: buildZip([{ name: 'a.json', data: PAGE }]), method: 0 }]);
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toMatch(/vulnerabilities\/page\.json is itself a zip archive/);
  });

  it('rejects an entry that declares a zip bomb ratio before reading it', async () => {
    const bomb = await deflatedZeros(64 * 1024 * 1024);
    expect(bomb.bytes.length).toBeLessThan(256 * 1024);
    const error = await rejection([{ name: 'vulnerabilities/bomb.json', deflated: bomb }], { maxBytes: 1024 ** 3 });
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toMatch(/vulnerabilities\/bomb\.json declares more than 200 times/);
  });

  it('stops inflating an entry whose declared size lies, by the bytes actually inflated', async () => {
    const bomb = await deflatedZeros(64 * 1024 * 1024);
    const error = await rejection([{ name: 'vulnerabilities/bomb.json', deflated: bomb, declaredSize: 100 }], { maxBytes: 1024 ** 3 });
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toMatch(/vulnerabilities\/bomb\.json inflates to a different size than it declares/);
  });

  it('bounds the total inflated bytes by the import limit', async () => {
    const page = JSON.stringify({ value: Array.from({ length: 2000 }, (_, index) => ({ id: `machine-${index}-${Math.random()}` })) });
    const declared = await rejection(
      [
        { name: 'machines/1.json', data: page },
        { name: 'machines/2.json', data: page },
      ],
      { maxBytes: page.length + 10 },
    );
    expect(declared.code).toBe('too_large');
    expect(declared.message).toContain('machines/2.json');
  });

  it('bounds the number of entries', async () => {
    const entries = Array.from({ length: 5 }, (_, index) => ({ name: `machines/${index}.json`, data: PAGE }));
    const error = await rejection(entries, { maxBytes: 1024 * 1024, maxEntries: 3 });
    expect(error.code).toBe('unsafe_archive');
    expect(error.message).toMatch(/5 entries/);
  });

  it('rejects a truncated archive as malformed', async () => {
    const whole = buildZip([{ name: 'machines/1.json', data: PAGE }]);
    const error = await rejection(whole.subarray(0, whole.length - 30));
    expect(error.code).toBe('malformed');
  });
});

describe('importReport with zip archives', () => {
  async function* bytesOf(buffer: Buffer): AsyncGenerator<Uint8Array> {
    for (let start = 0; start < buffer.length; start += 1000) yield buffer.subarray(start, start + 1000);
  }

  it('rejects an unsafe upload and writes nothing', async () => {
    const handle = await createTestDb();
    try {
      const zip = buildZip([
        { name: 'machines/m.json', data: PAGE },
        { name: '../../outside.json', data: PAGE },
      ]);
      const summary = await importReport(handle.db, { fileName: 'export.zip', bytes: bytesOf(zip) });
      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('unsafe_archive');
      expect(summary.error?.message).toMatch(/^export\.zip: zip entry is rejected because its name is unsafe/);
      const [assetRows] = await handle.db.select({ value: count() }).from(assets);
      const [findingRows] = await handle.db.select({ value: count() }).from(findings);
      expect(assetRows?.value).toBe(0);
      expect(findingRows?.value).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it('rejects an archive with no entries of a supported report', async () => {
    const handle = await createTestDb();
    try {
      const summary = await importReport(handle.db, { fileName: 'notes.zip', bytes: bytesOf(buildZip([{ name: 'notes.txt', data: 'hello' }])) });
      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('unknown_format');
      expect(summary.error?.message).toContain('notes.txt');
    } finally {
      await handle.close();
    }
  });

  it('rejects a zip when the chosen format is not read from archives', async () => {
    const handle = await createTestDb();
    try {
      const summary = await importReport(handle.db, { fileName: 'x.zip', format: 'grype', bytes: bytesOf(buildZip([{ name: 'machines/m.json', data: PAGE }])) });
      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('wrong_format');
    } finally {
      await handle.close();
    }
  });

  it('counts an uploaded archive against the import limit', async () => {
    const handle = await createTestDb();
    try {
      const zip = buildZip([{ name: 'machines/m.json', data: PAGE, method: 0 }]);
      const summary = await importReport(handle.db, { fileName: 'x.zip', maxBytes: zip.length - 1, bytes: bytesOf(zip) });
      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('too_large');
    } finally {
      await handle.close();
    }
  });
});
