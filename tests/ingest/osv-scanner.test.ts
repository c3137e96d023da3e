import { describe, expect, it } from 'vitest';
import { osvScannerParser } from '../../lib/ingest/formats/osv-scanner';
import { findingOf, parseError, parseFixture, readFixture } from './parse-report';

const FIXTURE = 'osv-scanner.json';

describe('osvScannerParser report', () => {
  it('maps each project directory to an asset', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'osv-scanner', source: 'OSV-Scanner' });
    expect(report.assets).toEqual([
      { reportKey: 'repository:/src/shop', name: '/src/shop', kind: 'repository', raw: { sourceType: 'lockfile' } },
      { reportKey: 'repository:/src/shop/web', name: '/src/shop/web', kind: 'repository', raw: { sourceType: 'lockfile' } },
      { reportKey: 'repository:/src/shop/api', name: '/src/shop/api', kind: 'repository', raw: { sourceType: 'lockfile' } },
      { reportKey: 'repository:/src/engine/', name: '/src/engine/', kind: 'repository', raw: { sourceType: 'git' } },
    ]);
  });

  it('maps a group of aliases to one finding', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const finding = findingOf(report, 'repository:/src/shop', 'GHSA-j8r2-6x86-q33q');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      cveId: 'CVE-2023-32681',
      cveIds: ['CVE-2023-32681'],
      title: 'Unintended leak of Proxy-Authorization header in requests',
      description: 'Requests forwards proxy credentials to the destination server on redirects.',
      // OSV-Scanner's max_severity of 6.1 is in the medium band.
      severity: 3,
      fixedVersion: '2.31.0',
      solution: 'Upgrade requests to 2.31.0.',
      technology: { product: 'requests', version: '2.25.0', path: '/src/shop/requirements.txt' },
      cweIds: ['CWE-200'],
      cvss3Vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N',
      cvss3BaseScore: 6.1,
      references: [
        'https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q',
        'https://nvd.nist.gov/vuln/detail/CVE-2023-32681',
        'https://github.com/psf/requests/commit/74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5',
      ],
      sourceFindingId: 'GHSA-j8r2-6x86-q33q+PYSEC-2023-74:PyPI:requests@2.25.0:/src/shop/requirements.txt',
      position: { field: 'results[0].packages[0].groups[0]' },
    });
    expect(report.findings.filter((candidate) => candidate.vendorId === 'PYSEC-2023-74')).toEqual([]);
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2023-32681',
        cvss3Vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N',
        cvss3BaseScore: 6.1,
        cweIds: ['CWE-200'],
        publishedAt: new Date('2023-05-22T20:30:00Z'),
      },
    ]);
  });

  it('keeps unmapped fields in raw', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const { raw } = findingOf(report, 'repository:/src/shop', 'GHSA-j8r2-6x86-q33q');
    expect(raw.package).toEqual({ name: 'requests', version: '2.25.0', ecosystem: 'PyPI' });
    expect(raw.dependency_groups).toEqual(['prod']);
    expect(raw.source).toBe('/src/shop/requirements.txt');
    expect(raw.sourceType).toBe('lockfile');
    expect(raw.group).toEqual({ ids: ['GHSA-j8r2-6x86-q33q', 'PYSEC-2023-74'], aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q', 'PYSEC-2023-74'], max_severity: '6.1' });
    const [ghsa, pysec] = raw.vulnerabilities as Record<string, unknown>[];
    expect(ghsa).toMatchObject({ modified: '2024-01-10T00:00:00Z', schema_version: '1.6.0', aliases: ['CVE-2023-32681'], database_specific: { github_reviewed: true } });
    // The enumeration of affected releases is dropped; the ranges stay.
    expect(ghsa?.affected).toEqual([
      { package: { ecosystem: 'PyPI', name: 'requests', purl: 'pkg:pypi/requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }] },
    ]);
    expect(pysec).toMatchObject({ details: 'Requests is a HTTP library.', published: '2023-05-26T18:15:00Z' });
    expect(ghsa?.details).toBeUndefined();
    expect(ghsa?.id).toBeUndefined();
  });

  it('reads packages before the source', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const malicious = findingOf(report, 'repository:/src/shop/web', 'MAL-2023-1035');
    expect(malicious.technology).toEqual({ product: 'flot-axis', version: '0.0.0', path: '/src/shop/web/package-lock.json' });
    expect(malicious.position).toEqual({ field: 'results[1].packages[0].groups[0]' });
  });

  it('rates a malicious package critical', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const malicious = findingOf(report, 'repository:/src/shop/web', 'MAL-2023-1035');
    expect(malicious.severity).toBe(5);
    expect(malicious.cweIds).toEqual(['CWE-506']);
    expect(malicious.cveId).toBeUndefined();
  });

  it('groups each vulnerability alone without groups', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const finding = findingOf(report, 'repository:/src/shop/web', 'GHSA-xxxx-lodash');
    // The CVSS v4 score (9.3) wins over the LOW label.
    expect(finding.severity).toBe(5);
    expect(finding.cvss4BaseScore).toBe(9.3);
    expect(finding.cvss4Vector).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
  });

  it('falls back to the severity label', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const finding = findingOf(report, 'repository:/src/shop/api', 'GHSA-aaaa-bbbb');
    expect(finding.severity).toBe(4);
    expect(finding.title).toBe('GHSA-aaaa-bbbb');
  });

  it('maps a git commit without technology', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    const finding = findingOf(report, 'repository:/src/engine/', 'CVE-2023-50094');
    expect(finding.technology).toBeUndefined();
    expect(finding.cveId).toBe('CVE-2023-50094');
    expect(finding.severity).toBe(4);
    expect(finding.raw.package).toMatchObject({ commit: 'f5f3c22f3ed5a6804a2a8d9ee9fa43044cfa24a6' });
  });

  it('counts one finding per group', async () => {
    const report = await parseFixture(osvScannerParser, FIXTURE);
    expect(report.findings).toHaveLength(5);
  });
});

