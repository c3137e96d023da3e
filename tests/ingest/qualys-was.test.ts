import { describe, expect, it } from 'vitest';
import { qualysWasParser } from '../../lib/ingest/formats/qualys-was';
import { parseWasDate } from '../../lib/ingest/formats/qualys-was-findings';
import { parseError, parseText, readFixture } from './parse-report';

const parseFixtureFile = () => parseText(qualysWasParser, readFixture('qualys-was-webapp.xml'), 97, { fileName: 'qualys-was-webapp.xml' });

function findingBy(report: Awaited<ReturnType<typeof parseFixtureFile>>, sourceFindingId: string) {
  const finding = report.findings.find((candidate) => candidate.sourceFindingId === sourceFindingId);
  if (!finding) throw new Error(`no finding ${sourceFindingId}; found ${report.findings.map((f) => f.sourceFindingId).join(', ')}`);
  return finding;
}

/** Builds a scan report with its results directly under RESULTS and the application in the appendix. */
function scanReport(results: string, glossary = '', appendix = '<APPENDIX><WEBAPP><ID>1</ID><NAME>Shop</NAME><URL>https://shop.example.org</URL></WEBAPP></APPENDIX>'): string {
  return `<?xml version="1.0"?><WAS_SCAN_REPORT><HEADER><NAME>Scan Report</NAME></HEADER><RESULTS>${results}</RESULTS><GLOSSARY><QID_LIST>${glossary}</QID_LIST></GLOSSARY>${appendix}</WAS_SCAN_REPORT>`;
}

const XSS_GLOSSARY = '<QID><QID>150001</QID><SEVERITY>4</SEVERITY><TITLE>XSS</TITLE></QID>';

describe('qualysWasParser web application report', () => {
  it('names the application by its URL', async () => {
    const report = await parseFixtureFile();
    expect(report.metadata).toEqual({ format: 'qualys-was', source: 'Qualys WAS', title: 'Web Application Report', scannedAt: new Date('2025-01-05T14:20:00Z') });
    expect(report.assets).toHaveLength(1);
    expect(report.assets[0]).toMatchObject({ name: 'https://shop.example.org/', kind: 'application', os: 'Linux 4.x' });
    expect(report.assets[0]?.raw).toMatchObject({ ID: '4711', NAME: 'Shop', TARGET: { SCAN: 'Weekly scan - Shop' } });
  });

  it('maps a vulnerability with its glossary entry', async () => {
    const finding = findingBy(await parseFixtureFile(), 'u-1');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      vendorId: '150001',
      title: 'Reflected Cross-Site Scripting (XSS) Vulnerabilities',
      severity: 5,
      resource: 'https://shop.example.org/search',
      description: 'User input is echoed without encoding.',
      solution: 'Encode output.',
      cweIds: ['CWE-79', 'CWE-80'],
      cvss2BaseScore: 4.3,
      cvss3BaseScore: 6.1,
      firstSeen: new Date('2024-11-02T10:00:00Z'),
      lastSeen: new Date('2025-01-05T14:00:00Z'),
    });
    expect(finding.raw).toMatchObject({ PARAM: 'q', STATUS: 'ACTIVE', TIMES_DETECTED: '4', LAST_TIME_TESTED: '2025-01-05T14:00:00Z', IMPACT: "An attacker can run script in a victim's browser.", OWASP: 'A3', WASC: 'WASC-8' });
    expect(finding.raw.suppressed).toBeUndefined();
  });

  it('decodes base64 payloads', async () => {
    const finding = findingBy(await parseFixtureFile(), 'u-1');
    expect(finding.raw.PAYLOADS).toEqual({ PAYLOAD: { PAYLOAD: 'q=%3Cscript%3E', RESPONSE: { CONTENTS: 'X-Frame-Options: Header missing\nLink: https://shop.example.org/' } } });
  });

  it('keeps binary payloads in base64', async () => {
    const finding = findingBy(await parseFixtureFile(), 'u-2');
    expect(finding.raw.PAYLOADS).toEqual({ PAYLOAD: { RESPONSE: { EVIDENCE: { base64: Buffer.from('a\0b').toString('base64') } } } });
  });

  it('flags ignored vulnerabilities as suppressed', async () => {
    const finding = findingBy(await parseFixtureFile(), 'u-2');
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.firstSeen).toEqual(new Date('2024-12-14T14:35:00Z'));
  });

  it('skips fixed vulnerabilities', async () => {
    const report = await parseFixtureFile();
    expect(report.findings.map((finding) => finding.vendorId)).not.toContain('150123');
  });

  it('maps sensitive content at its severity', async () => {
    const report = await parseFixtureFile();
    const finding = report.findings.find((candidate) => candidate.vendorId === '150022');
    expect(finding).toMatchObject({ severity: 2, title: 'Credit Card Number Disclosed', resource: 'https://shop.example.org/receipt', raw: { qualysType: 'sensitive', CONTENT: '4111 **** **** 1111' } });
  });

  it('maps information gathered as informational', async () => {
    const report = await parseFixtureFile();
    const finding = report.findings.find((candidate) => candidate.vendorId === '150202');
    expect(finding).toMatchObject({ severity: 1, title: 'Missing header: X-Frame-Options', raw: { qualysType: 'information', qualysSeverity: 2, DATA: 'X-Frame-Options: Header missing\nLink: https://shop.example.org/' } });
    expect(finding?.solution).toBeUndefined();
    expect(finding?.raw.IMPACT).toBeUndefined();
  });
});

