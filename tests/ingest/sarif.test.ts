import { describe, expect, it } from 'vitest';
import { sarifParser } from '../../lib/ingest/formats/sarif';
import { sarifSeverity } from '../../lib/ingest/formats/sarif-severity';
import { DEFAULT_MEMORY_ITEMS } from '../../lib/ingest/spill-queue';
import { assetOf, parseError, parseText, readFixture } from './parse-report';

const FIXTURE = 'sarif-multi-run.sarif';
const CODEQL = 'repository:https://github.com/example/shop';
const DEPENDENCY_CHECK = 'repository:/work/app';

function parseFixtureText(text = readFixture(FIXTURE), fileName = FIXTURE) {
  return parseText(sarifParser, text, 97, { fileName });
}

async function resultAt(index: number, run = 0) {
  const report = await parseFixtureText();
  const finding = report.findings.find((candidate) => candidate.position?.field === `runs[${run}].results[${index}]`);
  if (!finding) throw new Error(`no finding for runs[${run}].results[${index}]`);
  return finding;
}

/** Builds a SARIF log with one run. */
function sarifLog(run: Record<string, unknown>): string {
  return JSON.stringify({ version: '2.1.0', runs: [run] });
}

describe('sarifParser runs', () => {
  it('names assets after repository and source root', async () => {
    const report = await parseFixtureText();
    expect(report.assets.map((asset) => [asset.name, asset.kind])).toEqual([
      ['https://github.com/example/shop', 'repository'],
      ['/work/app', 'repository'],
    ]);
    expect(report.metadata).toEqual({
      format: 'sarif',
      source: 'SARIF',
      title: 'CodeQL: https://github.com/example/shop',
      scannedAt: new Date('2024-06-01T10:00:00Z'),
    });
  });

  it('keeps run details in asset raw', async () => {
    const report = await parseFixtureText();
    const asset = assetOf(report, CODEQL);
    expect(asset.raw).toEqual({
      tool: { name: 'CodeQL', semanticVersion: '2.17.0' },
      extensions: [{ name: 'codeql/javascript-queries', version: '0.9.0' }],
      versionControlProvenance: [{ repositoryUri: 'https://github.com/example/shop/', revisionId: '4b1c0ffee', branch: 'main' }],
      invocations: [{ executionSuccessful: true, startTimeUtc: '2024-06-01T10:00:00Z', endTimeUtc: '2024-06-01T10:05:00Z' }],
      resultsWithoutFinding: { pass: 1, absent: 1 },
    });
    expect(assetOf(report, DEPENDENCY_CHECK).raw).toMatchObject({ artifactCount: 2, originalUriBaseIds: { SRCROOT: { uri: 'file:///work/app/' } } });
  });

  it('names a run without repository after the file', async () => {
    const text = sarifLog({ tool: { driver: { name: 'SpotBugs' } }, results: [] });
    const report = await parseText(sarifParser, text, 97, { fileName: 'builds/shop-api.sarif' });
    expect(report.assets).toEqual([{ reportKey: 'application:shop-api', name: 'shop-api', kind: 'application', raw: { tool: { name: 'SpotBugs' } } }]);
    expect(report.findings).toEqual([]);
  });

  it('shares one asset between runs on it', async () => {
    const run = { tool: { driver: { name: 'A' } }, results: [{ ruleId: 'r1', message: { text: 'x' } }] };
    const text = JSON.stringify({ version: '2.1.0', runs: [run, { ...run, tool: { driver: { name: 'B' } } }] });
    const report = await parseText(sarifParser, text, 97, { fileName: 'both.json' });
    expect(report.assets).toHaveLength(1);
    expect(report.findings.map((finding) => finding.raw.tool)).toEqual(['A', 'B']);
  });

  it('skips passed, not applicable and absent results', async () => {
    const report = await parseFixtureText();
    expect(report.findings).toHaveLength(8);
    expect(report.findings.some((finding) => finding.position?.field === 'runs[0].results[5]')).toBe(false);
    expect(report.findings.some((finding) => finding.position?.field === 'runs[0].results[6]')).toBe(false);
  });
});

