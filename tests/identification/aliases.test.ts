import { asc } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, findings, imports, jobs, technologyAliases } from '../../db/schema';
import { bundledAliases } from '../../lib/identification/aliases';
import { aliasKey, bundledAliasSize, canonicalName, deleteOrganizationAlias, listOrganizationAliases, resolveSpelling, saveOrganizationAlias } from '../../lib/identification/alias-store';
import { reidentifyJob } from '../../lib/identification/reidentify-job';
import { loadAliasTable } from '../../lib/identification/rule-store';
import { reidentificationStatus } from '../../lib/identification/settings';
import { JobWorker } from '../../lib/jobs/job-worker';
import type { FindingRecord } from '../../lib/ingest/model';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { HOST, writeRecords } from './write-records';

const MONDAY = new Date('2026-03-02T08:00:00Z');
const TUESDAY = new Date('2026-03-03T08:00:00Z');
const WEDNESDAY = new Date('2026-03-04T08:00:00Z');

/** Builds a finding of one CVE in Acme's widget, with the vendor spelled as `vendor` in the CPE name. */
function widgetFinding(vendor: string, vendorId: string): Omit<FindingRecord, 'raw'> {
  return {
    assetKey: 'h',
    type: 'vulnerability',
    cveId: 'CVE-2026-1000',
    vendorId,
    title: 'Acme Widget remote code execution',
    severity: 4,
    technology: { vendor, product: 'widget', version: '1.0', cpe: `cpe:2.3:a:${vendor}:widget:1.0:*:*:*:*:*:*:*` },
  };
}

