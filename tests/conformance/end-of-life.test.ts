import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { importFeedDirectory, type FeedImportSummary } from '../../lib/feeds/import-feed';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import { createTestDb } from '../helpers/test-db';
import { describeWithScans, SCANS_DIR } from './conformance-suite';

// The end-of-life check on the shared endoflife.date product pages and on real Grype and Trivy
// reports of old distributions. The expected cycle and end-of-life date are read from the
// report and the product page here, with plain JSON and text reads.

const PRODUCTS = path.resolve(SCANS_DIR, '..', '..', 'data', 'eol', 'endoflife.date', 'products');
const DAY_MS = 86_400_000;

interface ExpectedEol {
  vendorId: string;
  title: string;
  eolDate: string;
  severity: number;
}

/** Reads a cycle's title and end-of-life date from the YAML front matter of a product page. */
function expectedEol(product: string, cycle: string): ExpectedEol | undefined {
  const page = readFileSync(path.join(PRODUCTS, `${product}.md`), 'utf8');
  const frontMatter = page.split(/^---$/m)[1] ?? '';
  const title = frontMatter.match(/^title:\s*(.+)$/m)?.[1]?.trim();
  const blocks = frontMatter.split(/^\s*- releaseCycle:/m).slice(1);
  const block = blocks.find((text) => text.trimStart().startsWith(`"${cycle}"`));
  const eolDate = block?.match(/^\s*eol:\s*(\d{4}-\d{2}-\d{2})\s*$/m)?.[1];
  if (!title || !eolDate) return undefined;

  const today = new Date();
  const days = Math.round((Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - Date.parse(`${eolDate}T00:00:00Z`)) / DAY_MS);
  if (days < 0) return undefined;
  // Severity bands of docs/scoring.md: medium in the first year past, high until three years, critical after.
  let severity = 5;
  if (days < 365) severity = 3;
  else if (days < 3 * 365) severity = 4;
  return { vendorId: `eol:${product}:${cycle}`, title: `End-of-life software: ${title} ${cycle}`, eolDate, severity };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(SCANS_DIR, file), 'utf8')) as Record<string, unknown>;
}

async function* fileBytes(file: string): AsyncGenerator<Uint8Array> {
  yield readFileSync(path.join(SCANS_DIR, file));
}

const available = existsSync(PRODUCTS);

describeWithScans('end-of-life findings from real reports and endoflife.date pages', () => {
  let handle: DbHandle;
  let feed: FeedImportSummary | undefined;
  const imported = new Map<string, ImportSummary>();

  const GRYPE = 'anchore_grype/check_all_fields.json';
  const TRIVY = 'trivy/scheme_2_many_vulns.json';

  beforeAll(async () => {
    if (!available) return;
    handle = await createTestDb();
    [feed] = await importFeedDirectory(handle.db, PRODUCTS);
    for (const file of [GRYPE, TRIVY]) imported.set(file, await importReport(handle.db, { fileName: file, bytes: fileBytes(file) }));
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  async function eolFindingsOf(vendorId: string) {
    return queryRows<{ title: string; severity: number; status: string; description: string; sources: string[]; os: string | null }>(
      handle.db,
      sql`select f.title, f.severity, f.status, f.description, f.sources, a.os from findings f join assets a on a.id = f.asset_id where f.vendor_id = ${vendorId}`,
    );
  }

  it.skipIf(!available)('imports the product pages', () => {
    expect(feed?.status).toBe('succeeded');
  });

  it.skipIf(!available)('finds the Grype distro past its end of life', async () => {
    const distro = readJson(GRYPE).distro as { name: string; version: string };
    // Grype names the distribution as its package ecosystem does; endoflife.date's product has the same name for Debian.
    expect(distro.name).toBe('debian');
    const expected = expectedEol(distro.name, distro.version.split('.')[0] ?? distro.version);
    if (!expected) throw new Error(`debian ${distro.version} is not past its end of life on the product page`);

    const summary = imported.get(GRYPE);
    expect(summary?.status).toBe('succeeded');
    expect(summary?.counts.endOfLifeFindings).toBeGreaterThanOrEqual(1);
    const rows = await eolFindingsOf(expected.vendorId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.title).toBe(expected.title);
    expect(rows[0]?.severity).toBe(expected.severity);
    expect(rows[0]?.description).toContain(expected.eolDate);
    expect(rows[0]?.sources).toEqual(['Riskboard end-of-life check']);
  });

  it.skipIf(!available)('finds the Trivy image OS past its end of life', async () => {
    const metadata = readJson(TRIVY).Metadata as { OS: { Family: string; Name: string } };
    expect(metadata.OS.Family).toBe('alpine');
    const cycle = metadata.OS.Name.split('.').slice(0, 2).join('.');
    const expected = expectedEol('alpine-linux', cycle);
    if (!expected) throw new Error(`alpine ${cycle} is not past its end of life on the product page`);

    const rows = await eolFindingsOf(expected.vendorId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.title).toBe(expected.title);
    expect(rows[0]?.severity).toBe(expected.severity);
    expect(rows[0]?.os).toBe(`${metadata.OS.Family} ${metadata.OS.Name}`);
  });
});
