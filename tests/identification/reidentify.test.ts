import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, detections, findings, findingStatusHistory, imports } from '../../db/schema';
import { bundledAliases } from '../../lib/identification/aliases';
import { DEFAULT_MERGE_RULES, saveMergeRules } from '../../lib/identification/merge-rules';
import { previewIdentification } from '../../lib/identification/preview';
import { reidentifyFindings } from '../../lib/identification/reidentify';
import { loadIdentificationRules, plainRules, saveIdentificationRules } from '../../lib/identification/rule-store';
import { DEFAULT_RULES, type IdentificationRules } from '../../lib/identification/rules';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { HOST, writeRecords } from './write-records';

const DAY = 24 * 60 * 60 * 1000;
const MONDAY = new Date('2026-03-02T08:00:00Z');
const TUESDAY = new Date(MONDAY.getTime() + DAY);

/** Default rules with `set` inserted before the vulnerability rule `before`. */
function withRuleBefore(set: IdentificationRules['vulnerability'][number]['attributes'], before: string): IdentificationRules {
  const index = DEFAULT_RULES.vulnerability.findIndex((rule) => rule.attributes.join('+') === before);
  const vulnerability = [...DEFAULT_RULES.vulnerability];
  vulnerability.splice(index, 0, { attributes: set, enabled: true });
  return { ...DEFAULT_RULES, vulnerability };
}

async function findingRows(db: Db) {
  return db.select().from(findings).orderBy(asc(findings.id));
}

