import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { vulnerabilities } from '../../db/schema';
import { grypeParser } from '../../lib/ingest/formats/grype';
import { importReport } from '../../lib/ingest/import-report';
import { createTestDb } from '../helpers/test-db';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const FIXTURE = 'grype-image.json';

/** Moves `source`, `distro` and `descriptor` before `matches`, as a re-serialized report may have them. */
function headerFirst(text: string): string {
  const report = JSON.parse(text) as Record<string, unknown>;
  const { source, distro, descriptor, ...rest } = report;
  return JSON.stringify({ source, distro, descriptor, ...rest });
}

describe('grypeParser image report', () => {
  it('maps the image asset and scan time', async () => {
    const report = await parseFixture(grypeParser, FIXTURE);
    expect(report.metadata).toEqual({
      format: 'grype',
      source: 'Grype',
      title: 'registry.example.test/shop/web:2.3.0',
      scannedAt: new Date('2024-05-02T06:30:00.500Z'),
    });
    expect(report.assets).toHaveLength(1);
    const asset = assetOf(report, 'source');
    expect(asset.name).toBe('registry.example.test/shop/web:2.3.0');
    expect(asset.kind).toBe('container_image');
    expect(asset.os).toBe('debian 12');
    expect(asset.raw).toMatchObject({
      sourceType: 'image',
      imageID: 'sha256:5555555555555555555555555555555555555555555555555555555555555555',
      manifestDigest: 'sha256:6666666666666666666666666666666666666666666666666666666666666666',
      repoDigests: ['registry.example.test/shop/web@sha256:7777777777777777777777777777777777777777777777777777777777777777'],
      tags: ['registry.example.test/shop/web:2.3.0'],
      architecture: 'amd64',
      distro: { name: 'debian', version: '12', idLike: [] },
      scanner: { name: 'grype', version: '0.79.0' },
    });
    expect(asset.raw?.manifest).toBeUndefined();
    expect(asset.raw?.config).toBeUndefined();
  });

  it('maps a distro package match', async () => {
    const report = await parseFixture(grypeParser, FIXTURE);
    const finding = findingOf(report, 'source', 'CVE-2023-4863');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      cveId: 'CVE-2023-4863',
      cveIds: ['CVE-2023-4863'],
      title: 'CVE-2023-4863',
      description: 'Heap buffer overflow in libwebp allows a crafted image to write out of bounds.',
      severity: 5,
      fixedVersion: '1.2.4-0.2+deb12u1',
      solution: 'Upgrade libwebp7 to 1.2.4-0.2+deb12u1.',
      technology: {
        product: 'libwebp7',
        version: '1.2.4-0.2',
        path: '/var/lib/dpkg/status',
        cpe: 'cpe:2.3:a:libwebp7:libwebp7:1.2.4-0.2:*:*:*:*:*:*:*',
        license: 'BSD-3-Clause',
      },
      cweIds: ['CWE-787'],
      sourceFindingId: 'CVE-2023-4863:a1b2c3d4e5f60718:/var/lib/dpkg/status',
      position: { field: 'matches[0]' },
    });
    // The NVD rating (Primary) wins over the secondary source listed first.
    expect(finding.cvss3BaseScore).toBe(8.8);
    expect(finding.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H');
    expect(finding.cvss2BaseScore).toBe(6.8);
    expect(finding.cvss2Vector).toBe('AV:N/AC:M/Au:N/C:P/I:P/A:P');
    expect(finding.cvss4BaseScore).toBeUndefined();
    expect(finding.references).toEqual([
      'https://security-tracker.debian.org/tracker/CVE-2023-4863',
      'https://www.debian.org/security/2023/dsa-5497',
    ]);
  });

  it('maps EPSS and KEV into CVE facts', async () => {
    const report = await parseFixture(grypeParser, FIXTURE);
    const finding = findingOf(report, 'source', 'CVE-2023-4863');
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2023-4863',
        cvss2BaseScore: 6.8,
        cvss2Vector: 'AV:N/AC:M/Au:N/C:P/I:P/A:P',
        cvss3BaseScore: 8.8,
        cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
        cweIds: ['CWE-787'],
        epssScore: 0.93,
        epssPercentile: 0.998,
        kev: {
          dateAdded: new Date('2023-09-13'),
          dueDate: new Date('2023-10-04'),
          ransomwareUse: false,
          vendorProject: 'Google',
          product: 'Chromium WebP',
        },
        references: [{ url: 'https://security-tracker.debian.org/tracker/CVE-2023-4863' }],
      },
    ]);
  });

  it('keeps unmapped fields in raw', async () => {
    const report = await parseFixture(grypeParser, FIXTURE);
    const { raw } = findingOf(report, 'source', 'CVE-2023-4863');
    expect(raw.vulnerability).toMatchObject({
      dataSource: 'https://security-tracker.debian.org/tracker/CVE-2023-4863',
      namespace: 'debian:distro:debian:12',
      fix: { state: 'fixed' },
      advisories: [{ id: 'DSA-5497-1' }],
      risk: 91.5,
      epss: [{ date: '2024-05-01' }],
      knownExploited: [{ requiredAction: 'Apply mitigations per vendor instructions.' }],
    });
    expect(raw.artifact).toMatchObject({
      id: 'a1b2c3d4e5f60718',
      type: 'deb',
      purl: 'pkg:deb/debian/libwebp7@1.2.4-0.2?arch=amd64&upstream=libwebp&distro=debian-12',
      upstreams: [{ name: 'libwebp' }],
    });
    expect((raw.artifact as { locations: unknown[] }).locations).toHaveLength(2);
    expect((raw.artifact as { cpes: unknown[] }).cpes).toHaveLength(2);
    expect(raw.matchDetails).toEqual([expect.objectContaining({ matcher: 'dpkg-matcher', type: 'exact-indirect-match' })]);
    expect(raw.relatedVulnerabilities).toEqual([expect.objectContaining({ namespace: 'nvd:cpe' })]);
    expect(raw.suppressed).toBeUndefined();
  });

  it('maps a GHSA match to its related CVE', async () => {
    const report = await parseFixture(grypeParser, FIXTURE);
    const finding = findingOf(report, 'source', 'GHSA-7rjr-3q55-vv33');
    expect(finding).toMatchObject({
      cveId: 'CVE-2021-45046',
      cveIds: ['CVE-2021-45046'],
      severity: 3,
      fixedVersion: '2.16.0, 2.12.2',
      solution: 'Upgrade log4j-core to 2.16.0 or 2.12.2.',
      technology: { product: 'log4j-core', version: '2.15.0', path: '/app/lib/log4j-core-2.15.0.jar', license: 'Apache-2.0' },
      cweIds: ['CWE-917'],
      cvss4BaseScore: 9.2,
      cvss4Vector: 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      cvss3BaseScore: 9,
    });
    expect(finding.technology?.cpe).toBeUndefined();
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2021-45046',
        cvss3BaseScore: 9,
        cvss3Vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H',
        cweIds: ['CWE-917'],
        references: [{ url: 'https://logging.apache.org/log4j/2.x/security.html' }],
      },
    ]);
  });

  it('keeps an ignored match flagged as suppressed', async () => {
    const report = await parseFixture(grypeParser, FIXTURE);
    const finding = findingOf(report, 'source', 'CVE-2011-3374');
    expect(finding.severity).toBe(1);
    expect(finding.fixedVersion).toBeUndefined();
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.raw.appliedIgnoreRules).toEqual([{ vulnerability: 'CVE-2011-3374', reason: 'apt signature check is not used at run time' }]);
    expect(finding.position).toEqual({ field: 'ignoredMatches[0]' });
  });

  it('reads a report with the header first', async () => {
    const inOrder = await parseFixture(grypeParser, FIXTURE);
    const reordered = await parseText(grypeParser, headerFirst(readFixture(FIXTURE)));
    expect(reordered.assets).toEqual(inOrder.assets);
    expect(reordered.findings).toEqual(inOrder.findings);
  });

  it('spills waiting matches to disk and keeps their order', async () => {
    const report = JSON.parse(readFixture(FIXTURE)) as { matches: { vulnerability: { id: string } }[] };
    const [template] = report.matches;
    report.matches = Array.from({ length: 2500 }, (_, index) => ({ ...template, vulnerability: { ...template?.vulnerability, id: `GHSA-test-${index}` } })) as typeof report.matches;
    const parsed = await parseText(grypeParser, JSON.stringify(report), 8192);
    const ids = parsed.findings.map((finding) => finding.vendorId);
    expect(ids.slice(0, 2500)).toEqual(Array.from({ length: 2500 }, (_, index) => `GHSA-test-${index}`));
    expect(ids[2500]).toBe('CVE-2011-3374');
  });

  it('names a directory scan as a repository', async () => {
    const text = JSON.stringify({ matches: [], source: { type: 'directory', target: '/src/shop' }, distro: null, descriptor: { name: 'grype' } });
    const report = await parseText(grypeParser, text);
    expect(report.assets).toEqual([{ reportKey: 'source', name: '/src/shop', kind: 'repository', raw: { sourceType: 'directory', scanner: { name: 'grype' } } }]);
    expect(report.findings).toEqual([]);
  });
});

