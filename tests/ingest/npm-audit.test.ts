import { describe, expect, it } from 'vitest';
import { npmAuditParser } from '../../lib/ingest/formats/npm-audit';
import { dependencyChains, firstFixedVersion, type PackageNode } from '../../lib/ingest/formats/npm-audit-findings';
import { parseError, parseText, readFixture } from './parse-report';

function parseFixtureFile(name: string) {
  return parseText(npmAuditParser, readFixture(name), 97, { fileName: `reports/${name}` });
}

function findingBy(report: Awaited<ReturnType<typeof parseFixtureFile>>, sourceFindingId: string) {
  const finding = report.findings.find((candidate) => candidate.sourceFindingId === sourceFindingId);
  if (!finding) throw new Error(`no finding ${sourceFindingId}; found ${report.findings.map((f) => f.sourceFindingId).join(', ')}`);
  return finding;
}

describe('npmAuditParser npm 6 report', () => {
  it('names the application after the file', async () => {
    const report = await parseFixtureFile('npm-audit-v6.json');
    expect(report.metadata).toEqual({ format: 'npm-audit', source: 'npm audit' });
    expect(report.assets).toEqual([
      {
        reportKey: 'project',
        name: 'npm-audit-v6',
        kind: 'application',
        raw: {
          layout: 'npm 6',
          runId: '5d0e3c8a-0000-4000-8000-000000000001',
          metadata: {
            vulnerabilities: { info: 0, low: 1, moderate: 0, high: 0, critical: 2 },
            dependencies: 12,
            devDependencies: 30,
            optionalDependencies: 0,
            totalDependencies: 42,
          },
        },
      },
    ]);
  });

  it('maps one finding per advisory and version', async () => {
    const report = await parseFixtureFile('npm-audit-v6.json');
    expect(report.findings.map((finding) => finding.sourceFindingId)).toEqual(['1067342:minimist@1.2.5', '1067342:minimist@0.0.8', '1234:left-pad@2.0.0']);
  });

  it('maps an advisory with CVE and CVSS', async () => {
    const report = await parseFixtureFile('npm-audit-v6.json');
    const finding = findingBy(report, '1067342:minimist@1.2.5');
    expect(finding).toMatchObject({
      assetKey: 'project',
      type: 'vulnerability',
      vendorId: 'GHSA-xvch-5gv4-984h',
      cveId: 'CVE-2021-44906',
      cveIds: ['CVE-2021-44906'],
      title: 'Prototype Pollution in minimist',
      description: 'Minimist <=1.2.5 is vulnerable to Prototype Pollution via file index.js, function setKey().',
      solution: 'Upgrade to version 1.2.6 or later',
      fixedVersion: '>=1.2.6',
      severity: 5,
      technology: { product: 'minimist', version: '1.2.5', category: 'npm' },
      cweIds: ['CWE-1321'],
      cvss3BaseScore: 9.8,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      references: ['https://github.com/advisories/GHSA-xvch-5gv4-984h', 'https://nvd.nist.gov/vuln/detail/CVE-2021-44906'],
    });
    expect(finding.raw).toMatchObject({
      id: 1067342,
      vulnerable_versions: '<1.2.6',
      paths: ['mkdirp>minimist', 'webpack>optimist>minimist'],
      dev: false,
      actions: [
        { action: 'install', module: 'mkdirp', target: '1.0.4', isMajor: false },
        { action: 'review', module: 'minimist' },
      ],
    });
    expect(finding.raw.suppressed).toBeUndefined();
    expect(finding.vulnerabilities).toEqual([expect.objectContaining({ cveId: 'CVE-2021-44906', cvss3BaseScore: 9.8, cweIds: ['CWE-1321'] })]);
  });

  it('marks a version reached only by dev paths', async () => {
    const report = await parseFixtureFile('npm-audit-v6.json');
    expect(findingBy(report, '1067342:minimist@0.0.8').raw).toMatchObject({ paths: ['handlebars>optimist>minimist'], dev: true });
  });

  it('keeps a muted advisory without fix', async () => {
    const report = await parseFixtureFile('npm-audit-v6.json');
    const finding = findingBy(report, '1234:left-pad@2.0.0');
    expect(finding).toMatchObject({ vendorId: '1234', severity: 2, references: ['https://npmjs.com/advisories/1234'] });
    expect(finding.fixedVersion).toBeUndefined();
    expect(finding.cveId).toBeUndefined();
    expect(finding.cweIds).toBeUndefined();
    expect(finding.raw).toMatchObject({ suppressed: true, muted: [{ id: 1234, path: 'left-pad', reason: 'accepted risk' }] });
  });
});

