import { describe, expect, it } from 'vitest';
import { cycloneDxParser } from '../../lib/ingest/formats/cyclonedx';
import type { FindingRecord } from '../../lib/ingest/model';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture, type ParsedReport } from './parse-report';

const FIXTURE = 'cyclonedx-app.json';

/** Returns the one finding of a vulnerability on the component with this product name. */
function findingOn(report: ParsedReport, vendorId: string, product: string): FindingRecord {
  const matches = report.findings.filter((finding) => finding.vendorId === vendorId && finding.technology?.product === product);
  expect(matches, `${vendorId} on ${product}`).toHaveLength(1);
  const [finding] = matches;
  if (!finding) throw new Error(`no finding ${vendorId} on ${product}`);
  return finding;
}

describe('cycloneDxParser BOM with vulnerabilities', () => {
  it('maps the BOM subject to the asset', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'cyclonedx', source: 'CycloneDX', title: 'billing-service', scannedAt: new Date('2024-06-10T12:00:00Z') });
    expect(report.assets).toHaveLength(1);
    const asset = assetOf(report, 'bom');
    expect(asset.name).toBe('billing-service');
    expect(asset.kind).toBe('application');
    expect(asset.raw).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      version: 3,
      metadata: { component: { version: '5.1.0' }, tools: { components: [{ name: 'example-scanner' }] } },
    });
  });

  it('maps a vulnerability on a top-level component', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const finding = findingOn(report, 'CVE-2020-36518', 'com.fasterxml.jackson.core:jackson-databind');
    expect(finding).toMatchObject({
      assetKey: 'bom',
      type: 'vulnerability',
      cveId: 'CVE-2020-36518',
      cveIds: ['CVE-2020-36518'],
      title: 'CVE-2020-36518',
      description: 'jackson-databind allows a Java StackOverflow exception and denial of service via a large depth of nested objects.\n\nDeeply nested JSON input exhausts the stack.',
      solution: 'Upgrade jackson-databind to 2.12.6.1 or later.\n\nWorkaround: Limit the nesting depth of accepted JSON documents.',
      // The rating of the vulnerability's own source (NVD) wins over the GHSA rating listed first.
      severity: 4,
      technology: {
        product: 'com.fasterxml.jackson.core:jackson-databind',
        version: '2.9.10.1',
        path: 'app/lib/jackson-databind-2.9.10.1.jar',
        license: 'Apache-2.0',
      },
      cweIds: ['CWE-787', 'CWE-400'],
      cvss2BaseScore: 5,
      cvss2Vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P',
      cvss3BaseScore: 7.5,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      cvss4BaseScore: 8.7,
      cvss4Vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
      references: ['https://github.com/advisories/GHSA-57j2-w4cx-62h2', 'https://nvd.nist.gov/vuln/detail/CVE-2020-36518'],
      sourceFindingId: 'vuln-1:pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1',
      position: { field: 'vulnerabilities[0].affects[0]' },
    });
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2020-36518',
        cvss2BaseScore: 5,
        cvss2Vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P',
        cvss3BaseScore: 7.5,
        cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        cvss4BaseScore: 8.7,
        cvss4Vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
        cweIds: ['CWE-787', 'CWE-400'],
        publishedAt: new Date('2022-03-11T07:15:00Z'),
        references: [{ url: 'https://github.com/advisories/GHSA-57j2-w4cx-62h2' }, { url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-36518' }],
      },
    ]);
  });

  it('keeps unmapped fields in raw', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const { raw } = findingOn(report, 'CVE-2020-36518', 'com.fasterxml.jackson.core:jackson-databind');
    expect(raw['bom-ref']).toBe('vuln-1');
    expect(raw.source).toEqual({ name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-36518' });
    expect(raw.updated).toBe('2022-11-29T22:12:00Z');
    expect(raw.ratings).toHaveLength(5);
    expect(raw.affects).toEqual({ ref: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1', versions: [{ version: '2.9.10.1', status: 'affected' }] });
    expect(raw.component).toMatchObject({
      'bom-ref': 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1',
      type: 'library',
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1',
      properties: [{ name: 'aquasecurity:trivy:FilePath', value: 'app/lib/jackson-databind-2.9.10.1.jar' }],
    });
    expect((raw.component as Record<string, unknown>).components).toBeUndefined();
    expect(raw.suppressed).toBeUndefined();
  });

  it('resolves a nested component', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const finding = findingOn(report, 'CVE-2020-36518', 'asm');
    expect(finding.technology).toEqual({ product: 'asm', version: '5.0.4', path: 'app/lib/jackson-databind-2.9.10.1.jar!/asm', license: 'BSD-3-Clause' });
    expect(finding.sourceFindingId).toBe('vuln-1:shaded-asm');
    expect(finding.position).toEqual({ field: 'vulnerabilities[0].affects[1]' });
  });

  it('resolves a component of the subject', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const finding = findingOf(report, 'bom', 'CVE-2022-37434');
    expect(finding.technology).toEqual({ product: 'zlib', version: '1.2.11', cpe: 'cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*' });
    // No rating names a severity, so the CVSS v3.1 score of 9.8 gives critical.
    expect(finding.severity).toBe(5);
    expect(finding.cvss3BaseScore).toBe(9.8);
    expect(finding.cvss3Vector).toBeUndefined();
  });

  it('names an OSS Index finding by its CVE', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const finding = findingOf(report, 'bom', 'sonatype-2021-4682');
    expect(finding).toMatchObject({
      cveId: 'CVE-2021-23337',
      title: 'CVE-2021-23337',
      // The vulnerability's own source rates it "unknown", so NVD's score decides.
      severity: 4,
      technology: { product: 'lodash', version: '4.17.20' },
      references: ['https://ossindex.sonatype.org/vulnerability/sonatype-2021-4682', 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337'],
    });
    // Scores of the OSS Index entry are not the CVE's own, so its facts carry none.
    expect(finding.vulnerabilities?.[0]?.cvss3BaseScore).toBeUndefined();
  });

  it('flags a not-affected analysis', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const finding = findingOf(report, 'bom', 'sonatype-2021-4682');
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.raw.analysis).toEqual({ state: 'not_affected', justification: 'code_not_reachable', detail: 'template() is never called' });
  });

  it('reads unresolved references', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const fromPurl = findingOn(report, 'GHSA-p6mc-m468-83gw', '@types/node');
    expect(fromPurl.technology).toEqual({ product: '@types/node', version: '14.0.0' });
    expect(fromPurl.raw.component).toEqual({ unresolvedRef: true });
    expect(fromPurl.severity).toBe(2);
    const bomLink = findingOn(report, 'GHSA-p6mc-m468-83gw', 'urn:cdx:0a1b2c3d/1#left-pad');
    expect(bomLink.technology).toEqual({ product: 'urn:cdx:0a1b2c3d/1#left-pad' });
    const distroPackage = findingOn(report, 'GHSA-p6mc-m468-83gw', 'tar');
    expect(distroPackage.technology).toEqual({ product: 'tar', version: '1.30+dfsg-6' });
    const mavenPackage = findingOn(report, 'GHSA-p6mc-m468-83gw', 'org.example:util');
    expect(mavenPackage.technology).toEqual({ product: 'org.example:util', version: '1.0' });
  });

  it('keeps a reference with invalid percent-encoding', async () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      metadata: { component: { type: 'application', name: 'shop', 'bom-ref': 'shop' } },
      vulnerabilities: [{ id: 'CVE-2024-0001', affects: [{ ref: 'pkg:npm/%E0%A4%A@1.0' }] }],
    };

    const report = await parseText(cycloneDxParser, JSON.stringify(bom));

    expect(report.findings[0]?.technology).toEqual({ product: '%E0%A4%A', version: '1.0' });
  });

  it('puts a vulnerability without affects on the asset', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    const finding = findingOf(report, 'bom', 'INTERNAL-17');
    expect(finding.technology).toBeUndefined();
    expect(finding.cveId).toBeUndefined();
    expect(finding.title).toBe('INTERNAL-17');
    expect(finding.description).toBe('The service logs session tokens.');
    expect(finding.severity).toBe(1);
    expect(finding.sourceFindingId).toBe('INTERNAL-17');
  });

  it('counts one finding per affected component', async () => {
    const report = await parseFixture(cycloneDxParser, FIXTURE);
    expect(report.findings).toHaveLength(9);
  });

  it('reads vulnerabilities before components', async () => {
    const bom = JSON.parse(readFixture(FIXTURE)) as Record<string, unknown>;
    const { vulnerabilities, ...rest } = bom;
    const reordered = await parseText(cycloneDxParser, JSON.stringify({ vulnerabilities, ...rest }));
    const inOrder = await parseFixture(cycloneDxParser, FIXTURE);
    expect(reordered.assets).toEqual(inOrder.assets);
    expect(reordered.findings).toEqual(inOrder.findings);
  });

  it('names a BOM without subject by serial number', async () => {
    const text = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.4', serialNumber: 'urn:uuid:1', components: [], vulnerabilities: [] });
    const report = await parseText(cycloneDxParser, text);
    expect(report.assets.map((asset) => [asset.name, asset.kind])).toEqual([['urn:uuid:1', 'application']]);
  });

  it('maps a container subject to an image', async () => {
    const text = JSON.stringify({ bomFormat: 'CycloneDX', metadata: { component: { type: 'container', name: 'ubuntu:22.04' } } });
    const report = await parseText(cycloneDxParser, text);
    expect(report.assets.map((asset) => [asset.name, asset.kind])).toEqual([['ubuntu:22.04', 'container_image']]);
  });
});

