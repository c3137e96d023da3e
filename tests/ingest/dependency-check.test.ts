import { describe, expect, it } from 'vitest';
import { dependencyCheckParser } from '../../lib/ingest/formats/dependency-check';
import type { FindingRecord } from '../../lib/ingest/model';
import { parseError, parseFixture, parseText, type ParsedReport } from './parse-report';

const FIXTURE = 'dependency-check.xml';
const NAMESPACE = 'https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd';

function analysis(body: string, projectName = 'demo'): string {
  return `<?xml version="1.0"?>\n<analysis xmlns="${NAMESPACE}"><projectInfo><name>${projectName}</name></projectInfo><dependencies>${body}</dependencies></analysis>`;
}

function dependency(filePath: string, vulnerabilities: string, extra = ''): string {
  const fileName = filePath.split('/').pop() ?? filePath;
  return `<dependency><fileName>${fileName}</fileName><filePath>${filePath}</filePath>${extra}<vulnerabilities>${vulnerabilities}</vulnerabilities></dependency>`;
}

function findingNamed(report: ParsedReport, vendorId: string): FindingRecord {
  const matches = report.findings.filter((finding) => finding.vendorId === vendorId);
  expect(matches, vendorId).toHaveLength(1);
  const [finding] = matches;
  if (!finding) throw new Error(`no finding ${vendorId}`);
  return finding;
}

describe('dependencyCheckParser report', () => {
  it('maps the project to the asset', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'dependency-check', source: 'Dependency-Check', title: 'payments-api', scannedAt: new Date('2024-07-01T08:15:30.123Z') });
    expect(report.assets).toHaveLength(1);
    expect(report.assets[0]).toMatchObject({
      reportKey: 'project',
      name: 'payments-api',
      kind: 'application',
      raw: { projectInfo: { groupID: 'com.example', artifactID: 'payments-api', version: '2.3.0' }, scanInfo: { engineVersion: '10.0.3' } },
    });
  });

  it('maps an NVD vulnerability', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    const finding = findingNamed(report, 'CVE-2022-42889');
    expect(finding).toMatchObject({
      assetKey: 'project',
      type: 'vulnerability',
      title: 'CVE-2022-42889',
      cveId: 'CVE-2022-42889',
      cveIds: ['CVE-2022-42889'],
      severity: 5,
      cvss2BaseScore: 7.5,
      cvss2Vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      cvss3BaseScore: 9.8,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cweIds: ['CWE-94'],
      fixedVersion: '1.10.0',
      description: 'Apache Commons Text performs variable interpolation, allowing remote code execution.',
      references: ['https://lists.apache.org/thread/n2bd4vdsgkqh2tm14l1wyc3jyol7s1om', 'https://security.netapp.com/advisory/ntap-20221020-0004/'],
      sourceFindingId: 'CVE-2022-42889|/build/payments-api/lib/commons-text-1.9.jar',
    });
    expect(finding.technology).toEqual({
      product: 'org.apache.commons:commons-text',
      version: '1.9',
      category: 'maven',
      cpe: 'cpe:2.3:a:apache:commons_text:1.9:*:*:*:*:*:*:*',
      path: '/build/payments-api/lib/commons-text-1.9.jar',
      license: 'https://www.apache.org/licenses/LICENSE-2.0.txt',
    });
  });

  it('reads the CISA KEV entry', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    const [facts] = findingNamed(report, 'CVE-2022-42889').vulnerabilities ?? [];
    expect(facts?.kev).toEqual({
      vendorProject: 'Apache',
      product: 'Commons Text',
      dateAdded: new Date('2023-01-10T00:00:00Z'),
      dueDate: new Date('2023-01-31T00:00:00Z'),
      ransomwareUse: false,
    });
    expect(facts?.cvss3BaseScore).toBe(9.8);
  });

  it('keeps unmapped fields in raw', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    const { raw } = findingNamed(report, 'CVE-2022-42889');
    expect(raw).toMatchObject({
      source: 'NVD',
      severity: 'CRITICAL',
      cvssV3: { baseSeverity: 'CRITICAL' },
      dependency: {
        fileName: 'commons-text-1.9.jar',
        isVirtual: 'false',
        sha1: 'ba6ac8c2807490944a0a27f6f8e68fb5ed2e80e2',
        description: 'Apache Commons Text',
        evidenceCollected: { evidence: { type: 'vendor', value: 'org.apache.commons' } },
      },
      knownExploitedVulnerability: { vendorProject: 'Apache' },
    });
    expect(raw.vulnerableSoftware).toBeDefined();
  });

  it('names an NPM advisory by its source', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    const finding = findingNamed(report, '1179');
    expect(finding).toMatchObject({ title: 'NPM-1179', severity: 3, technology: { product: 'minimist', version: '1.2.5', category: 'npm' } });
    expect(finding.cveId).toBeUndefined();
    expect(finding.references).toEqual(['https://github.com/advisories/GHSA-vh95-rmgr-6w4m']);
  });

  it('builds a vector from letters', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    const finding = findingNamed(report, 'GHSA-xvch-5gv4-984h');
    expect(finding.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(finding.severity).toBe(4);
  });

  it('keeps a suppressed vulnerability flagged', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    const finding = findingNamed(report, 'CVE-2021-44906');
    expect(finding.raw).toMatchObject({ suppressed: true, notes: 'Only used at build time.' });
    // Without a severity of its own, the CVSS v3 score of 9.8 gives critical.
    expect(finding.severity).toBe(5);
    expect(finding.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  });

  it('counts one finding per vulnerability', async () => {
    const report = await parseFixture(dependencyCheckParser, FIXTURE);
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['CVE-2022-42889', '1179', 'GHSA-xvch-5gv4-984h', 'CVE-2021-44906']);
  });
});