describe('npmAuditParser npm 7 report', () => {
  it('maps advisories on the packages that carry them', async () => {
    const report = await parseFixtureFile('npm-audit-v7.json');
    expect(report.assets).toHaveLength(1);
    expect(report.assets[0]).toMatchObject({ name: 'npm-audit-v7', kind: 'application', raw: { auditReportVersion: 2, layout: 'npm 7+' } });
    expect(report.findings.map((finding) => finding.sourceFindingId)).toEqual(['1098001:mid-lib', '1098002:deep-parse', '1098003:deep-parse']);
  });

  it('maps an advisory with its dependency chain', async () => {
    const report = await parseFixtureFile('npm-audit-v7.json');
    const finding = findingBy(report, '1098001:mid-lib');
    expect(finding).toMatchObject({
      vendorId: 'GHSA-mxhp-79qh-mcx6',
      title: 'Command injection in mid-lib',
      severity: 4,
      technology: { product: 'mid-lib', category: 'npm' },
      cweIds: ['CWE-77'],
      cvss3BaseScore: 8.1,
      references: ['https://github.com/advisories/GHSA-mxhp-79qh-mcx6'],
    });
    // A range with two parts names no single fixed version, and npm found no fix.
    expect(finding.fixedVersion).toBeUndefined();
    expect(finding.solution).toBeUndefined();
    expect(finding.raw).toMatchObject({
      packageSeverity: 'high',
      viaPackages: ['deep-parse'],
      dependencyChains: ['app-kit>mid-lib'],
      effects: ['app-kit'],
      fixAvailable: false,
      advisory: { source: 1098001, range: '<3.1.0 || >=4.0.0 <4.0.2' },
    });
  });

  it('lists every chain to a shared package', async () => {
    const report = await parseFixtureFile('npm-audit-v7.json');
    const finding = findingBy(report, '1098002:deep-parse');
    expect(finding).toMatchObject({ vendorId: 'GHSA-pppp-qqqq-rrrr', severity: 3, fixedVersion: '1.4.2', solution: 'Run npm audit fix.' });
    expect(finding.cvss3BaseScore).toBeUndefined();
    expect(finding.cweIds).toBeUndefined();
    expect(finding.raw.dependencyChains).toEqual(['app-kit>mid-lib>deep-parse', 'tool-cli>deep-parse']);
    expect(finding.raw.nodes).toEqual(['node_modules/deep-parse', 'node_modules/tool-cli/node_modules/deep-parse']);
  });

  it('keeps the npm advisory id without GHSA', async () => {
    const report = await parseFixtureFile('npm-audit-v7.json');
    const finding = findingBy(report, '1098003:deep-parse');
    expect(finding).toMatchObject({ vendorId: '1098003', severity: 2, cweIds: ['CWE-1321'] });
    expect(finding.fixedVersion).toBeUndefined();
  });

  it('suggests the semver-major fix npm offers', async () => {
    const text = JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: {
        a: {
          name: 'a',
          severity: 'critical',
          isDirect: true,
          via: [{ source: 1, name: 'a', dependency: 'a', title: 'T', url: 'https://github.com/advisories/GHSA-2222-3333-4444', severity: 'critical', range: '<2.0.0' }],
          effects: [],
          fixAvailable: { name: 'a', version: '2.0.0', isSemVerMajor: true },
        },
      },
    });
    const [finding] = (await parseText(npmAuditParser, text, 97, { fileName: 'a.json' })).findings;
    expect(finding).toMatchObject({ severity: 5, fixedVersion: '2.0.0', solution: 'Install a@2.0.0, a semver-major change that npm audit fix --force applies.' });
    expect(finding?.raw.dependencyChains).toEqual(['a']);
  });

  it('maps a clean report to an asset only', async () => {
    const text = JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { total: 0 } } });
    const report = await parseText(npmAuditParser, text, 97, { fileName: 'clean.json' });
    expect(report.assets.map((asset) => asset.name)).toEqual(['clean']);
    expect(report.findings).toEqual([]);
  });
});

describe('dependencyChains', () => {
  it('stops at a cycle', () => {
    const nodes = new Map<string, PackageNode>([
      ['a', { effects: ['b'], isDirect: false }],
      ['b', { effects: ['a'], isDirect: false }],
    ]);
    expect(dependencyChains('a', nodes)).toEqual([['b', 'a']]);
  });

  it('caps the number of chains', () => {
    const parents = Array.from({ length: 30 }, (_, index) => `p${index}`);
    const nodes = new Map<string, PackageNode>([['leaf', { effects: parents, isDirect: false }], ...parents.map((name): [string, PackageNode] => [name, { effects: [], isDirect: true }])]);
    expect(dependencyChains('leaf', nodes)).toHaveLength(10);
  });
});

describe('firstFixedVersion', () => {
  it.each([
    ['>=4.0.0 <4.3.1', '4.3.1'],
    ['<2.6.9', '2.6.9'],
    ['<=5.28.2', undefined],
    ['<3.1.0 || >=4.0.0 <4.0.2', undefined],
    ['*', undefined],
  ])('reads %s', (range, fixed) => {
    expect(firstFixedVersion(range)).toBe(fixed);
  });
});

describe('npmAuditParser errors', () => {
  it('rejects JSON of another shape', async () => {
    const error = await parseError(npmAuditParser, JSON.stringify({ metadata: {} }), { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('neither advisories');
  });

  it('rejects an audit that failed', async () => {
    const error = await parseError(npmAuditParser, JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' } }), { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('ENOLOCK: This command requires an existing lockfile.');
  });

  it('rejects an unknown severity', async () => {
    const text = readFixture('npm-audit-v6.json').replace('"severity": "low"', '"severity": "urgent"');
    const error = await parseError(npmAuditParser, text, { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('advisories["1234"].severity');
  });

  it('rejects an advisory without findings', async () => {
    const text = JSON.stringify({ advisories: { 7: { id: 7, title: 'T', module_name: 'm', severity: 'low' } }, actions: [] });
    const error = await parseError(npmAuditParser, text, { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('advisories["7"].findings');
  });

  it('rejects a via entry without title', async () => {
    const text = JSON.stringify({ auditReportVersion: 2, vulnerabilities: { a: { name: 'a', via: [{ source: 1, severity: 'low' }] } } });
    const error = await parseError(npmAuditParser, text, { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('vulnerabilities.a.via[0].title');
  });

  it('rejects truncated JSON', async () => {
    const error = await parseError(npmAuditParser, readFixture('npm-audit-v7.json').slice(0, 900), { fileName: 'a.json' });
    expect(error.code).toBe('malformed');
  });

  it('rejects a report without file name', async () => {
    const error = await parseError(npmAuditParser, readFixture('npm-audit-v7.json'));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('no file name');
  });
});