describe('cycloneDxParser bad input', () => {
  const bom = (vulnerability: string) => `{"bomFormat": "CycloneDX", "metadata": {"component": {"name": "a"}}, "components": [], "vulnerabilities": [${vulnerability}]}`;
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['empty object', '{}', 'empty'],
    ['an array', '[]', 'malformed'],
    ['truncated file', readFixture(FIXTURE).slice(0, 3000), 'malformed'],
    ['invalid JSON', '{"bomFormat": "CycloneDX", "components": [}', 'malformed'],
    ['another bomFormat', '{"bomFormat": "SPDX"}', 'invalid_field'],
    ['components as an object', '{"bomFormat": "CycloneDX", "components": {"name": "x"}}', 'malformed'],
    ['a component without a name', '{"bomFormat": "CycloneDX", "components": [{"bom-ref": "x"}]}', 'invalid_field'],
    ['a vulnerability as a string', bom('"CVE-2020-1234"'), 'malformed'],
    ['a vulnerability without id', bom('{"ratings": []}'), 'invalid_field'],
    ['unknown severity', bom('{"id": "CVE-2020-1234", "ratings": [{"severity": "severe"}]}'), 'invalid_field'],
    ['CVSS score above 10', bom('{"id": "CVE-2020-1234", "ratings": [{"score": 12, "method": "CVSSv31"}]}'), 'invalid_field'],
    ['invalid published date', bom('{"id": "CVE-2020-1234", "published": "March 2020"}'), 'invalid_field'],
    ['affects without ref', bom('{"id": "CVE-2020-1234", "affects": [{}]}'), 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(cycloneDxParser, text);
    expect(error.code).toBe(code);
  });

  it('names the field of an invalid value', async () => {
    const error = await parseError(cycloneDxParser, bom('{"id": "CVE-2020-1234", "ratings": [{"severity": "severe"}]}'));
    expect(error.position.field).toBe('vulnerabilities[0].ratings[0].severity');
  });

  it('names the field of a bad component', async () => {
    const error = await parseError(cycloneDxParser, '{"bomFormat": "CycloneDX", "components": [{"name": "a", "components": [{"version": "1"}]}]}');
    expect(error.position.field).toBe('components[0].components[0].name');
  });
});