describe('grypeParser severity', () => {
  it('takes a related record severity', async () => {
    const text = JSON.stringify({
      matches: [
        {
          vulnerability: { id: 'CVE-2024-26308', cvss: [] },
          relatedVulnerabilities: [{ id: 'GHSA-4265-ccf5-phj5', severity: 'High' }],
          artifact: { name: 'commons-compress', version: '1.21' },
        },
        {
          vulnerability: { id: 'CVE-2024-0001', cvss: [{ version: '3.1', metrics: { baseScore: 5 } }] },
          artifact: { name: 'p', version: '1' },
        },
      ],
      source: { type: 'image', target: { userInput: 'a:1' } },
    });
    const report = await parseText(grypeParser, text);
    expect(report.findings.map((finding) => finding.severity)).toEqual([4, 3]);
  });
});

describe('grype import', () => {
  it('stores KEV and EPSS in the CVE catalog', async () => {
    const handle = await createTestDb();
    try {
      const fixture = fileURLToPath(new URL(`../fixtures/ingest/${FIXTURE}`, import.meta.url));
      const summary = await importReport(handle.db, { fileName: FIXTURE, path: fixture });
      expect(summary.error?.message).toBeUndefined();
      expect(summary.format).toBe('grype');
      expect(summary.counts.findingsNew).toBe(3);

      const [row] = await handle.db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, 'CVE-2023-4863'));
      expect(row?.isKev).toBe(true);
      expect(row?.kevDateAdded).toBe('2023-09-13');
      expect(row?.kevDueDate).toBe('2023-10-04');
      expect(row?.kevRansomwareUse).toBe(false);
      expect(row?.kevVendorProject).toBe('Google');
      expect(row?.kevProduct).toBe('Chromium WebP');
      expect(row?.epssScore).toBeCloseTo(0.93, 5);
      expect(row?.cvss3BaseScore).toBeCloseTo(8.8, 5);

      const [other] = await handle.db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, 'CVE-2021-45046'));
      expect(other?.isKev).toBe(false);
    } finally {
      await handle.close();
    }
  });
});