describe('osvScannerParser bad input', () => {
  const withPackage = (entry: string) => `{"results": [{"source": {"path": "/a/go.mod", "type": "lockfile"}, "packages": [${entry}]}]}`;
  const vulnerability = (fields: string) => withPackage(`{"package": {"name": "p", "version": "1"}, "vulnerabilities": [{${fields}}]}`);
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['empty object', '{}', 'empty'],
    ['an array', '[]', 'malformed'],
    ['truncated file', readFixture(FIXTURE).slice(0, 1500), 'malformed'],
    ['invalid JSON', '{"results": [}', 'malformed'],
    ['results as an object', '{"results": {"source": {}}}', 'malformed'],
    ['a result as a string', '{"results": ["x"]}', 'malformed'],
    ['a package as a number', withPackage('1'), 'malformed'],
    ['a result without source', '{"results": [{"packages": [{"package": {"name": "p"}}]}]}', 'invalid_field'],
    ['a vulnerability without id', vulnerability('"summary": "x"'), 'invalid_field'],
    ['an invalid CVSS vector', vulnerability('"id": "GHSA-1", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:Q"}]'), 'invalid_field'],
    ['an unknown severity label', vulnerability('"id": "GHSA-1", "database_specific": {"severity": "SEVERE"}'), 'invalid_field'],
    ['max_severity above 10', withPackage('{"package": {"name": "p"}, "vulnerabilities": [{"id": "GHSA-1"}], "groups": [{"ids": ["GHSA-1"], "max_severity": "12"}]}'), 'invalid_field'],
    ['a group naming a missing id', withPackage('{"package": {"name": "p"}, "vulnerabilities": [{"id": "GHSA-1"}], "groups": [{"ids": ["GHSA-2"]}]}'), 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(osvScannerParser, text);
    expect(error.code).toBe(code);
  });

  it('names the field of an invalid vector', async () => {
    const error = await parseError(osvScannerParser, vulnerability('"id": "GHSA-1", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:Q"}]'));
    expect(error.position.field).toBe('results[0].packages[0].vulnerabilities[0].severity[0].score');
  });

  it('names the field of a missing source', async () => {
    const error = await parseError(osvScannerParser, '{"results": [{"packages": [{"package": {"name": "p"}}]}]}');
    expect(error.position.field).toBe('results[0].source');
  });
});
