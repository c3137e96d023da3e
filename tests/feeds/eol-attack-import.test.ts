import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assets, findings, technologies, vulnerabilities } from '../../db/schema';
import { detectFeedKindFromText } from '../../lib/feeds/feed-file';
import { importFeedDirectory, importFeedFile } from '../../lib/feeds/import-feed';
import { getFindingAttackContext } from '../../lib/findings/attack-context';
import { explainDetectionScore } from '../../lib/scoring/explain-finding';
import { createTestDb } from '../helpers/test-db';

const FIXTURES = path.resolve(__dirname, '../fixtures/feeds');

let handle: DbHandle;
let workDir: string;
let assetId: number;

beforeAll(async () => {
  handle = await createTestDb();
  workDir = await mkdtemp(path.join(tmpdir(), 'riskboard-eol-attack-'));
  const now = new Date();
  const [asset] = await handle.db.insert(assets).values({ name: 'lifecycle-host', firstSeen: now, lastSeen: now }).returning();
  if (!asset) throw new Error('asset insert returned no row');
  assetId = asset.id;
});

afterAll(async () => {
  await handle.close();
  await rm(workDir, { recursive: true, force: true });
});

async function addFinding(values: { type: 'vulnerability' | 'misconfiguration'; key: string; severity: number; cveId?: string; technologyId?: number }) {
  const now = new Date();
  const [finding] = await handle.db
    .insert(findings)
    .values({
      type: values.type,
      assetId,
      identityKey: values.key,
      cveId: values.cveId ?? null,
      cveIds: values.cveId ? [values.cveId] : [],
      title: values.key,
      severity: values.severity,
      technologyId: values.technologyId ?? null,
      firstFound: now,
      lastFound: now,
      detectionScore: 1,
    })
    .returning();
  if (!finding) throw new Error('finding insert returned no row');
  return finding;
}

async function storedScore(id: number): Promise<number | undefined> {
  const [row] = await handle.db.select({ score: findings.detectionScore }).from(findings).where(eq(findings.id, id));
  return row?.score;
}

