import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assets, feedRuns, feedState, findings, vulnerabilities } from '../../db/schema';
import { detectFeedKindFromText } from '../../lib/feeds/feed-file';
import { importFeedDirectory, importFeedFile } from '../../lib/feeds/import-feed';
import { createTestDb } from '../helpers/test-db';

const FIXTURES = path.resolve(__dirname, '../fixtures/feeds');
const fixture = (name: string) => path.join(FIXTURES, name);

let handle: DbHandle;
let workDir: string;

beforeAll(async () => {
  handle = await createTestDb();
  workDir = await mkdtemp(path.join(tmpdir(), 'riskboard-feeds-'));
});

afterAll(async () => {
  await handle.close();
  await rm(workDir, { recursive: true, force: true });
});

async function catalogRow(cveId: string) {
  const [row] = await handle.db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, cveId));
  return row;
}

async function catalogCount(): Promise<number> {
  const [row] = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from vulnerabilities`);
  return row?.count ?? 0;
}

describe('feed detection', () => {
  it.each([
    ['#model_version:v2025.03.14,score_date:2026-12-01T12:55:00Z\ncve,epss,percentile\n', 'epss'],
    ['cve,epss,percentile\nCVE-2024-3400,0.9,0.9\n', 'epss'],
    ['{"dataType":"CVE_RECORD","dataVersion":"5.1"}', 'cve5'],
    ['{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE"', 'nvd'],
    ['{"title":"CISA Catalog","catalogVersion":"2025.08.25"', 'kev'],
    ['{"$schema":"x","properties":{"catalogVersion":{"type":"string"}}}', undefined],
    ['{"resultsPerPage":1,"format":"NVD_CPE","products":[]}', undefined],
    ['cveID,vendorProject\n', undefined],
  ])('recognizes %j as %s', (text, expected) => {
    expect(detectFeedKindFromText(text)).toBe(expected);
  });
});

describe('feed import', () => {
  it('stores KEV entries with ransomware use, vendor and product', async () => {
    const summary = await importFeedFile(handle.db, fixture('kev-catalog.json'));
    expect(summary.status).toBe('succeeded');
    expect(summary.feed).toBe('kev');
    expect(summary.records).toBe(2);

    const pan = await catalogRow('CVE-2024-3400');
    expect(pan?.isKev).toBe(true);
    expect(pan?.kevDateAdded).toBe('2024-04-12');
    expect(pan?.kevDueDate).toBe('2024-04-19');
    expect(pan?.kevRansomwareUse).toBe(true);
    expect(pan?.kevVendorProject).toBe('Palo Alto Networks');
    expect(pan?.kevProduct).toBe('PAN-OS');
    expect((await catalogRow('CVE-2021-44228'))?.kevRansomwareUse).toBe(false);

    const [state] = await handle.db.select().from(feedState).where(eq(feedState.feed, 'kev'));
    expect(state?.catalogVersion).toBe('2026.11.30');
    expect(state?.recordCount).toBe(2);
  });

  it('stores EPSS scores from a plain and a gzip file', async () => {
    const plain = await importFeedFile(handle.db, fixture('epss-scores.csv'));
    expect(plain.status).toBe('succeeded');
    expect(plain.records).toBe(3);
    expect((await catalogRow('CVE-2023-0001'))?.epssScore).toBeCloseTo(0.00044, 6);

    const gzipped = path.join(workDir, 'scores-without-a-telling-name.bin');
    const csv = (await readFile(fixture('epss-scores.csv'), 'utf8')).replace('0.94335', '0.5');
    await writeFile(gzipped, gzipSync(csv));
    const compressed = await importFeedFile(handle.db, gzipped);
    expect(compressed.feed).toBe('epss');
    expect(compressed.status).toBe('succeeded');
    expect(compressed.catalogChanged).toBe(1);
    expect((await catalogRow('CVE-2024-3400'))?.epssScore).toBeCloseTo(0.5, 6);
    expect((await catalogRow('CVE-2024-3400'))?.epssPercentile).toBeCloseTo(0.99959, 5);

    const [state] = await handle.db.select().from(feedState).where(eq(feedState.feed, 'epss'));
    expect(state?.scoreDate).toBe('2026-12-01T12:55:00Z');
    expect(state?.modelVersion).toBe('v2025.03.14');
  });

  it('stores NVD items, preferring the primary CVSS', async () => {
    const summary = await importFeedFile(handle.db, fixture('nvd-page.json'));
    expect(summary.status).toBe('succeeded');
    expect(summary.records).toBe(2);

    const log4j = await catalogRow('CVE-2021-44228');
    expect(log4j?.cvss3BaseScore).toBe(10);
    expect(log4j?.cvss2Vector).toBe('AV:N/AC:M/Au:N/C:C/I:C/A:C');
    expect(log4j?.cweIds).toEqual(['CWE-20', 'CWE-917']);
    expect(log4j?.publishedAt?.toISOString()).toBe('2021-12-10T10:15:09.143Z');
    expect(log4j?.description).toMatch(/^Apache Log4j2 JNDI/);
    expect(log4j?.references).toEqual([{ url: 'https://logging.apache.org/log4j/2.x/security.html', tags: ['Release Notes', 'Vendor Advisory'] }]);
    expect(log4j?.kevRansomwareUse).toBe(false);

    const cortex = await catalogRow('CVE-2023-0001');
    expect(cortex?.cvss3BaseScore).toBe(4.4);
    expect(cortex?.cvss4BaseScore).toBe(6.8);
    expect(cortex?.epssScore).toBeCloseTo(0.00044, 6);
    expect(cortex?.isKev).toBe(false);
  });

  it('ignores an NVD item older than the stored one', async () => {
    const older = path.join(workDir, 'older-page.json');
    const text = (await readFile(fixture('nvd-page.json'), 'utf8'))
      .replace('"lastModified":"2023-02-18T20:41:02.460"', '"lastModified":"2023-02-10T00:00:00.000"')
      .replace('"baseScore":4.4', '"baseScore":3.3');
    await writeFile(older, text);
    const summary = await importFeedFile(handle.db, older);
    expect(summary.status).toBe('succeeded');
    expect((await catalogRow('CVE-2023-0001'))?.cvss3BaseScore).toBe(4.4);
  });

  it('stores a CVE record with CISA SSVC and KEV', async () => {
    const summary = await importFeedFile(handle.db, fixture('cve-record.json'));
    expect(summary.feed).toBe('cve5');
    expect(summary.status).toBe('succeeded');

    const pan = await catalogRow('CVE-2024-3400');
    expect(pan?.ssvc).toEqual({ exploitation: 'active', automatable: 'yes', technicalImpact: 'total' });
    expect(pan?.cvss3BaseScore).toBe(10);
    expect(pan?.cweIds).toEqual(['CWE-77']);
    expect(pan?.kevDateAdded).toBe('2024-04-12');
  });

  it('rejects a bad KEV entry, naming the field and writing nothing', async () => {
    const before = await catalogCount();
    const kevBefore = await catalogRow('CVE-2021-44228');
    const summary = await importFeedFile(handle.db, fixture('kev-invalid-entry.json'));
    expect(summary.status).toBe('failed');
    expect(summary.error).toContain('kev-invalid-entry.json');
    expect(summary.error).toContain('field vulnerabilities[1]');
    expect(summary.error).toContain('dateAdded');
    expect(await catalogCount()).toBe(before);
    expect(await catalogRow('CVE-2021-44228')).toEqual(kevBefore);

    const [run] = await handle.db.select().from(feedRuns).where(eq(feedRuns.source, fixture('kev-invalid-entry.json')));
    expect(run?.status).toBe('failed');
  });

  it('rejects a bad EPSS row, naming the line and writing nothing', async () => {
    const scoreBefore = (await catalogRow('CVE-2024-3400'))?.epssScore;
    const summary = await importFeedFile(handle.db, fixture('epss-bad-row.csv'));
    expect(summary.status).toBe('failed');
    expect(summary.error).toContain('epss-bad-row.csv');
    expect(summary.error).toContain('line 4');
    expect((await catalogRow('CVE-2024-3400'))?.epssScore).toBe(scoreBefore);
  });

  it('rejects truncated NVD JSON', async () => {
    const truncated = path.join(workDir, 'truncated.json');
    const text = await readFile(fixture('nvd-page.json'), 'utf8');
    await writeFile(truncated, text.slice(0, Math.floor(text.length * 0.7)));
    const summary = await importFeedFile(handle.db, truncated);
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/truncated/);
  });

  it('re-scores findings and assets when feeds change their CVEs', async () => {
    const now = new Date();
    const [asset] = await handle.db.insert(assets).values({ name: 'feed-rescore-host', firstSeen: now, lastSeen: now }).returning();
    if (!asset) throw new Error('asset insert returned no row');
    const [finding] = await handle.db
      .insert(findings)
      .values({ type: 'vulnerability', assetId: asset.id, identityKey: 'cve:CVE-2099-1234', cveId: 'CVE-2099-1234', cveIds: ['CVE-2099-1234'], title: 'Test', severity: 2, firstFound: now, lastFound: now, detectionScore: 1 })
      .returning();
    if (!finding) throw new Error('finding insert returned no row');

    const dir = path.join(workDir, 'rescore');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'nested'), { recursive: true });
    await writeFile(path.join(dir, 'nested', 'data.txt'), JSON.stringify({ catalogVersion: '2026.12.01', vulnerabilities: [{ cveID: 'CVE-2099-1234', dateAdded: '2026-12-01', knownRansomwareCampaignUse: 'Known' }] }));
    await copyFile(fixture('epss-scores.csv'), path.join(dir, 'unrelated.csv'));
    await writeFile(path.join(dir, 'notes.md'), '# not a feed\n');

    const summaries = await importFeedDirectory(handle.db, dir);
    expect(summaries.map((summary) => [path.basename(summary.file), summary.feed, summary.status])).toEqual([
      ['data.txt', 'kev', 'succeeded'],
      ['notes.md', null, 'skipped'],
      ['unrelated.csv', 'epss', 'succeeded'],
    ]);
    expect(summaries[0]?.findingsRescored).toBe(1);

    const [rescored] = await handle.db.select().from(findings).where(eq(findings.id, finding.id));
    expect(rescored?.detectionScore).toBeGreaterThanOrEqual(90);
    const [rescoredAsset] = await handle.db.select().from(assets).where(eq(assets.id, asset.id));
    expect(rescoredAsset?.riskScore).toBeGreaterThan(0);
  });
});