describe('grypeParser bad input', () => {
  const withMatch = (match: string) => `{"matches": [${match}], "source": {"type": "image", "target": {"userInput": "a:1"}}}`;
  const artifact = '"artifact": {"name": "p", "version": "1"}';
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['empty object', '{}', 'empty'],
    ['an array', '[]', 'malformed'],
    ['a number', '42', 'malformed'],
    ['truncated file', readFixture(FIXTURE).slice(0, 2000), 'malformed'],
    ['invalid JSON', '{"matches": [}', 'malformed'],
    ['matches as an object', '{"matches": {"vulnerability": {}}}', 'malformed'],
    ['a match as a string', withMatch('"CVE-2020-1234"'), 'malformed'],
    ['missing source', `{"matches": [{"vulnerability": {"id": "CVE-2020-1234"}, ${artifact}}]}`, 'invalid_field'],
    ['a source without a name', '{"matches": [], "source": {"type": "image", "target": {}}}', 'invalid_field'],
    ['missing artifact', withMatch('{"vulnerability": {"id": "CVE-2020-1234"}}'), 'invalid_field'],
    ['numeric vulnerability id', withMatch(`{"vulnerability": {"id": 7}, ${artifact}}`), 'invalid_field'],
    ['unknown severity', withMatch(`{"vulnerability": {"id": "CVE-2020-1234", "severity": "Extreme"}, ${artifact}}`), 'invalid_field'],
    ['CVSS score above 10', withMatch(`{"vulnerability": {"id": "CVE-2020-1234", "cvss": [{"version": "3.1", "metrics": {"baseScore": 11}}]}, ${artifact}}`), 'invalid_field'],
    ['EPSS above 1', withMatch(`{"vulnerability": {"id": "CVE-2020-1234", "epss": [{"cve": "CVE-2020-1234", "epss": 3}]}, ${artifact}}`), 'invalid_field'],
    ['invalid KEV date', withMatch(`{"vulnerability": {"id": "CVE-2020-1234", "knownExploited": [{"cve": "CVE-2020-1234", "dateAdded": "soon"}]}, ${artifact}}`), 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(grypeParser, text);
    expect(error.code).toBe(code);
  });

  it('names the field of an invalid value', async () => {
    const error = await parseError(grypeParser, withMatch(`{"vulnerability": {"id": 7}, ${artifact}}`));
    expect(error.position.field).toBe('matches[0].vulnerability.id');
  });

  it('names the field of an unknown severity', async () => {
    const error = await parseError(grypeParser, withMatch(`{"vulnerability": {"id": "CVE-2020-1234", "severity": "Extreme"}, ${artifact}}`));
    expect(error.position.field).toBe('matches[0].vulnerability.severity');
    expect(error.message).toContain('"Extreme"');
  });
});