describe(`organization aliases on ${testDbKind}`, () => {
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
    await db.delete(technologyAliases);
    await db.delete(assets);
    await db.delete(imports);
    await db.delete(jobs);
  });

  describe('validation', () => {
    it.each([
      { input: { kind: 'vendor', alias: '   ', canonical: 'acme' }, message: /alias is empty/ },
      { input: { kind: 'vendor', alias: 'Acme Corp', canonical: '' }, message: /canonical is empty/ },
      { input: { kind: 'publisher', alias: 'Acme Corp', canonical: 'acme' }, message: /kind must be "vendor" or "product"/ },
      { input: { kind: 'vendor', alias: 'x'.repeat(201), canonical: 'acme' }, message: /alias is longer than 200 characters/ },
      { input: { kind: 'product', alias: 'Widget', canonical: 'wid*' }, message: /wildcards/ },
      { input: { kind: 'vendor', alias: 42, canonical: 'acme' }, message: /alias must be a string/ },
      { input: { kind: 'vendor', alias: 'Acme\u0000Corp', canonical: 'acme' }, message: /alias contains a control character/ },
      { input: { kind: 'vendor', alias: 'Acme Labs', canonical: 'ac\u0000me' }, message: /canonical contains a control character/ },
      { input: { kind: 'product', alias: 'Widget\tPro', canonical: 'widget' }, message: /alias contains a control character/ },
      { input: { kind: 'product', alias: 'Widget\u0085Pro', canonical: 'widget' }, message: /alias contains a control character/ },
      { input: null, message: /expected object/i },
    ])('rejects $input', async ({ input, message }) => {
      await expect(saveOrganizationAlias(db, input)).rejects.toThrow(message);
      expect(await listOrganizationAliases(db)).toEqual([]);
    });

    it('rejects an alias that folds to its canonical name', async () => {
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: ' Acme  Software ', canonical: 'acme_software' })).rejects.toThrow(
        'the alias "Acme  Software" is its canonical name "acme_software" after folding, so it would change nothing',
      );
    });

    it('rejects an alias that normalization or the bundled table already resolves', async () => {
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: 'Acme Corp', canonical: 'acme' })).rejects.toThrow(/already resolves to "acme" by normalization alone/);
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: 'Microsoft Corp.', canonical: 'Microsoft' })).rejects.toThrow(
        /already resolves to "microsoft" through the bundled alias table/,
      );
    });

    it('rejects a canonical name that is itself an alias', async () => {
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: 'MS Windows Team', canonical: 'MSFT' })).rejects.toThrow(
        'the canonical name "msft" is itself a bundled alias of "microsoft"; use "microsoft" as the canonical name',
      );
    });

    it('rejects a bundled canonical name as alias', async () => {
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: 'apache', canonical: 'apache_sf' })).rejects.toThrow(
        /^"apache" is the canonical name of \d+ bundled vendor spellings \("Apache Software Foundation", .*add your spelling as an alias of "apache" instead, or first add each of those spellings as an alias of "apache_sf"$/,
      );
      await expect(saveOrganizationAlias(db, { kind: 'product', alias: 'http_server', canonical: 'webserver' })).rejects.toThrow(
        /^"http_server" is the canonical name of 6 bundled product spellings/,
      );
      await expect(saveOrganizationAlias(db, { kind: 'product', alias: 'HTTP Server', canonical: 'webserver' })).rejects.toThrow(/canonical name of 6 bundled product spellings/);
      expect(await listOrganizationAliases(db)).toEqual([]);
      expect((await resolveSpelling(db, { kind: 'vendor', name: 'ASF' })).canonical).toBe('apache');
    });

    it('accepts a bundled canonical name once its spellings are aliased away', async () => {
      // "Igor Pavlov" has the key of the canonical name igor_pavlov, so only "7-Zip" must move first.
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: 'Igor Pavlov', canonical: '7-zip_project' })).rejects.toThrow(/1 bundled vendor spellings \("7-Zip"\)/);
      await saveOrganizationAlias(db, { kind: 'vendor', alias: '7-Zip', canonical: '7-zip_project' });
      await saveOrganizationAlias(db, { kind: 'vendor', alias: 'igor_pavlov', canonical: '7-zip_project' });
      const table = await loadAliasTable(db);
      expect(table.vendor('Igor Pavlov')).toBe('7-zip_project');
      expect(table.vendor('IGOR_PAVLOV')).toBe('7-zip_project');
    });

    it('rejects an alias whose spelling other aliases name as canonical', async () => {
      await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'acme' });
      await expect(saveOrganizationAlias(db, { kind: 'vendor', alias: 'Acme', canonical: 'acme_group' })).rejects.toThrow(
        /"Acme" is the canonical name of the organization vendor aliases "acme-software".*change those aliases to "acme_group" first/,
      );
    });
  });

  it('stores the alias folded and the canonical name as CPE names write it', async () => {
    const change = await saveOrganizationAlias(db, { kind: 'vendor', alias: '  ACME_Software   Labs ', canonical: 'Acme Holdings, Inc.' });
    expect(change.alias).toMatchObject({ kind: 'vendor', alias: 'acme software labs', canonical: 'acme_holdings' });
    expect(change.created).toBe(true);
    expect(change.reidentificationJobId).toBeTypeOf('number');

    const product = await saveOrganizationAlias(db, { kind: 'product', alias: 'Acme Widget Server', canonical: 'Widget Server' });
    expect(product.alias).toMatchObject({ kind: 'product', alias: 'acme widget server', canonical: 'widget_server' });

    expect((await listOrganizationAliases(db)).map(({ kind, alias, canonical }) => ({ kind, alias, canonical }))).toEqual([
      { kind: 'product', alias: 'acme widget server', canonical: 'widget_server' },
      { kind: 'vendor', alias: 'acme software labs', canonical: 'acme_holdings' },
    ]);
  });

  it('matches the stored alias in both CPE and report spellings', async () => {
    await saveOrganizationAlias(db, { kind: 'vendor', alias: 'Acme Software Labs', canonical: 'acme' });
    const table = await loadAliasTable(db);
    expect(table.vendor('acme_software_labs')).toBe('acme');
    expect(table.vendor('ACME Software  Labs')).toBe('acme');
  });

  it('overrides every bundled spelling with the same key', async () => {
    // The bundled table lists "Linux kernel" as a spelling of linux_kernel, and both fold to one key.
    expect(bundledAliases.product('linux_kernel')).toBe('linux_kernel');
    await saveOrganizationAlias(db, { kind: 'product', alias: 'Linux kernel', canonical: 'linux' });

    const table = await loadAliasTable(db);
    for (const spelling of ['Linux kernel', 'linux_kernel', 'LINUX_KERNEL', ' linux  kernel ']) expect(table.product(spelling)).toBe('linux');
    expect(await resolveSpelling(db, { kind: 'product', name: 'linux_kernel' })).toEqual({ kind: 'product', name: 'linux_kernel', canonical: 'linux', source: 'organization' });
  });

  it('folds aliases with NFKC normalization', async () => {
    const change = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'Ａｃｍｅ Software', canonical: 'ａｃｍｅ' });
    expect(change.alias).toMatchObject({ alias: 'acme software', canonical: 'acme' });
    expect((await loadAliasTable(db)).vendor('ＡＣＭＥ＿Ｓｏｆｔｗａｒｅ')).toBe('acme');
    await deleteOrganizationAlias(db, { kind: 'vendor', alias: 'ACME software' });
    expect(await listOrganizationAliases(db)).toEqual([]);
  });

  it('coalesces quick edits into one queued job', async () => {
    const first = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'acme' });
    const second = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-labs', canonical: 'acme' });
    const removal = await deleteOrganizationAlias(db, { kind: 'vendor', alias: 'acme-labs' });
    expect(second.reidentificationJobId).toBe(first.reidentificationJobId);
    expect(removal.reidentificationJobId).toBe(first.reidentificationJobId);
    expect(await db.select().from(jobs)).toHaveLength(1);

    // Once a worker ran the job, the next edit queues a new one.
    const worker = new JobWorker(db, { kinds: [reidentifyJob], persistProgress: true, soleProcess: true });
    expect(await worker.runOnce()).toBe(true);
    const later = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-group', canonical: 'acme' });
    expect(later.reidentificationJobId).toBeGreaterThan(first.reidentificationJobId ?? Number.POSITIVE_INFINITY);
    expect(await db.select().from(jobs)).toHaveLength(2);
  });

  it('runs a coalesced job with the aliases of every edit', async () => {
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [widgetFinding('acme_corp', '1')]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [widgetFinding('acme-software', '2')]);
    await writeRecords(db, 'ScannerC', WEDNESDAY, [HOST], [widgetFinding('acme-labs', '3')]);
    expect(await db.select().from(findings)).toHaveLength(3);

    const first = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'acme' });
    const second = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-labs', canonical: 'acme' });
    expect(second.reidentificationJobId).toBe(first.reidentificationJobId);

    const worker = new JobWorker(db, { kinds: [reidentifyJob], persistProgress: true, soleProcess: true });
    expect(await worker.runOnce()).toBe(true);
    expect(await worker.runOnce()).toBe(false);
    expect(await db.select().from(findings)).toHaveLength(1);
  });

  it('overrides a bundled alias', async () => {
    expect(bundledAliases.vendor('MSFT')).toBe('microsoft');
    await saveOrganizationAlias(db, { kind: 'vendor', alias: 'MSFT', canonical: 'msft_internal' });
    expect((await loadAliasTable(db)).vendor('MSFT')).toBe('msft_internal');
    expect(await resolveSpelling(db, { kind: 'vendor', name: 'msft' })).toEqual({ kind: 'vendor', name: 'msft', canonical: 'msft_internal', source: 'organization' });
    expect((await resolveSpelling(db, { kind: 'vendor', name: 'Microsoft Corporation' })).canonical).toBe('microsoft');
  });

  it('detaches a bundled alias with an alias to its own spelling', async () => {
    expect(bundledAliases.vendor('ASF')).toBe('apache');
    const change = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'ASF', canonical: 'asf' });
    expect(change.alias.canonical).toBe('asf');
    expect((await loadAliasTable(db)).vendor('ASF')).toBe('asf');
  });

  it('resolves spellings and names the deciding table', async () => {
    await saveOrganizationAlias(db, { kind: 'product', alias: 'Acme Widget Server', canonical: 'widget_server' });
    expect(await resolveSpelling(db, { kind: 'vendor', name: 'Microsoft Corporation' })).toEqual({ kind: 'vendor', name: 'Microsoft Corporation', canonical: 'microsoft', source: 'bundled' });
    expect(await resolveSpelling(db, { kind: 'vendor', name: 'Initech LLC' })).toEqual({ kind: 'vendor', name: 'Initech LLC', canonical: 'initech', source: 'normalization' });
    expect(await resolveSpelling(db, { kind: 'product', name: 'ACME widget server' })).toMatchObject({ canonical: 'widget_server', source: 'organization' });
    await expect(resolveSpelling(db, { kind: 'vendor', name: '' })).rejects.toThrow(/name is empty/);
  });

  it('updates an alias and queues a job only on a change', async () => {
    const first = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'acme' });
    const again = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'ACME-Software', canonical: 'ACME' });
    expect(again).toMatchObject({ created: false, reidentificationJobId: null });

    const changed = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'acme_group' });
    expect(changed.created).toBe(false);
    expect(changed.alias.canonical).toBe('acme_group');
    // The first save's job is still queued, so the change reuses it.
    expect(changed.reidentificationJobId).toBe(first.reidentificationJobId);
    expect(await db.select().from(technologyAliases)).toHaveLength(1);
  });

  it('deletes an alias by any spelling and rejects an unknown one', async () => {
    await saveOrganizationAlias(db, { kind: 'vendor', alias: 'Acme Software Labs', canonical: 'acme' });
    await expect(deleteOrganizationAlias(db, { kind: 'product', alias: 'Acme Software Labs' })).rejects.toThrow('the organization has no product alias "Acme Software Labs"');

    const deleted = await deleteOrganizationAlias(db, { kind: 'vendor', alias: 'ACME_software_labs' });
    expect(deleted.reidentificationJobId).toBeTypeOf('number');
    expect(await listOrganizationAliases(db)).toEqual([]);
    await expect(deleteOrganizationAlias(db, { kind: 'vendor', alias: 'Acme Software Labs' })).rejects.toThrow(/has no vendor alias/);
  });

  it('reports the size of the bundled table', () => {
    const size = bundledAliasSize();
    expect(size.vendors.names).toBeGreaterThan(10);
    expect(size.vendors.spellings).toBeGreaterThan(size.vendors.names);
    expect(size.products.names).toBeGreaterThan(10);
  });

  it('folds keys and canonical names like the alias table', () => {
    expect(aliasKey(' Acme_Corp  Labs ')).toBe('acme corp labs');
    expect(canonicalName('vendor', 'Oracle America, Inc.')).toBe('oracle_america');
    expect(canonicalName('product', 'HTTP Server')).toBe('http_server');
  });

  it('merges findings of two vendor spellings after re-identification', async () => {
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [widgetFinding('acme_corp', '1')]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [widgetFinding('acme-software', '2')]);
    const before = await db.select().from(findings).orderBy(asc(findings.id));
    expect(before).toHaveLength(2);
    expect(before.map((row) => row.identityKey).sort()).toEqual([
      'cve+cpe|CVE-2026-1000|cpe:2.3:a:acme-software:widget:1.0:*:*:*:*:*:*:*',
      'cve+cpe|CVE-2026-1000|cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*',
    ]);

    const { reidentificationJobId } = await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'Acme Corp' });
    expect(await reidentificationStatus(db)).toMatchObject({ jobId: reidentificationJobId, status: 'queued' });
    const worker = new JobWorker(db, { kinds: [reidentifyJob], persistProgress: true, soleProcess: true });
    expect(await worker.runOnce()).toBe(true);
    expect(await reidentificationStatus(db)).toMatchObject({ jobId: reidentificationJobId, status: 'succeeded' });

    const after = await db.select().from(findings);
    expect(after).toHaveLength(1);
    expect(after[0]?.identityKey).toBe('cve+cpe|CVE-2026-1000|cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*');
    expect(after[0]?.sources.sort()).toEqual(['ScannerA', 'ScannerB']);

    // A following import identifies with the alias too.
    await writeRecords(db, 'ScannerC', WEDNESDAY, [HOST], [widgetFinding('ACME-Software', '3')]);
    const imported = await db.select().from(findings);
    expect(imported).toHaveLength(1);
    expect(imported[0]?.sources.sort()).toEqual(['ScannerA', 'ScannerB', 'ScannerC']);
  });

  it('splits the findings again after the alias is deleted', async () => {
    await saveOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software', canonical: 'acme' });
    await writeRecords(db, 'ScannerA', MONDAY, [HOST], [widgetFinding('acme_corp', '1')]);
    await writeRecords(db, 'ScannerB', TUESDAY, [HOST], [widgetFinding('acme-software', '2')]);
    expect(await db.select().from(findings)).toHaveLength(1);

    await deleteOrganizationAlias(db, { kind: 'vendor', alias: 'acme-software' });
    const worker = new JobWorker(db, { kinds: [reidentifyJob], persistProgress: true, soleProcess: true });
    // The save queued a job too; each runs with the aliases as they are when it runs.
    while (await worker.runOnce()) {
      // Runs every queued job.
    }
    expect(await db.select().from(findings)).toHaveLength(2);
  });
});
