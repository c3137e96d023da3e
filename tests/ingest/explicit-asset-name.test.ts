import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, imports } from '../../db/schema';
import { createProfile } from '../../lib/connector-profiles/profiles';
import { getImport } from '../../lib/imports/list-imports';
import { renamedAsset } from '../../lib/ingest/explicit-asset-name';
import { ASSET_NAME_FORMATS } from '../../lib/ingest/parsers';
import { importReport, type ImportReportInput, type ImportSummary } from '../../lib/ingest/import-report';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Imports that name the report's only asset: the name is the asset's identity, so different
// names give different assets and the same name one asset. Formats whose reports name several
// assets reject the name, and so does a report of a listed format that contains several assets.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'ingest');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

describe(`import asset name (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.close();
  });

  const run = (fileName: string, text: string, options: Omit<ImportReportInput, 'fileName' | 'bytes'> = {}): Promise<ImportSummary> =>
    importReport(db, { fileName, bytes: bytes(text), ...options });

  const assetsNamed = (name: string) => db.select().from(assets).where(eq(assets.name, name));
  const assetCount = async () => (await db.select({ id: assets.id }).from(assets)).length;

  describe('kube-bench', () => {
    const report = fixture('asset-name/kube-bench.json');

    it('gives two names two assets', async () => {
      const first = await run('kube-bench.json', report, { assetName: 'cluster-a' });
      const second = await run('kube-bench.json', report, { assetName: 'cluster-b' });

      expect(first.status).toBe('succeeded');
      expect(second.status).toBe('succeeded');
      expect(first.counts.assetsCreated).toBe(1);
      expect(second.counts.assetsCreated).toBe(1);
      const [clusterA] = await assetsNamed('cluster-a');
      const [clusterB] = await assetsNamed('cluster-b');
      expect(clusterA).toMatchObject({ kind: 'host', hostname: 'cluster-a' });
      expect(clusterB).toMatchObject({ kind: 'host', hostname: 'cluster-b' });
      expect(clusterA?.id).not.toBe(clusterB?.id);
      expect(await assetsNamed('kube-bench')).toEqual([]);
    });

    it('gives the same name one asset', async () => {
      const before = await assetCount();
      const again = await run('other-file.json', report, { assetName: 'cluster-a' });

      expect(again.status).toBe('succeeded');
      expect(again.counts.assetsCreated).toBe(0);
      expect(again.counts.assetsUpdated + again.counts.assetsUnchanged).toBe(1);
      expect(await assetCount()).toBe(before);
      expect(await assetsNamed('cluster-a')).toHaveLength(1);
    });

    it('matches the name case-insensitively', async () => {
      const summary = await run('kube-bench.json', report, { assetName: 'CLUSTER-A' });
      expect(summary.counts.assetsCreated).toBe(0);
      expect(await assetsNamed('CLUSTER-A')).toEqual([]);
    });

    it('names the host after the file without a name', async () => {
      const summary = await run('kube-bench.json', report);
      expect(summary.counts.assetsCreated).toBe(1);
      expect(await assetsNamed('kube-bench')).toHaveLength(1);
    });

    it('stores the trimmed name on the import', async () => {
      const summary = await run('kube-bench.json', report, { assetName: '  cluster-c  ' });
      expect(summary.status).toBe('succeeded');
      expect((await getImport(db, summary.importId))?.assetName).toBe('cluster-c');
      expect(await assetsNamed('cluster-c')).toHaveLength(1);
    });

    it('stores no name when none is given', async () => {
      const summary = await run('kube-bench.json', report);
      expect((await getImport(db, summary.importId))?.assetName).toBeNull();
    });
  });

  describe('rejection', () => {
    it('rejects a Nessus report', async () => {
      const before = await assetCount();
      const summary = await run('scan.nessus', fixture('nessus-two-hosts.nessus'), { assetName: 'cluster-a' });

      expect(summary.status).toBe('failed');
      expect(summary.format).toBe('nessus');
      expect(summary.error?.code).toBe('invalid_option');
      expect(summary.error?.message).toMatch(/^scan\.nessus: Reports of format /);
      expect(summary.error?.message).toContain('An asset name is accepted for: kube-bench CIS Kubernetes Benchmark results (JSON); ');
      expect(summary.error?.message).toContain('Reports of format "Nessus (.nessus v2 XML)" name their own assets');
      expect(summary.error?.message).toContain('import this file without an asset name');
      expect(await assetCount()).toBe(before);
    });

    it('records the rejection on the import', async () => {
      const summary = await run('scan.nessus', fixture('nessus-two-hosts.nessus'), { assetName: 'cluster-a' });
      const [row] = await db.select().from(imports).where(eq(imports.id, summary.importId));
      expect(row?.status).toBe('failed');
      expect(row?.assetName).toBe('cluster-a');
      expect(row?.error).toContain('Nessus (.nessus v2 XML)');
    });

    it('rejects a Trivy Kubernetes report', async () => {
      const before = await assetCount();
      const summary = await run('cluster.json', fixture('trivy-kubernetes.json'), { assetName: 'prod-eu-1' });

      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('invalid_option');
      expect(summary.error?.message).toContain('Trivy (JSON: image, filesystem or Kubernetes report) report contains several');
      expect(summary.error?.message).toContain('split it into one report per asset');
      expect(await assetCount()).toBe(before);
      expect(await assetsNamed('prod-eu-1')).toEqual([]);
    });

    it('rejects a generic CSV profile', async () => {
      await createProfile(db, {
        name: 'Tracker',
        sourceName: 'Tracker',
        mapping: { Host: 'asset.hostname', Issue: 'finding.title', Risk: 'finding.severity' },
      });
      const summary = await run('tracker.csv', 'Host,Issue,Risk\nweb-1,Old TLS,high\n', { profile: 'Tracker', assetName: 'web' });
      expect(summary.status).toBe('failed');
      expect(summary.error?.message).toContain('Reports of format "Generic CSV, read with a connector profile" name their own assets');
    });

    it.each([
      ['an empty name', '   ', 'the asset name is empty'],
      ['a line break', 'cluster\na', 'control character'],
      ['a tab', 'cluster\ta', 'control character'],
      ['a NUL', 'cluster\u0000a', 'control character'],
      ['a C1 control', 'cluster\u0085a', 'control character'],
      ['a zero-width space', 'cluster\u200ba', 'invisible or text-direction character'],
      ['a right-to-left mark', 'cluster\u200fa', 'invisible or text-direction character'],
      ['a left-to-right embedding', '\u202acluster', 'invisible or text-direction character'],
      ['a right-to-left override', 'cluster\u202ea', 'invisible or text-direction character'],
      ['a first-strong isolate', 'cluster\u2068a', 'invisible or text-direction character'],
      ['a pop directional isolate', 'cluster\u2069a', 'invisible or text-direction character'],
      ['a byte order mark', 'cluster\ufeffa', 'invisible or text-direction character'],
      ['only a zero-width joiner', '\u200d', 'invisible or text-direction character'],
      ['256 characters', 'x'.repeat(256), 'longer than 255 characters'],
    ])('rejects %s', async (_case, assetName, message) => {
      const summary = await run('kube-bench.json', fixture('asset-name/kube-bench.json'), { assetName });
      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('invalid_option');
      expect(summary.error?.message).toContain(message);
      const [row] = await db.select().from(imports).where(eq(imports.id, summary.importId));
      expect(row?.assetName).toBeNull();
    });
  });

  describe('other formats', () => {
    it('names Trivy filesystem reports of "."', async () => {
      const report = fixture('asset-name/trivy-fs-dot.json');
      const shop = await run('trivy.json', report, { assetName: 'shop-api' });
      const billing = await run('trivy.json', report, { assetName: 'billing-api' });

      expect(shop.status).toBe('succeeded');
      expect(billing.status).toBe('succeeded');
      expect(await assetsNamed('shop-api')).toMatchObject([{ kind: 'repository' }]);
      expect(await assetsNamed('billing-api')).toMatchObject([{ kind: 'repository' }]);
      expect(await assetsNamed('.')).toEqual([]);
    });

    it('names an npm audit project', async () => {
      const summary = await run('npm-audit.json', fixture('npm-audit-v7.json'), { assetName: 'storefront' });
      expect(summary.status).toBe('succeeded');
      expect(await assetsNamed('storefront')).toMatchObject([{ kind: 'application' }]);
      expect(await assetsNamed('npm-audit')).toEqual([]);
    });

    it('applies with a profile of a listed format', async () => {
      await createProfile(db, { name: 'kube-bench prod', format: 'kube-bench', sourceName: 'kube-bench', mapping: {} });
      const summary = await run('kube-bench.json', fixture('asset-name/kube-bench.json'), { profile: 'kube-bench prod', assetName: 'cluster-d' });
      expect(summary.status).toBe('succeeded');
      expect(await assetsNamed('cluster-d')).toHaveLength(1);
    });
  });
});

describe('renamedAsset', () => {
  it('makes an IP address name the host address', () => {
    const renamed = renamedAsset({ reportKey: 'file', name: 'agent', kind: 'host', hostname: 'agent' }, '10.0.0.7');
    expect(renamed).toMatchObject({ reportKey: 'file', name: '10.0.0.7', kind: 'host', ipv4: ['10.0.0.7'] });
    expect(renamed.hostname).toBeUndefined();
  });

  it('drops identifiers but keeps attributes', () => {
    const seen = new Date('2026-01-02T03:04:05Z');
    const renamed = renamedAsset(
      { reportKey: '001', name: 'web-1', kind: 'host', agentId: '001', fqdn: 'web-1.example.test', ipv4: ['192.0.2.1'], os: 'Ubuntu 22.04', lastSeen: seen, raw: { scanner: 'Wazuh' } },
      'payments-web',
    );
    expect(renamed).toEqual({
      reportKey: '001',
      name: 'payments-web',
      kind: 'host',
      hostname: 'payments-web',
      os: 'Ubuntu 22.04',
      lastSeen: seen,
      raw: { scanner: 'Wazuh' },
    });
  });

  it('keeps the kind of other assets', () => {
    const renamed = renamedAsset({ reportKey: 'artifact', name: '.', kind: 'repository' }, 'shop-api');
    expect(renamed).toEqual({ reportKey: 'artifact', name: 'shop-api', kind: 'repository', raw: {} });
  });
});

describe('README asset name formats', () => {
  it('lists the formats that take an asset name', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const sentence = /The formats that take an asset name are ([^.]+)\./.exec(readme.replace(/\s+/g, ' '))?.[1] ?? '';
    const listed = [...sentence.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...ASSET_NAME_FORMATS].sort());
  });
});
