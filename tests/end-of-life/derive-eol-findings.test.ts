import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { findings, imports } from '../../db/schema';
import { EOL_CHECK_SOURCE } from '../../lib/end-of-life/eol-findings';
import { setEolCheckSetting } from '../../lib/end-of-life/settings';
import { importFeedDirectory } from '../../lib/feeds/import-feed';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import { listFindings } from '../../lib/findings/list-findings';
import { explainDetectionScore } from '../../lib/scoring/explain-finding';
import { createTestDb } from '../helpers/test-db';

const LIFECYCLES = path.resolve(__dirname, '../fixtures/end-of-life/lifecycles');

interface Image {
  name: string;
  os: { family: string; version: string };
  packages: { name: string; version: string; cve: string }[];
  scannedAt: string;
}

/** Builds a Trivy image report with one vulnerability per package. */
function trivy(image: Image): string {
  return JSON.stringify({
    SchemaVersion: 2,
    CreatedAt: image.scannedAt,
    ArtifactName: image.name,
    ArtifactType: 'container_image',
    Metadata: { OS: { Family: image.os.family, Name: image.os.version } },
    Results: [
      {
        Target: `${image.name} (${image.os.family} ${image.os.version})`,
        Class: 'os-pkgs',
        Type: image.os.family,
        Vulnerabilities: image.packages.map((pkg) => ({
          VulnerabilityID: pkg.cve,
          PkgName: pkg.name,
          InstalledVersion: pkg.version,
          Title: `${pkg.name} flaw`,
          Severity: 'MEDIUM',
        })),
      },
    ],
  });
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

async function run(db: Db, fileName: string, text: string): Promise<ImportSummary> {
  const summary = await importReport(db, { fileName, bytes: bytes(text) });
  expect(summary.error).toBeUndefined();
  return summary;
}

async function eolFindings(db: Db) {
  return queryRows<{
    id: number;
    title: string;
    status: string;
    severity: number;
    vendor_id: string;
    sources: string[];
    references: string[];
    description: string;
    solution: string;
    product: string | null;
    version: string | null;
    detection_score: number;
  }>(
    db,
    sql`select f.id, f.title, f.status, f.severity, f.vendor_id, f.sources, f."references", f.description, f.solution,
          t.product, t.version, f.detection_score
        from findings f left join technologies t on t.id = f.technology_id
        where f.vendor_id like 'eol:%' order by f.vendor_id`,
  );
}

const OLD_IMAGE: Image = {
  name: 'registry.example.test/shop/web:1.0',
  os: { family: 'ubuntu', version: '18.04' },
  packages: [{ name: 'nginx', version: '1.14.0-0ubuntu1.11', cve: 'CVE-2021-23017' }],
  scannedAt: '2026-03-02T08:00:00Z',
};

const UPGRADED_IMAGE: Image = {
  ...OLD_IMAGE,
  os: { family: 'ubuntu', version: '24.04' },
  packages: [{ name: 'nginx', version: '1.26.0-2ubuntu3', cve: 'CVE-2024-7347' }],
  scannedAt: '2026-03-09T08:00:00Z',
};

describe('end-of-life check', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
  });

  afterAll(async () => {
    await handle.close();
  });

  beforeEach(async () => {
    await handle.db.execute(sql`delete from assets`);
    await setEolCheckSetting(handle.db, true);
  });

  it('derives nothing without lifecycle data', async () => {
    const summary = await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    expect(summary.counts.endOfLifeFindings).toBeUndefined();
    expect(await eolFindings(handle.db)).toEqual([]);
  });

  it('derives findings when lifecycle data arrives', async () => {
    await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    const [feed] = await importFeedDirectory(handle.db, LIFECYCLES);
    expect(feed?.status).toBe('succeeded');
    expect(feed?.endOfLifeFindings).toBe(2);
    expect(feed?.endOfLifeFixed).toBe(0);
    expect((await eolFindings(handle.db)).map((row) => row.title)).toEqual(['End-of-life software: nginx 1.14', 'End-of-life software: Ubuntu 18.04']);

    const [checkImport] = await handle.db.select().from(imports).where(eq(imports.source, EOL_CHECK_SOURCE));
    expect(checkImport?.status).toBe('succeeded');
    expect(checkImport?.counts?.findingsNew).toBe(2);
  });

  it('writes OS and package findings on import', async () => {
    const summary = await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    expect(summary.counts.endOfLifeFindings).toBe(2);

    const [nginx, ubuntu] = await eolFindings(handle.db);
    expect(ubuntu?.title).toBe('End-of-life software: Ubuntu 18.04');
    expect(ubuntu?.vendor_id).toBe('eol:ubuntu:18.04');
    expect(ubuntu?.sources).toEqual([EOL_CHECK_SOURCE]);
    expect(ubuntu?.status).toBe('new');
    expect(ubuntu?.severity).toBe(5);
    expect(ubuntu?.product).toBe('ubuntu');
    expect(ubuntu?.version).toBe('18.04');
    expect(ubuntu?.references).toEqual(['https://endoflife.date/ubuntu']);
    expect(ubuntu?.description).toContain('reached its end of life on 2019-05-31');
    expect(ubuntu?.description).toContain('the operating system "ubuntu 18.04"');
    expect(ubuntu?.description).toContain('latest release of this cycle is 18.04.6');
    expect(ubuntu?.solution).toBe('Upgrade to a supported cycle (latest Ubuntu 24.04, release 24.04.3).');
    // A critical misconfiguration scores 90; past its end of life it rises halfway to 100.
    expect(ubuntu?.detection_score).toBe(95);

    expect(nginx?.title).toBe('End-of-life software: nginx 1.14');
    expect(nginx?.description).toContain('the technology nginx 1.14.0-0ubuntu1.11');
    expect(nginx?.solution).toBe('Upgrade to a supported cycle (latest nginx 1.26, release 1.26.3).');

    const explanation = await explainDetectionScore(handle.db, ubuntu?.id ?? 0);
    expect(JSON.stringify(explanation)).toContain('past its end of life');
  });

  it('lists findings on the asset page', async () => {
    await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    const [asset] = await queryRows<{ id: number }>(handle.db, sql`select id from assets`);
    const page = await listFindings(handle.db, { assetId: asset?.id ?? 0, sort: 'title', direction: 'asc' });
    const titles = page.items.map((item) => item.title);
    expect(titles).toContain('End-of-life software: Ubuntu 18.04');
    expect(titles).toContain('End-of-life software: nginx 1.14');
    expect(titles).toContain('nginx flaw');
  });

  it('keeps one finding across scans', async () => {
    await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    await run(handle.db, 'old-again.json', trivy({ ...OLD_IMAGE, scannedAt: '2026-03-05T08:00:00Z' }));
    const rows = await eolFindings(handle.db);
    expect(rows.map((row) => row.status)).toEqual(['active', 'active']);
  });

  it('fixes findings after an upgrade', async () => {
    await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    const summary = await run(handle.db, 'upgraded.json', trivy(UPGRADED_IMAGE));
    expect(summary.counts.endOfLifeFindings).toBe(0);

    const rows = await eolFindings(handle.db);
    expect(rows.map((row) => `${row.title} ${row.status}`)).toEqual(['End-of-life software: nginx 1.14 fixed', 'End-of-life software: Ubuntu 18.04 fixed']);
    const history = await queryRows<{ to_status: string; reason: string }>(
      handle.db,
      sql`select h.to_status, h.reason from finding_status_history h where h.finding_id = ${rows[0]?.id ?? 0} order by h.id`,
    );
    expect(history.at(-1)?.to_status).toBe('fixed');
    expect(history.at(-1)?.reason).toContain(EOL_CHECK_SOURCE);
  });

  it('reopens a finding after a downgrade', async () => {
    await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    await run(handle.db, 'upgraded.json', trivy(UPGRADED_IMAGE));
    await run(handle.db, 'rolled-back.json', trivy({ ...OLD_IMAGE, scannedAt: '2026-03-16T08:00:00Z' }));
    const [row] = await handle.db.select({ status: findings.status }).from(findings).where(and(eq(findings.vendorId, 'eol:ubuntu:18.04')));
    expect(row?.status).toBe('reopened');
  });

  it('derives nothing when turned off', async () => {
    await setEolCheckSetting(handle.db, false);
    const summary = await run(handle.db, 'old.json', trivy(OLD_IMAGE));
    expect(summary.counts.endOfLifeFindings).toBeUndefined();
    expect(await eolFindings(handle.db)).toEqual([]);
  });

  it('turns off by environment variable', async () => {
    process.env.RISKBOARD_EOL_CHECK = 'off';
    try {
      await run(handle.db, 'old.json', trivy(OLD_IMAGE));
      expect(await eolFindings(handle.db)).toEqual([]);
    } finally {
      delete process.env.RISKBOARD_EOL_CHECK;
    }
  });
});