describe('dependencyCheckParser schema 1.x', () => {
  const vulnerability = `<vulnerability><name>CVE-2015-7501</name><cvssScore>7.5</cvssScore><cvssAccessVector>NETWORK</cvssAccessVector>
    <cvssAccessComplexity>LOW</cvssAccessComplexity><cvssAuthenticationr>NONE</cvssAuthenticationr><cvssConfidentialImpact>PARTIAL</cvssConfidentialImpact>
    <cvssIntegrityImpact>PARTIAL</cvssIntegrityImpact><cvssAvailabilityImpact>PARTIAL</cvssAvailabilityImpact><severity>High</severity>
    <cwe>CWE-502 Deserialization of Untrusted Data</cwe><description>Commons Collections deserialization.</description></vulnerability>`;

  it('reads flat CVSS fields and a Maven identifier', async () => {
    const identifiers = '<identifiers><identifier type="maven" confidence="HIGHEST"><name>commons-collections:commons-collections:3.2.1</name></identifier></identifiers>';
    const report = await parseText(dependencyCheckParser, analysis(dependency('/app/lib/commons-collections-3.2.1.jar', vulnerability, identifiers)));
    expect(report.findings[0]).toMatchObject({
      severity: 4,
      cvss2BaseScore: 7.5,
      cvss2Vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      cweIds: ['CWE-502'],
      technology: { product: 'commons-collections:commons-collections', version: '3.2.1', path: '/app/lib/commons-collections-3.2.1.jar' },
    });
  });

  it('names a file inside an archive by the inner file', async () => {
    const text = analysis(`<dependency><fileName>app.ear: lib.jar: jquery.js</fileName><filePath>/srv/app.ear</filePath><vulnerabilities>${vulnerability}</vulnerabilities></dependency>`);
    const report = await parseText(dependencyCheckParser, text);
    expect(report.findings[0]?.technology).toEqual({ product: 'jquery.js', path: '/srv/app.ear' });
  });
});

describe('dependencyCheckParser project naming', () => {
  const vulnerability = '<vulnerability><name>CVE-2021-44228</name><severity>CRITICAL</severity></vulnerability>';

  it('names an unnamed project by its folder', async () => {
    const text = analysis(dependency('/home/ci/shop/lib/a.jar', vulnerability) + dependency('/home/ci/shop/web/node_modules/b/package.json', vulnerability), '');
    const report = await parseText(dependencyCheckParser, text);
    expect(report.assets[0]).toMatchObject({ name: '/home/ci/shop', kind: 'repository' });
    expect(report.findings).toHaveLength(2);
  });

  it('names an unnamed project by Windows folder', async () => {
    const text = analysis(dependency('C:\\build\\shop\\lib\\a.jar', vulnerability) + dependency('C:\\build\\shop\\b.dll', vulnerability), '');
    const report = await parseText(dependencyCheckParser, text);
    expect(report.assets[0]?.name).toBe('C:\\build\\shop');
  });

  it('names a project by Maven coordinates', async () => {
    const text = `<analysis xmlns="${NAMESPACE}"><projectInfo><name/><groupID>org.example</groupID><artifactID>shop</artifactID></projectInfo><dependencies/></analysis>`;
    const report = await parseText(dependencyCheckParser, text);
    expect(report.assets[0]).toMatchObject({ name: 'org.example:shop', kind: 'application' });
  });

  it('keeps a project without vulnerabilities', async () => {
    const report = await parseText(dependencyCheckParser, analysis('<dependency><fileName>a.jar</fileName><filePath>/a.jar</filePath></dependency>'));
    expect(report.assets.map((asset) => asset.name)).toEqual(['demo']);
    expect(report.findings).toEqual([]);
  });
});

describe('dependencyCheckParser errors', () => {
  const cases: [string, string, string][] = [
    ['another root', '<bom/>', 'wrong_format'],
    ['an empty analysis', `<analysis xmlns="${NAMESPACE}"/>`, 'empty'],
    ['a vulnerability without name', analysis(dependency('/a.jar', '<vulnerability><severity>HIGH</severity></vulnerability>')), 'invalid_field'],
    ['an unknown severity', analysis(dependency('/a.jar', '<vulnerability><name>CVE-2021-1</name><severity>Severe</severity></vulnerability>')), 'invalid_field'],
    ['a score above 10', analysis(dependency('/a.jar', '<vulnerability><name>CVE-2021-1</name><cvssV3><baseScore>12</baseScore></cvssV3></vulnerability>')), 'invalid_field'],
    ['a dependency without file', analysis('<dependency><vulnerabilities><vulnerability><name>CVE-2021-1</name></vulnerability></vulnerabilities></dependency>'), 'invalid_field'],
    ['truncated XML', analysis(dependency('/a.jar', '<vulnerability><name>CVE-2021-1</name></vulnerability>')).slice(0, 200), 'malformed'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(dependencyCheckParser, text);
    expect(error.code).toBe(code);
  });

  it('names the line of a bad severity', async () => {
    const text = analysis(`\n${dependency('/a.jar', '\n<vulnerability><name>CVE-2021-1</name><severity>Severe</severity></vulnerability>')}`);
    const error = await parseError(dependencyCheckParser, text);
    expect(error.position).toMatchObject({ line: 4, field: 'vulnerability/severity' });
  });
});