describe(`finding identification on ${testDbKind}`, () => {
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
    await saveIdentificationRules(db, DEFAULT_RULES);
    await saveMergeRules(db, DEFAULT_MERGE_RULES);
  });

  it('seeds the default rules by migration', async () => {
    expect(plainRules(await loadIdentificationRules(db))).toEqual(DEFAULT_RULES);
  });

  it('merges one CVE on one port reported by two scanners into one finding', async () => {
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', cveId: 'CVE-2020-1472', port: 445, protocol: 'tcp', vendorId: '1', title: 'Zerologon', severity: 4 }]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', cveId: 'cve-2020-1472', port: 445, protocol: 'TCP', vendorId: '2', title: 'Netlogon EoP', severity: 5 }]);

    const rows = await findingRows(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.sources.sort()).toEqual(['ScannerA', 'ScannerB']);
    expect(rows[0]?.identityKey).toBe('cve+port+protocol|CVE-2020-1472|445|tcp');
    expect(await db.select().from(detections)).toHaveLength(2);
  });

  it('shows the fields the merge rules choose when sources disagree', async () => {
    await saveMergeRules(db, { strategies: { severity: 'highest_severity', text: 'source_trust', cvss: 'most_recent', remediation: 'source_trust' }, trustRanking: ['ScannerA', 'ScannerB'] });
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [
      { assetKey: 'h', type: 'vulnerability', cveId: 'CVE-2021-44228', port: 8080, protocol: 'tcp', title: 'Log4Shell (A)', severity: 5, cvss3BaseScore: 10, fixedVersion: '2.17.1' },
    ]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [
      { assetKey: 'h', type: 'vulnerability', cveId: 'CVE-2021-44228', port: 8080, protocol: 'tcp', title: 'Log4j RCE (B)', severity: 3, cvss3BaseScore: 9, fixedVersion: '2.15.0' },
    ]);

    const [row] = await findingRows(db);
    expect(row?.severity).toBe(5);
    expect(row?.title).toBe('Log4Shell (A)');
    expect(row?.fixedVersion).toBe('2.17.1');
    expect(row?.cvss3BaseScore).toBe(9);
  });

  it('previews the merges and splits of edited rules without writing', async () => {
    // One finding with two detections (plugin 10 on two ports, seen in two imports) and two
    // findings that share a title under two plugin ids.
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [
      { assetKey: 'h', type: 'vulnerability', vendorId: '10', port: 22, protocol: 'tcp', title: 'Weak MAC', severity: 2, sourceFindingId: '10:22' },
      { assetKey: 'h', type: 'vulnerability', vendorId: '20', title: 'TLS 1.0 enabled', severity: 2 },
      { assetKey: 'h', type: 'vulnerability', vendorId: '21', title: 'TLS 1.0 Enabled ', severity: 2 },
    ]);
    await writeRecords(db, 'ScannerA', TUESDAY, [HOST], [
      { assetKey: 'h', type: 'vulnerability', vendorId: '10', port: 2222, protocol: 'tcp', title: 'Weak MAC', severity: 2, sourceFindingId: '10:2222' },
      { assetKey: 'h', type: 'vulnerability', vendorId: '20', title: 'TLS 1.0 enabled', severity: 2 },
      { assetKey: 'h', type: 'vulnerability', vendorId: '21', title: 'TLS 1.0 Enabled ', severity: 2 },
    ]);
    const before = await findingRows(db);
    expect(before).toHaveLength(3);

    const unchanged = await previewIdentification(db, DEFAULT_RULES, bundledAliases);
    expect(unchanged).toMatchObject({ findingsBefore: 3, findingsAfter: 3, findingsMerged: 0, findingsSplit: 0, findingsRekeyed: 0 });

    const splitting = await previewIdentification(db, withRuleBefore(['vendor_id', 'port'], 'vendor_id'), bundledAliases);
    expect(splitting).toMatchObject({ findingsBefore: 3, findingsAfter: 4, findingsMerged: 0, findingsSplit: 1, findingsAddedBySplits: 1 });

    const titleFirst: IdentificationRules = { ...DEFAULT_RULES, vulnerability: [{ attributes: ['title'], enabled: true }, ...DEFAULT_RULES.vulnerability.filter((rule) => rule.attributes.join('+') !== 'title')] };
    const merging = await previewIdentification(db, titleFirst, bundledAliases);
    expect(merging).toMatchObject({ findingsBefore: 3, findingsAfter: 2, findingsMerged: 1, findingsSplit: 0, findingsRekeyed: 1 });

    expect(await findingRows(db)).toEqual(before);
  });

  it('merges findings whose new keys collide when identification re-runs', async () => {
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '20', title: 'TLS 1.0 enabled', severity: 2 }]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '77', title: 'tls 1.0  enabled', severity: 3 }]);
    // ScannerA's next scan no longer lists it: fixed there, still open from ScannerB.
    await writeRecords(db, 'ScannerA', new Date(TUESDAY.getTime() + DAY), [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '99', title: 'Other', severity: 1 }]);
    const before = await findingRows(db);
    expect(before.map((row) => row.status)).toEqual(['fixed', 'new', 'new']);

    const titleFirst: IdentificationRules = { ...DEFAULT_RULES, vulnerability: [{ attributes: ['title'], enabled: true }, ...DEFAULT_RULES.vulnerability.filter((rule) => rule.attributes.join('+') !== 'title')] };
    await saveIdentificationRules(db, titleFirst);
    const settings = { rules: titleFirst, aliases: bundledAliases, mergeRules: DEFAULT_MERGE_RULES };
    const counts = await reidentifyFindings(db, settings);
    expect(counts).toMatchObject({ findingsMerged: 1, findingsSplit: 0, findingsCreated: 0 });

    const after = await findingRows(db);
    expect(after).toHaveLength(2);
    const merged = after.find((row) => row.identityKey === 'title|tls 1.0 enabled');
    expect(merged).toBeDefined();
    expect(merged?.sources.sort()).toEqual(['ScannerA', 'ScannerB']);
    expect(merged?.status).toBe('active');
    expect(merged?.fixedAt).toBeNull();
    expect(merged?.firstFound).toEqual(MONDAY);
    expect(merged?.lastFound).toEqual(TUESDAY);
    const moved = await db.select().from(detections).where(eq(detections.findingId, merged?.id ?? 0));
    expect(moved.map((row) => row.source).sort()).toEqual(['ScannerA', 'ScannerB']);
    const history = await db.select().from(findingStatusHistory);
    expect(history.every((row) => after.some((finding) => finding.id === row.findingId))).toBe(true);
    const mergeEntry = history.find((row) => row.reason === 'merged with other findings by re-identification');
    expect(mergeEntry).toMatchObject({ findingId: merged?.id, fromStatus: 'fixed', toStatus: 'active' });

    // A second run with the same rules changes nothing.
    expect(await reidentifyFindings(db, settings)).toMatchObject({ findingsMerged: 0, findingsSplit: 0, findingsCreated: 0, findingsRekeyed: 0 });
    expect(await findingRows(db)).toEqual(after);
  });

  it('splits a finding whose detections get different keys', async () => {
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '10', port: 22, protocol: 'tcp', title: 'Weak MAC', severity: 2, sourceFindingId: '10:22' }]);
    await writeRecords(db, 'ScannerA', TUESDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '10', port: 2222, protocol: 'tcp', title: 'Weak MAC', severity: 2, sourceFindingId: '10:2222' }]);
    expect(await findingRows(db)).toHaveLength(1);

    const rules = withRuleBefore(['vendor_id', 'port'], 'vendor_id');
    const counts = await reidentifyFindings(db, { rules, aliases: bundledAliases, mergeRules: DEFAULT_MERGE_RULES });
    expect(counts).toMatchObject({ findingsSplit: 1, findingsCreated: 1 });
    const after = await findingRows(db);
    expect(after.map((row) => row.identityKey).sort()).toEqual(['vendor_id+port|scannera:10|22', 'vendor_id+port|scannera:10|2222']);
    for (const row of after) expect(await db.select().from(detections).where(eq(detections.findingId, row.id))).toHaveLength(1);
    const port22 = after.find((row) => row.identityKey.endsWith('|22'));
    expect(port22?.lastFound).toEqual(MONDAY);
  });

  it('applies changed merge rules to stored findings when it re-runs', async () => {
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', cveId: 'CVE-2020-1472', port: 445, protocol: 'tcp', title: 'Zerologon', severity: 5 }]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [{ assetKey: 'h', type: 'vulnerability', cveId: 'CVE-2020-1472', port: 445, protocol: 'tcp', title: 'Netlogon', severity: 3 }]);
    const [before] = await findingRows(db);
    expect(before?.severity).toBe(3);

    const mergeRules = { ...DEFAULT_MERGE_RULES, strategies: { ...DEFAULT_MERGE_RULES.strategies, severity: 'highest_severity' as const } };
    const counts = await reidentifyFindings(db, { rules: DEFAULT_RULES, aliases: bundledAliases, mergeRules });
    expect(counts).toMatchObject({ findingsRemerged: 1, findingsMerged: 0 });
    const [after] = await findingRows(db);
    expect(after?.severity).toBe(5);
    expect(after?.title).toBe('Netlogon');
    expect(after?.detectionScore).toBeGreaterThan(before?.detectionScore ?? 0);
  });

  it('keeps the unique index on the identity key', async () => {
    const rows = await db.execute(sql`select indexdef from pg_indexes where indexname = 'findings_identity_key'`);
    expect(JSON.stringify(rows)).toContain('(asset_id, type, identity_key)');
  });
});
