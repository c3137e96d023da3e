import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { importReport } from '../../lib/ingest/import-report';
import { createTestDb, testDbKind } from '../helpers/test-db';

// Property: importing the same reports in any order yields the same findings: the same identities,
// statuses, dates and sources, and the same detections. Reports come from three sources: Nessus
// on hosts, and Trivy and Grype on container images that both of them scan, so their package
// findings merge into one finding per asset.

const HOSTS = ['alpha', 'bravo', 'charlie'];
const IMAGES = ['registry.example.test/shop/api:1.0', 'registry.example.test/shop/web:2.0'];
const PLUGINS = ['11001', '11002', '11003', '11004'];
const PACKAGES = [
  { cve: 'CVE-2024-1001', name: 'libssl3', version: '3.0.11-1' },
  { cve: 'CVE-2024-1002', name: 'zlib1g', version: '1.2.13' },
  { cve: 'CVE-2024-1003', name: 'libxml2', version: '2.9.14' },
];
const DAY = 24 * 3600 * 1000;
const START = Date.parse('2026-05-04T06:00:00Z');

interface Report {
  source: 'nessus' | 'trivy' | 'grype';
  /** Day of the scan, 0–3; reports may share a day. */
  day: number;
  /** Per scanned asset (index), the findings (indexes) it lists. */
  assets: { asset: number; items: number[] }[];
}

const itemsArb = (count: number) => fc.uniqueArray(fc.nat({ max: count - 1 }), { maxLength: count });

const reportArb: fc.Arbitrary<Report> = fc.oneof(
  fc.record({
    source: fc.constant('nessus' as const),
    day: fc.nat({ max: 3 }),
    assets: fc.uniqueArray(fc.record({ asset: fc.nat({ max: HOSTS.length - 1 }), items: itemsArb(PLUGINS.length) }), { minLength: 1, maxLength: HOSTS.length, selector: (entry) => entry.asset }),
  }),
  fc.record({
    source: fc.constantFrom('trivy' as const, 'grype' as const),
    day: fc.nat({ max: 3 }),
    assets: fc.record({ asset: fc.nat({ max: IMAGES.length - 1 }), items: itemsArb(PACKAGES.length) }).map((entry) => [entry]),
  }),
);

function render(report: Report): string {
  const at = new Date(START + report.day * DAY);
  if (report.source === 'nessus') {
    const seconds = Math.floor(at.getTime() / 1000);
    const lines = ['<?xml version="1.0" ?>', '<NessusClientData_v2>', '<Report name="property">'];
    for (const { asset, items } of report.assets) {
      const name = HOSTS[asset] ?? 'x';
      lines.push(`<ReportHost name="10.90.0.${asset + 1}"><HostProperties>`);
      lines.push(`<tag name="host-ip">10.90.0.${asset + 1}</tag><tag name="host-fqdn">${name}.property.example</tag>`);
      lines.push(`<tag name="HOST_START_TIMESTAMP">${seconds}</tag><tag name="HOST_END_TIMESTAMP">${seconds}</tag></HostProperties>`);
      for (const item of items) {
        const plugin = PLUGINS[item] ?? '0';
        lines.push(`<ReportItem port="443" svc_name="www" protocol="tcp" severity="2" pluginID="${plugin}" pluginName="Plugin ${plugin}" pluginFamily="General"><description>Plugin ${plugin} on ${name}</description></ReportItem>`);
      }
      lines.push('</ReportHost>');
    }
    lines.push('</Report>', '</NessusClientData_v2>');
    return lines.join('\n');
  }

  const [{ asset, items } = { asset: 0, items: [] }] = report.assets;
  const image = IMAGES[asset] ?? 'x';
  const packages = items.map((item) => PACKAGES[item]).filter((entry) => entry !== undefined);
  if (report.source === 'trivy') {
    return JSON.stringify({
      SchemaVersion: 2,
      CreatedAt: at.toISOString(),
      ArtifactName: image,
      ArtifactType: 'container_image',
      Metadata: { OS: { Family: 'debian', Name: '12.5' } },
      Results: [
        {
          Target: `${image} (debian 12.5)`,
          Class: 'os-pkgs',
          Type: 'debian',
          Vulnerabilities: packages.map((entry) => ({ VulnerabilityID: entry.cve, PkgName: entry.name, InstalledVersion: entry.version, Severity: 'HIGH', Title: `${entry.name} flaw` })),
        },
      ],
    });
  }
  return JSON.stringify({
    descriptor: { name: 'grype', version: '0.79.0', timestamp: at.toISOString() },
    source: { type: 'image', target: { userInput: image } },
    distro: { name: 'debian', version: '12' },
    matches: packages.map((entry) => ({
      vulnerability: { id: entry.cve, namespace: 'debian:distro:debian:12', severity: 'High', description: `${entry.name} flaw` },
      matchDetails: [],
      artifact: { name: entry.name, version: entry.version, type: 'deb', locations: [] },
    })),
  });
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** Everything about the findings that must not depend on the import order, sorted. */
async function canonicalDump(db: Db): Promise<unknown[]> {
  return queryRows(
    db,
    sql`
      select a.name as asset, f.type, f.identity_key, f.status, f.first_found, f.last_found, f.fixed_at,
        (select array_agg(s order by s) from unnest(f.sources) s) as sources,
        (select json_agg(json_build_array(d.source, d.source_finding_id, d.first_seen, d.last_seen) order by d.source, d.source_finding_id)
         from detections d where d.finding_id = f.id) as detections
      from findings f join assets a on a.id = f.asset_id
      order by a.name, f.type, f.identity_key
    `,
  );
}

describe(`import order (${testDbKind})`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.close();
  });

  async function importAll(reports: Report[], order: number[]): Promise<unknown[]> {
    await db.execute(sql`truncate imports, assets, vulnerabilities restart identity cascade`);
    for (const [position, index] of order.entries()) {
      const report = reports[index];
      if (!report) continue;
      const summary = await importReport(db, { fileName: `r${index}-${position}.${report.source === 'nessus' ? 'nessus' : 'json'}`, bytes: bytes(render(report)) });
      expect(summary.error).toBeUndefined();
    }
    return canonicalDump(db);
  }

  it('yields the same findings for every order of the same reports', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reportArb, { minLength: 2, maxLength: 4 }).chain((reports) =>
          fc.tuple(fc.constant(reports), fc.shuffledSubarray([...reports.keys()], { minLength: reports.length, maxLength: reports.length })),
        ),
        async ([reports, order]) => {
          const inOrder = await importAll(reports, [...reports.keys()]);
          const shuffled = await importAll(reports, order);
          expect(shuffled).toEqual(inOrder);
        },
      ),
      { numRuns: testDbKind === 'postgres' ? 40 : 15 },
    );
  });

  it('merges the package findings of Trivy and Grype on the same image', async () => {
    const reports: Report[] = [
      { source: 'trivy', day: 0, assets: [{ asset: 0, items: [0, 1] }] },
      { source: 'grype', day: 1, assets: [{ asset: 0, items: [0] }] },
    ];
    const dump = (await importAll(reports, [0, 1])) as { sources: string[]; status: string }[];
    expect(dump).toHaveLength(2);
    expect(dump.map((row) => row.sources)).toContainEqual(['Grype', 'Trivy']);
  });
});