describe('sarifParser results', () => {
  it('maps a SAST result to a misconfiguration', async () => {
    const finding = await resultAt(0);
    expect(finding).toMatchObject({
      assetKey: CODEQL,
      type: 'misconfiguration',
      vendorId: 'js/sql-injection',
      title: 'Database query built from user-controlled sources',
      severity: 4,
      resource: 'src/db.js:42',
      cweIds: ['CWE-89'],
      solution: 'Use prepared statements.',
      references: ['https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/'],
      sourceFindingId: 'js/sql-injection:primaryLocationLineHash=abc123:1',
      description:
        'This query depends on a user-provided value.\n\nBuilding a database query from user-controlled sources is vulnerable to insertion of malicious code by the user.',
    });
    expect(finding.cveId).toBeUndefined();
    expect(finding.technology).toBeUndefined();
    expect(finding.raw).toMatchObject({
      tool: 'CodeQL',
      level: 'error',
      severityBasis: 'rule security-severity',
      location: { uri: 'src/db.js', uriBaseId: '%SRCROOT%', startLine: 42, startColumn: 7 },
      partialFingerprints: { primaryLocationLineHash: 'abc123:1' },
      codeFlows: [{ threadFlows: [{ locations: [] }] }],
      rule: { id: 'js/sql-injection', securitySeverity: '8.8', tags: ['security', 'external/cwe/cwe-089'], properties: { precision: 'high' } },
    });
    expect(finding.raw.suppressed).toBeUndefined();
  });

  it('flags accepted suppressions as false positives', async () => {
    const finding = await resultAt(1);
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.raw.falsePositive).toBe(true);
    expect(finding.raw.suppressions).toEqual([{ kind: 'inSource', justification: 'input is validated upstream' }]);
    expect(finding.resource).toBe('src/db.js:50');
  });

  it('keeps a suppression under review open', async () => {
    const finding = await resultAt(2);
    expect(finding.raw.suppressed).toBeUndefined();
    expect(finding.raw.falsePositive).toBeUndefined();
  });

  it('fills message templates and default levels', async () => {
    const finding = await resultAt(3);
    expect(finding).toMatchObject({ description: 'Unused variable tmp in handler.', severity: 2, resource: 'src/app main.js:3' });
    expect(finding.raw).toMatchObject({ level: 'note', severityBasis: 'level', otherLocations: [expect.objectContaining({ physicalLocation: expect.anything() })] });
  });

  it('finds extension rules and result scores', async () => {
    const finding = await resultAt(4);
    expect(finding).toMatchObject({ vendorId: 'js/xss/dom', title: 'Client-side cross-site scripting', severity: 5, cweIds: ['CWE-79'] });
    expect(finding.raw.severityBasis).toBe('result security-severity');
  });

  it('maps a result without rule or file', async () => {
    const finding = await resultAt(7);
    expect(finding).toMatchObject({ title: 'custom/no-rule', severity: 3, resource: 'Shop.Checkout.pay' });
  });

  it('maps a CVE result to a package vulnerability', async () => {
    const finding = await resultAt(0, 1);
    expect(finding).toMatchObject({
      assetKey: DEPENDENCY_CHECK,
      type: 'vulnerability',
      cveId: 'CVE-2020-11022',
      cveIds: ['CVE-2020-11022'],
      vendorId: 'CVE-2020-11022',
      severity: 3,
      cvss3BaseScore: 6.1,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
      cvss2BaseScore: 4.3,
      cvss2Vector: 'AV:N/AC:M/Au:N/C:N/I:P/A:N',
      technology: { product: 'jquery', version: '3.4.1', category: 'javascript', path: '/work/app/static/jquery-3.4.1.min.js' },
    });
    expect(finding.resource).toBeUndefined();
    expect(finding.raw.severityBasis).toBe('CVSS base score');
    expect(finding.vulnerabilities).toEqual([expect.objectContaining({ cveId: 'CVE-2020-11022', cvss3BaseScore: 6.1 })]);
  });

  it('reads a severity name from properties', async () => {
    const finding = await resultAt(1, 1);
    expect(finding).toMatchObject({ type: 'misconfiguration', title: 'Prototype pollution', severity: 3, resource: '/work/app/static/jquery-3.4.1.min.js' });
    expect(finding.raw.severityBasis).toBe('result severity');
  });

  it('names a CVE from a rule id', async () => {
    const text = sarifLog({
      tool: { driver: { name: 'Grype', rules: [{ id: 'CVE-2021-44228-log4j-core', properties: { 'security-severity': '10.0' } }] } },
      results: [{ ruleId: 'CVE-2021-44228-log4j-core', message: { text: 'log4j' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'lib/log4j-core-2.14.1.jar' } } }] }],
    });
    const [finding] = (await parseText(sarifParser, text, 97, { fileName: 'x.sarif' })).findings;
    expect(finding).toMatchObject({
      type: 'vulnerability',
      cveId: 'CVE-2021-44228',
      severity: 5,
      technology: { product: 'log4j-core-2.14.1.jar', path: 'lib/log4j-core-2.14.1.jar' },
    });
  });

  it('maps results listed before their rules', async () => {
    const text = JSON.stringify({
      runs: [
        {
          results: [{ ruleIndex: 0, message: { text: 'found' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.c' }, region: { startLine: 1 } } }] }],
          tool: { driver: { name: 'cppcheck', rules: [{ id: 'nullPointer', shortDescription: { text: 'Null pointer dereference' }, defaultConfiguration: { level: 'error' } }] } },
        },
      ],
      version: '2.1.0',
    });
    const [finding] = (await parseText(sarifParser, text, 97, { fileName: 'c.sarif' })).findings;
    expect(finding).toMatchObject({ vendorId: 'nullPointer', title: 'Null pointer dereference', severity: 4 });
  });

  it('spills results beyond the memory limit', async () => {
    const count = DEFAULT_MEMORY_ITEMS + 120;
    const results = Array.from({ length: count }, (_, index) => ({
      ruleId: 'R1',
      message: { text: `issue ${index}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/big.c' }, region: { startLine: index + 1 } } }],
    }));
    const text = sarifLog({ tool: { driver: { name: 'lint', rules: [{ id: 'R1', shortDescription: { text: 'Rule one' } }] } }, results });
    const report = await parseText(sarifParser, text, 8192, { fileName: 'big.sarif' });
    expect(report.findings).toHaveLength(count);
    expect(report.findings.at(-1)).toMatchObject({ title: 'Rule one', resource: `src/big.c:${count}` });
  });
});

describe('sarifSeverity', () => {
  const base = { resultSecuritySeverity: undefined, ruleSecuritySeverity: undefined, resultSeverityName: undefined, ruleSeverityName: undefined, scores: {}, field: 'r' };

  it.each([
    ['error', 4],
    ['warning', 3],
    ['note', 2],
    ['none', 1],
  ])('maps level %s to %i', (level, severity) => {
    expect(sarifSeverity({ ...base, level }).severity).toBe(severity);
  });

  it.each([
    ['0.0', 1],
    ['3.9', 2],
    ['4.0', 3],
    ['7.0', 4],
    ['9.0', 5],
  ])('maps security-severity %s to %i', (score, severity) => {
    expect(sarifSeverity({ ...base, level: 'note', ruleSecuritySeverity: score }).severity).toBe(severity);
  });

  it('rejects an unknown level', () => {
    expect(() => sarifSeverity({ ...base, level: 'fatal' })).toThrow(/invalid SARIF level "fatal"/);
  });

  it('rejects a score above 10', () => {
    expect(() => sarifSeverity({ ...base, level: 'note', resultSecuritySeverity: '12' })).toThrow(/between 0 and 10/);
  });
});

describe('sarifParser errors', () => {
  it('rejects another SARIF version', async () => {
    const error = await parseError(sarifParser, JSON.stringify({ version: '1.0.0', runs: [] }), { fileName: 'a.sarif' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('version');
  });

  it('rejects a log without runs', async () => {
    const error = await parseError(sarifParser, JSON.stringify({ version: '2.1.0' }), { fileName: 'a.sarif' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('runs');
  });

  it('rejects an empty runs array', async () => {
    const error = await parseError(sarifParser, JSON.stringify({ version: '2.1.0', runs: [] }), { fileName: 'a.sarif' });
    expect(error.code).toBe('empty');
  });

  it('rejects a result that is no object', async () => {
    const error = await parseError(sarifParser, sarifLog({ tool: { driver: { name: 'x' } }, results: ['oops'] }), { fileName: 'a.sarif' });
    expect(error.code).toBe('malformed');
    expect(error.position.field).toBe('runs[0].results[0]');
  });

  it('rejects an invalid rule field', async () => {
    const error = await parseError(sarifParser, sarifLog({ tool: { driver: { name: 'x', rules: [{ id: 7 }] } }, results: [] }), { fileName: 'a.sarif' });
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('runs[0].tool.driver.rules[0].id');
  });

  it('rejects a run without a name source', async () => {
    const error = await parseError(sarifParser, sarifLog({ tool: { driver: { name: 'x' } }, results: [] }));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('no file name');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture(FIXTURE);
    const error = await parseError(sarifParser, text.slice(0, 3000), { fileName: FIXTURE });
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('truncated');
  });

  it('rejects a top-level array', async () => {
    const error = await parseError(sarifParser, '[]', { fileName: 'a.sarif' });
    expect(error.code).toBe('malformed');
  });
});