describe('endoflife.date import', () => {
  it('recognizes product pages and API responses', () => {
    expect(detectFeedKindFromText('---\ntitle: X\nreleases:\n  - releaseCycle: "1"\n')).toBe('eol');
    expect(detectFeedKindFromText('{"schema_version":"1.2.0","result":{"name":"x","releases":[]}}')).toBe('eol');
    expect(detectFeedKindFromText('---\ntitle: Not a product\n---\n')).toBeUndefined();
  });

  it('stores products and cycles from both layouts', async () => {
    const [summary] = await importFeedDirectory(handle.db, path.join(FIXTURES, 'eol'));
    expect(summary?.status).toBe('succeeded');
    expect(summary?.feed).toBe('eol');
    expect(summary?.records).toBe(2);

    const cycles = await queryRows<{ product: string; cycle: string; eol_date: string | null; eol_flag: boolean | null; latest_version: string | null; support_end_date: string | null }>(
      handle.db,
      sql`select product, cycle, eol_date::text, eol_flag, latest_version, support_end_date::text from technology_lifecycles order by product, cycle`,
    );
    expect(cycles.map((row) => `${row.product} ${row.cycle}`)).toEqual(['fixtureos 18.04', 'fixtureos 22.04', 'testserver 1', 'testserver 1.9', 'testserver 2.0', 'testserver 2.1']);
    const one = cycles.find((row) => row.product === 'testserver' && row.cycle === '1');
    expect(one?.eol_date).toBe('2024-01-10');
    expect(one?.support_end_date).toBe('2022-01-01');
    expect(one?.latest_version).toBeNull();
    expect(cycles.find((row) => row.cycle === '1.9')?.eol_flag).toBe(true);
    expect(cycles.find((row) => row.cycle === '2.1')?.eol_flag).toBe(false);

    const [product] = await queryRows<{ aliases: string[]; cpes: string[] }>(handle.db, sql`select aliases, cpes from technology_products where product = 'testserver'`);
    expect(product?.aliases).toEqual(expect.arrayContaining(['test server', 'test-server', 'testserverd']));
    expect(product?.cpes).toEqual(['example:test_server']);
  });

  it('rescores a misconfiguration on an end-of-life technology', async () => {
    const [technology] = await handle.db.insert(technologies).values({ assetId, product: 'testserverd', version: '1.4.2' }).returning();
    if (!technology) throw new Error('technology insert returned no row');
    const finding = await addFinding({ type: 'misconfiguration', key: 'weak-tls', severity: 3, technologyId: technology.id });

    const summary = await importFeedFile(handle.db, path.join(FIXTURES, 'eol', 'testserver.md'));
    expect(summary.status).toBe('succeeded');
    expect(await storedScore(finding.id)).toBe(75);

    const explanation = await explainDetectionScore(handle.db, finding.id);
    const factor = explanation?.current.factors.find((entry) => entry.name === 'End of life');
    expect(factor?.value).toMatch(/^Test Server 1, \d+ days past its end of life \(2024-01-10\)$/);
  });

  it('rejects a bad product page with its name and field', async () => {
    const before = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from technology_lifecycles`);
    const [summary] = await importFeedDirectory(handle.db, path.join(FIXTURES, 'eol-broken'));
    expect(summary?.status).toBe('failed');
    expect(summary?.error).toContain('broken.md');
    expect(summary?.error).toContain('releases.0.eol');
    const after = await queryRows<{ count: number }>(handle.db, sql`select count(*)::int as count from technology_lifecycles`);
    expect(after[0]?.count).toBe(before[0]?.count);
  });
});

describe('ATT&CK import', () => {
  it('recognizes bundles, mapping files and the mapping CSV', () => {
    expect(detectFeedKindFromText('{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000099"}')).toBe('attack');
    expect(detectFeedKindFromText('{"type": "intrusion-set", "id": "intrusion-set--00000000-0000-4000-8000-000000000010"}')).toBe('attack');
    expect(detectFeedKindFromText('{"metadata": {"mapping_framework": "kev"}, "mapping_objects": []}')).toBe('attack');
    expect(detectFeedKindFromText('CVE ID,Primary Impact,Secondary Impact\n')).toBe('attack');
  });

  it('ties CVEs to groups along each path', async () => {
    const actorFinding = await addFinding({ type: 'vulnerability', key: 'cve:CVE-2099-0004', severity: 3, cveId: 'CVE-2099-0004' });
    const [summary] = await importFeedDirectory(handle.db, path.join(FIXTURES, 'attack'));
    expect(summary?.status).toBe('succeeded');

    const links = await queryRows<{ cve_id: string; group_id: string; via: string; via_object: string }>(
      handle.db,
      sql`select cve_id, group_id, via, via_object from cve_attack_groups order by cve_id`,
    );
    expect(links.map((link) => `${link.cve_id} ${link.group_id} ${link.via}`)).toEqual([
      'CVE-2099-0001 G9001 group',
      'CVE-2099-0002 G9002 campaign',
      'CVE-2099-0003 G9001 software',
      'CVE-2099-0004 G9002 relationship',
    ]);
    expect(links.find((link) => link.via === 'campaign')?.via_object).toBe('C9001');
    expect(links.find((link) => link.via === 'software')?.via_object).toBe('S9001');

    const [catalog] = await handle.db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, 'CVE-2099-0004'));
    expect(catalog?.threatActors).toEqual(['Fixture Panda']);
    // A named threat actor is a threat fact, which puts the finding in the critical band.
    expect(await storedScore(actorFinding.id)).toBeGreaterThanOrEqual(90);
  });

  it('stores techniques with tactic names and skips revoked ones', async () => {
    const rows = await queryRows<{ attack_id: string; tactics: string[]; retired: boolean }>(handle.db, sql`select attack_id, tactics, retired from attack_techniques order by attack_id`);
    expect(rows).toEqual([
      { attack_id: 'T1190', tactics: ['Initial Access'], retired: false },
      { attack_id: 'T1999', tactics: [], retired: true },
    ]);
    const groups = await queryRows<{ attack_id: string; aliases: string[] }>(handle.db, sql`select attack_id, aliases from attack_groups order by attack_id`);
    expect(groups).toEqual([
      { attack_id: 'G9001', aliases: ['FB'] },
      { attack_id: 'G9002', aliases: [] },
    ]);
  });

  it('stores CVE technique mappings per set', async () => {
    const rows = await queryRows<{ cve_id: string; technique_id: string; mapping_type: string; source: string }>(
      handle.db,
      sql`select cve_id, technique_id, mapping_type, source from cve_attack_techniques order by source, cve_id, technique_id, mapping_type`,
    );
    expect(rows.map((row) => `${row.source}: ${row.cve_id} ${row.technique_id} ${row.mapping_type}`)).toEqual([
      'attack_to_cve: CVE-2099-0004 T1005 primary_impact',
      'attack_to_cve: CVE-2099-0004 T1059 primary_impact',
      'attack_to_cve: CVE-2099-0004 T1190 exploitation_technique',
      'attack_to_cve: CVE-2099-0004 T1565.001 secondary_impact',
      'mappings-explorer kev 07/28/2025 attack 16.1 enterprise: CVE-2099-0001 T1059 primary_impact',
      'mappings-explorer kev 07/28/2025 attack 16.1 enterprise: CVE-2099-0001 T1190 exploitation_technique',
    ]);
  });

  it('lists techniques and groups of a finding', async () => {
    const [finding] = await handle.db.select({ id: findings.id }).from(findings).where(eq(findings.identityKey, 'cve:CVE-2099-0004'));
    if (!finding) throw new Error('finding not found');
    const context = await getFindingAttackContext(handle.db, finding.id);
    expect(context.techniques.map((technique) => technique.techniqueId)).toEqual(['T1005', 'T1059', 'T1190', 'T1565.001']);
    const exploitation = context.techniques.find((technique) => technique.techniqueId === 'T1190');
    expect(exploitation?.name).toBe('Exploit Public-Facing Application');
    expect(exploitation?.tactics).toEqual(['Initial Access']);
    expect(exploitation?.mappingTypes).toEqual(['exploitation_technique']);
    expect(context.techniques.find((technique) => technique.techniqueId === 'T1005')?.name).toBe('T1005');
    expect(context.groups).toEqual([{ groupId: 'G9002', name: 'Fixture Panda', aliases: [], via: ['relationship'], cveIds: ['CVE-2099-0004'], url: null }]);
  });

  it('clears threat actors a new release no longer names', async () => {
    const bundle = { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000098', objects: [
      { type: 'intrusion-set', id: 'intrusion-set--00000000-0000-4000-8000-000000000010', name: 'Fixture Bear', description: 'No CVE named.', external_references: [{ source_name: 'mitre-attack', external_id: 'G9001' }] },
    ] };
    const file = path.join(workDir, 'next-release.json');
    await writeFile(file, JSON.stringify(bundle));
    expect((await importFeedFile(handle.db, file)).status).toBe('succeeded');
    const rows = await queryRows<{ cve_id: string }>(handle.db, sql`select cve_id from vulnerabilities where cardinality(threat_actors) > 0`);
    expect(rows).toEqual([]);
  });

  it('rejects a STIX object without an id, naming the file', async () => {
    const file = path.join(workDir, 'bad-stix.json');
    await writeFile(file, JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000097', objects: [{ type: 'intrusion-set', name: 'No id' }] }));
    const summary = await importFeedFile(handle.db, file);
    expect(summary.status).toBe('failed');
    expect(summary.error).toContain('bad-stix.json');
    expect(summary.error).toContain('objects.0.id');
  });
});

describe('EPSS trend', () => {
  async function importEpss(name: string, day: string, score: number): Promise<void> {
    const file = path.join(workDir, name);
    await writeFile(file, `#model_version:v2025.03.14,score_date:${day}T00:00:00Z\ncve,epss,percentile\nCVE-2099-0100,${score},0.5\n`);
    const summary = await importFeedFile(handle.db, file);
    expect(summary.status).toBe('succeeded');
  }

  async function trend(): Promise<number | null | undefined> {
    const [row] = await handle.db.select({ trend: vulnerabilities.epssTrend }).from(vulnerabilities).where(eq(vulnerabilities.cveId, 'CVE-2099-0100'));
    return row?.trend;
  }

  it('stays unknown without a 30-day-old score', async () => {
    await importEpss('epss-1.csv', '2026-10-01', 0.001);
    await importEpss('epss-2.csv', '2026-10-20', 0.001);
    expect(await trend()).toBeNull();
  });

  it('keeps history compact', async () => {
    const rows = await queryRows<{ day: string }>(handle.db, sql`select day::text from epss_history where cve_id = 'CVE-2099-0100' order by day`);
    expect(rows.map((row) => row.day)).toEqual(['2026-10-01']);
  });

  it('rises with a tenfold EPSS increase', async () => {
    const finding = await addFinding({ type: 'vulnerability', key: 'cve:CVE-2099-0100', severity: 3, cveId: 'CVE-2099-0100' });
    await importEpss('epss-3.csv', '2026-11-05', 0.01);
    expect(await trend()).toBeCloseTo(1, 4);
    const explanation = await explainDetectionScore(handle.db, finding.id);
    expect(explanation?.current.factors.find((factor) => factor.name === 'Trend')?.value).toBe('1.00 (EPSS rising over 30 days)');
    expect(await storedScore(finding.id)).toBe(explanation?.current.score);
  });

  it('reads no change as 0.5', async () => {
    await importEpss('epss-4.csv', '2026-12-10', 0.01);
    expect(await trend()).toBeCloseTo(0.5, 4);
  });
});
