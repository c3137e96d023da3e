import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { importFeedDirectory, type FeedImportSummary } from '../../lib/feeds/import-feed';
import { createTestDb } from '../helpers/test-db';
import { expectAttack, expectEol } from './eol-attack-expectations';

const DATA = path.resolve(__dirname, '../../../shared/data');
const KEV_DIR = path.join(DATA, 'kev');
const CVE_DIR = path.join(DATA, 'cve');
const available = existsSync(KEV_DIR) && existsSync(CVE_DIR);

if (!available) {
  if (process.env.CI === 'true') throw new Error(`the feed conformance data is missing: ${KEV_DIR} and ${CVE_DIR} must exist in CI`);
  console.warn(`skipping the feed conformance tests: ${KEV_DIR} or ${CVE_DIR} is absent`);
}

/** Walks a folder the way the test expects the importer to, independently of lib/feeds. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function readJson(file: string): unknown {
  const bytes = readFileSync(file);
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return JSON.parse(text);
}

describe.skipIf(!available)('feed conformance on real KEV, NVD and CVE record files', () => {
  let handle: DbHandle;
  let summaries: FeedImportSummary[];

  beforeAll(async () => {
    handle = await createTestDb();
    summaries = [...(await importFeedDirectory(handle.db, KEV_DIR)), ...(await importFeedDirectory(handle.db, CVE_DIR))];
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('imports every feed file without failure', () => {
    expect(summaries.filter((summary) => summary.status === 'failed')).toEqual([]);
  });

  it('marks each KEV catalog entry as KEV', async () => {
    const catalog = readJson(path.join(KEV_DIR, 'known_exploited_vulnerabilities.json')) as { count: number; vulnerabilities: { cveID: string; knownRansomwareCampaignUse: string }[] };
    const ids = new Set(catalog.vulnerabilities.map((entry) => entry.cveID));
    const ransomware = new Set(catalog.vulnerabilities.filter((entry) => entry.knownRansomwareCampaignUse === 'Known').map((entry) => entry.cveID));
    expect(ids.size).toBe(catalog.count);

    const [counts] = await queryRows<{ listed: number; ransomware: number }>(
      handle.db,
      sql`select count(*) filter (where kev_date_added is not null and kev_due_date is not null)::int as listed,
                 count(*) filter (where kev_ransomware_use)::int as ransomware
          from vulnerabilities`,
    );
    expect(counts?.listed).toBe(ids.size);
    expect(counts?.ransomware).toBe(ransomware.size);
  });

  it('stores every CVE of the NVD responses and CVE records', async () => {
    const expected = new Set<string>();
    for (const file of filesUnder(CVE_DIR)) {
      if (!/\.json(\.gz)?$/.test(file)) continue;
      const document = readJson(file) as { format?: string; vulnerabilities?: { cve: { id: string } }[]; dataType?: string; cveMetadata?: { cveId: string } };
      if (document.format === 'NVD_CVE') for (const item of document.vulnerabilities ?? []) expected.add(item.cve.id);
      if (document.dataType === 'CVE_RECORD' && document.cveMetadata) expected.add(document.cveMetadata.cveId);
    }
    expect(expected.size).toBeGreaterThan(0);

    const rows = await queryRows<{ cve_id: string }>(handle.db, sql`select cve_id from vulnerabilities where published_at is not null`);
    const stored = new Set(rows.map((row) => row.cve_id));
    const missing = [...expected].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });

  it('reads CISA SSVC from every vulnrichment record that has it', async () => {
    let withSsvc = 0;
    for (const file of filesUnder(path.join(CVE_DIR, 'vulnrichment'))) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(file, 'utf8');
      if (text.includes('"type": "ssvc"') || text.includes('"type":"ssvc"')) withSsvc += 1;
    }
    const [row] = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from vulnerabilities where ssvc is not null`);
    expect(row?.count).toBe(withSsvc);
  });
});

const EOL_DIR = path.join(DATA, 'eol');
const ATTACK_DIR = path.join(DATA, 'attack');
const referenceDataAvailable = existsSync(EOL_DIR) && existsSync(ATTACK_DIR);
if (!referenceDataAvailable) {
  if (process.env.CI === 'true') throw new Error(`the reference data is missing: ${EOL_DIR} and ${ATTACK_DIR} must exist in CI`);
  console.warn(`skipping the endoflife.date and ATT&CK conformance tests: ${EOL_DIR} or ${ATTACK_DIR} is absent`);
}

describe.skipIf(!referenceDataAvailable)('feed conformance on real endoflife.date and ATT&CK files', () => {
  let handle: DbHandle;
  let summaries: FeedImportSummary[];

  beforeAll(async () => {
    handle = await createTestDb();
    summaries = [...(await importFeedDirectory(handle.db, EOL_DIR)), ...(await importFeedDirectory(handle.db, ATTACK_DIR))];
  }, 240_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('imports each folder in one transaction', () => {
    const imported = summaries.filter((summary) => summary.status !== 'skipped');
    expect(imported.map((summary) => `${summary.feed} ${summary.status}`)).toEqual(['eol succeeded', 'attack succeeded']);
  });

  it('stores every endoflife.date product and cycle', async () => {
    const expected = expectEol(path.join(EOL_DIR, 'endoflife.date', 'products'));
    expect(expected.products).toBeGreaterThan(400);
    const [counts] = await queryRows<{ products: number; cycles: number; boolean_eol: number }>(
      handle.db,
      sql`select (select count(*)::int from technology_products) as products, count(*)::int as cycles,
            count(*) filter (where eol_flag is not null)::int as boolean_eol
          from technology_lifecycles`,
    );
    expect(counts?.products).toBe(expected.products);
    expect(counts?.cycles).toBe(expected.cycles);
    expect(counts?.boolean_eol).toBe(expected.booleanEol);
  });

  it('stores each cycle end-of-life date as the page gives it', async () => {
    const expected = expectEol(path.join(EOL_DIR, 'endoflife.date', 'products'));
    const rows = await queryRows<{ key: string; eol_date: string }>(handle.db, sql`select product || ' ' || cycle as key, eol_date::text from technology_lifecycles where eol_date is not null`);
    const stored = new Map(rows.map((row) => [row.key, row.eol_date]));
    expect(stored.size).toBe(expected.eolDates.size);
    const different = [...expected.eolDates].filter(([key, date]) => stored.get(key) !== date);
    expect(different).toEqual([]);
  });

  it('stores every ATT&CK technique and group', async () => {
    const expected = expectAttack(ATTACK_DIR);
    const [counts] = await queryRows<{ techniques: number; groups: number }>(
      handle.db,
      sql`select (select count(*)::int from attack_techniques) as techniques, (select count(*)::int from attack_groups) as groups`,
    );
    expect(counts?.techniques).toBe(expected.techniques);
    // The shared ATT&CK subset contains no intrusion-set files, so no CVE gets a threat actor from it.
    expect(counts?.groups).toBe(expected.groups);
  });

  it('stores every CVE technique mapping per set', async () => {
    const expected = expectAttack(ATTACK_DIR);
    const rows = await queryRows<{ source: string; count: number }>(handle.db, sql`select source, count(*)::int as count from cve_attack_techniques group by source`);
    const stored = Object.fromEntries(rows.map((row) => [row.source, row.count]));
    const wanted = Object.fromEntries([...expected.mappings].map(([source, keys]) => [source, keys.size]));
    expect(stored).toEqual(wanted);
  });
});