describe('qualysWasParser scan report', () => {
  it('assigns direct results to the appendix application', async () => {
    const report = await parseText(qualysWasParser, scanReport('<VULNERABILITY_LIST><VULNERABILITY><QID>150001</QID><URL>https://shop.example.org/a</URL><DETECTION_DATE>11 Mar 2020 01:07PM GMT-0400</DETECTION_DATE></VULNERABILITY></VULNERABILITY_LIST>', XSS_GLOSSARY));
    expect(report.assets.map((asset) => asset.name)).toEqual(['https://shop.example.org']);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ assetKey: report.assets[0]?.reportKey, severity: 4, title: 'XSS', sourceFindingId: 'vulnerability|150001|https://shop.example.org/a|', lastSeen: new Date('2020-03-11T17:07:00Z') });
  });

  it('names an application without appendix after the file', async () => {
    const report = await parseText(qualysWasParser, scanReport('<VULNERABILITY_LIST></VULNERABILITY_LIST>', '', ''), 97, { fileName: 'shop-scan.xml' });
    expect(report.assets.map((asset) => asset.name)).toEqual(['shop-scan']);
    expect(report.findings).toEqual([]);
  });

  it('titles a QID missing from the glossary by number', async () => {
    const report = await parseText(qualysWasParser, scanReport('<INFORMATION_GATHERED_LIST><INFORMATION_GATHERED><QID>6</QID></INFORMATION_GATHERED></INFORMATION_GATHERED_LIST>'));
    expect(report.findings[0]).toMatchObject({ title: 'QID 6', severity: 1 });
  });
});

describe('qualysWasParser errors', () => {
  it('rejects another root element', async () => {
    const error = await parseError(qualysWasParser, '<SCAN></SCAN>');
    expect(error.code).toBe('wrong_format');
  });

  it('rejects an entry without QID', async () => {
    const error = await parseError(qualysWasParser, scanReport('<VULNERABILITY_LIST><VULNERABILITY><URL>https://x</URL></VULNERABILITY></VULNERABILITY_LIST>'));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toMatch(/VULNERABILITY has no QID \(line 1, column \d+, field QID\)/);
  });

  it('rejects a vulnerability without glossary severity', async () => {
    const error = await parseError(qualysWasParser, scanReport('<VULNERABILITY_LIST><VULNERABILITY><QID>150009</QID></VULNERABILITY></VULNERABILITY_LIST>'));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('QID 150009 has no SEVERITY');
  });

  it('rejects an invalid severity', async () => {
    const error = await parseError(qualysWasParser, scanReport('', '<QID><QID>1</QID><SEVERITY>9</SEVERITY></QID>'));
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('SEVERITY');
  });

  it('rejects an invalid date', async () => {
    const error = await parseError(qualysWasParser, scanReport('<VULNERABILITY_LIST><VULNERABILITY><QID>150001</QID><DETECTION_DATE>yesterday</DETECTION_DATE></VULNERABILITY></VULNERABILITY_LIST>', XSS_GLOSSARY));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('"yesterday"');
  });

  it('rejects truncated XML', async () => {
    const text = readFixture('qualys-was-webapp.xml');
    const error = await parseError(qualysWasParser, text.slice(0, text.length / 2));
    expect(error.code).toBe('malformed');
  });
});

describe('parseWasDate', () => {
  it.each([
    ['01 Apr 2020 01:15PM GMT-0400', '2020-04-01T17:15:00Z'],
    ['01 Apr 2020 12:05AM GMT', '2020-04-01T00:05:00Z'],
    ['12 Mar 2020', '2020-03-12T00:00:00Z'],
    ['2020-03-12T10:00:00Z', '2020-03-12T10:00:00Z'],
  ])('reads %s', (text, iso) => {
    expect(parseWasDate(text, 'DATE', {})).toEqual(new Date(iso));
  });
});

describe('qualysWasParser entries without glossary', () => {
  it('reads title and severity from the entry', async () => {
    const report = await parseText(qualysWasParser, scanReport('<VULNERABILITY_LIST><VULNERABILITY><QID>150009</QID><TITLE>Own title</TITLE><SEVERITY>3</SEVERITY></VULNERABILITY></VULNERABILITY_LIST>'));
    expect(report.findings[0]).toMatchObject({ title: 'Own title', severity: 3 });
  });
});
