import { describe, expect, it } from 'vitest';
import { yarnAuditParser } from '../../lib/ingest/formats/yarn-audit';
import { parseError, parseText, readFixture } from './parse-report';

const parseFixtureFile = (name: string) => parseText(yarnAuditParser, readFixture(name), 97, { fileName: `reports/${name}` });

function findingBy(report: Awaited<ReturnType<typeof parseFixtureFile>>, sourceFindingId: string) {
  const finding = report.findings.find((candidate) => candidate.sourceFindingId === sourceFindingId);
  if (!finding) throw new Error(`no finding ${sourceFindingId}; found ${report.findings.map((f) => f.sourceFindingId).join(', ')}`);
  return finding;
}

describe('yarnAuditParser yarn 1 report', () => {
  it('names the application after the file', async () => {
    const report = await parseFixtureFile('yarn-audit-v1.json');
    expect(report.metadata).toEqual({ format: 'yarn-audit', source: 'yarn audit' });
    expect(report.assets).toHaveLength(1);
    expect(report.assets[0]).toMatchObject({ reportKey: 'project', name: 'yarn-audit-v1', kind: 'application' });
    expect(report.assets[0]?.raw).toMatchObject({
      layout: 'yarn 1',
      summary: { vulnerabilities: { moderate: 1, high: 1 }, totalDependencies: 120 },
      messages: [{ type: 'info', data: 'Checking audit for vulnerabilities' }],
    });
  });

  it('maps each advisory once per installed version', async () => {
    const report = await parseFixtureFile('yarn-audit-v1.json');
    expect(report.findings.map((finding) => finding.sourceFindingId).sort()).toEqual(['1001:lodash@4.17.11', '1001:lodash@4.17.15', '1002:minimist@1.2.5']);
  });

  it('maps advisory fields like npm audit', async () => {
    const finding = findingBy(await parseFixtureFile('yarn-audit-v1.json'), '1001:lodash@4.17.15');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      vendorId: 'GHSA-p6mc-m468-83gw',
      cveId: 'CVE-2020-8203',
      title: 'Prototype Pollution in lodash',
      severity: 4,
      technology: { product: 'lodash', version: '4.17.15', category: 'npm' },
      fixedVersion: '>=4.17.19',
      solution: 'Upgrade to version 4.17.19 or later',
      cweIds: ['CWE-1321'],
      cvss3BaseScore: 7.4,
      position: { line: 2, field: 'data.advisory' },
    });
  });

  it('keeps resolutions and actions in raw', async () => {
    const report = await parseFixtureFile('yarn-audit-v1.json');
    const lodash = findingBy(report, '1001:lodash@4.17.15');
    expect(lodash.raw).toMatchObject({ resolutions: ['app>lodash', 'tool>lodash'], dev: false, actions: [{ action: 'update', module: 'lodash', target: '4.17.21', isMajor: false }] });
    const minimist = findingBy(report, '1002:minimist@1.2.5');
    expect(minimist).toMatchObject({ vendorId: '1002', severity: 3 });
    expect(minimist.raw).toMatchObject({ resolutions: ['app>minimist'], dev: true });
  });

  it('accepts a summary without advisories', async () => {
    const report = await parseText(yarnAuditParser, '{"type":"auditSummary","data":{"vulnerabilities":{}}}\n', 97, { fileName: 'clean.json' });
    expect(report.assets.map((asset) => asset.name)).toEqual(['clean']);
    expect(report.findings).toEqual([]);
  });
});

describe('yarnAuditParser yarn 2+ report', () => {
  it('maps one finding per tree version', async () => {
    const report = await parseFixtureFile('yarn-audit-berry.json');
    expect(report.assets[0]?.raw).toEqual({ layout: 'yarn 2+' });
    const finding = findingBy(report, '1092310:semver@5.6.0');
    expect(finding).toMatchObject({
      vendorId: 'GHSA-c2qf-rxjj-qqgw',
      title: 'semver vulnerable to Regular Expression Denial of Service',
      severity: 3,
      technology: { product: 'semver', version: '5.6.0', category: 'npm' },
      fixedVersion: '5.7.2',
      references: ['https://github.com/advisories/GHSA-c2qf-rxjj-qqgw'],
      raw: { 'Vulnerable Versions': '<5.7.2', Dependents: ['app@workspace:.'], ID: 1092310 },
    });
    expect(findingBy(report, '1092310:semver@5.7.1').technology?.version).toBe('5.7.1');
  });

  it('flags deprecations', async () => {
    const finding = findingBy(await parseFixtureFile('yarn-audit-berry.json'), 'request (deprecation):request@2.88.2');
    expect(finding).toMatchObject({ vendorId: 'request (deprecation)', severity: 2, raw: { deprecation: true } });
    expect(finding.fixedVersion).toBeUndefined();
  });
});

describe('yarnAuditParser errors', () => {
  it('rejects a line that is not JSON', async () => {
    const error = await parseError(yarnAuditParser, '{"type":"auditSummary","data":{}}\n{"type":', { fileName: 'a.json' });
    expect(error.code).toBe('malformed');
    expect(error.position.line).toBe(2);
  });

  it('rejects an advisory without module name', async () => {
    const line = JSON.stringify({ type: 'auditAdvisory', data: { advisory: { id: 1, title: 'x', severity: 'low', findings: [] } } });
    const error = await parseError(yarnAuditParser, `${line}\n`, { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('module_name');
    expect(error.position.line).toBe(1);
  });

  it('rejects an unknown severity', async () => {
    const line = JSON.stringify({ value: 'a', children: { ID: 1, Issue: 'x', Severity: 'severe' } });
    const error = await parseError(yarnAuditParser, `\n${line}`, { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.line).toBe(2);
  });

  it('reports a yarn error line', async () => {
    const error = await parseError(yarnAuditParser, '{"type":"error","data":"Error: Request failed 500"}', { fileName: 'a.json' });
    expect(error.message).toContain('yarn audit did not run: Error: Request failed 500');
  });

  it('rejects lines of another shape', async () => {
    const error = await parseError(yarnAuditParser, '{"results":[]}', { fileName: 'a.json' });
    expect(error.code).toBe('invalid_field');
  });

  it('rejects an empty file', async () => {
    const error = await parseError(yarnAuditParser, '\n\n', { fileName: 'a.json' });
    expect(error.code).toBe('empty');
  });
});
