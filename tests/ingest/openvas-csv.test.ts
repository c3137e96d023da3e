import { describe, expect, it } from 'vitest';
import { openVasCsvParser } from '../../lib/ingest/formats/openvas-csv';
import { findingOf, parseError, parseFixture } from './parse-report';

const FIXTURE = 'openvas-results.csv';

describe('openVasCsvParser results export', () => {
  it('maps hosts to assets', async () => {
    const report = await parseFixture(openVasCsvParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'openvas-csv', source: 'Greenbone' });
    expect(report.assets).toEqual([
      { reportKey: 'mail.example.test', name: 'mail.example.test', kind: 'host', ipv4: ['192.0.2.20'], fqdn: 'mail.example.test' },
      { reportKey: '192.0.2.21', name: '192.0.2.21', kind: 'host', ipv4: ['192.0.2.21'] },
    ]);
  });

  it('maps a vulnerability result', async () => {
    const report = await parseFixture(openVasCsvParser, FIXTURE);
    const finding = findingOf(report, 'mail.example.test', '1.3.6.1.4.1.25623.1.0.170588');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      title: 'Exim < 4.96.1 Multiple Vulnerabilities',
      description: 'Exim is prone to multiple vulnerabilities.\n\nOut-of-bounds write in the SMTP service.',
      solution: 'Update to version 4.96.1 or later.',
      severity: 4,
      port: 25,
      protocol: 'tcp',
      cveId: 'CVE-2023-42115',
      cveIds: ['CVE-2023-42115', 'CVE-2023-42116'],
      references: ['https://www.exim.org/static/doc/security/CVE-2023-zdi.txt', 'https://www.zerodayinitiative.com/advisories/ZDI-23-1469/'],
      sourceFindingId: 'result-1',
      firstSeen: new Date('2024-04-02T03:10:00Z'),
      lastSeen: new Date('2024-04-02T03:10:00Z'),
      position: { line: 2 },
    });
    expect(finding.raw).toEqual({
      CVSS: '7.5',
      QoD: '80',
      'Solution Type': 'VendorFix',
      'Specific Result': 'Installed version: 4.94\nFixed version:     4.96.1',
      'Task ID': 'task-1',
      'Task Name': 'Weekly mail scan',
      Impact: 'Remote code execution.',
      'Affected Software/OS': 'Exim prior to 4.96.1.',
      'Vulnerability Detection Method': 'Checks if a vulnerable version is present.',
      'Product Detection Result': 'Product: cpe:/a:exim:exim:4.94',
      CERTs: 'DFN-CERT-2023-2294',
    });
  });

  it('maps a log result of the whole host', async () => {
    const report = await parseFixture(openVasCsvParser, FIXTURE);
    const finding = findingOf(report, 'mail.example.test', '1.3.6.1.4.1.25623.1.0.105937');
    expect(finding.severity).toBe(1);
    expect(finding.port).toBeUndefined();
    expect(finding.protocol).toBe('tcp');
    expect(finding.raw.Port).toBe('general');
  });

  it('maps a CVE scanner result', async () => {
    const report = await parseFixture(openVasCsvParser, FIXTURE);
    const finding = findingOf(report, '192.0.2.21', 'CVE-2021-26691');
    expect(finding.cveId).toBe('CVE-2021-26691');
    // Without a severity class, the CVSS score of 5.3 gives medium.
    expect(finding.severity).toBe(3);
  });
});

describe('openVasCsvParser bad input', () => {
  const header = 'IP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name,NVT OID,Timestamp';
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['a header only', `${header}\n`, 'empty'],
    ['a missing NVT OID column', 'IP,NVT Name\n10.0.0.1,x\n', 'invalid_field'],
    ['a row without IP', `${header}\n,h,80,tcp,5.0,Medium,x,1.2.3,\n`, 'invalid_field'],
    ['an unknown severity', `${header}\n10.0.0.1,h,80,tcp,5.0,Severe,x,1.2.3,\n`, 'invalid_field'],
    ['a CVSS above 10', `${header}\n10.0.0.1,h,80,tcp,11,,x,1.2.3,\n`, 'invalid_field'],
    ['an invalid port', `${header}\n10.0.0.1,h,http,tcp,5.0,Medium,x,1.2.3,\n`, 'invalid_field'],
    ['an invalid timestamp', `${header}\n10.0.0.1,h,80,tcp,5.0,Medium,x,1.2.3,yesterday\n`, 'invalid_field'],
    ['an unclosed quote', `${header}\n10.0.0.1,h,80,tcp,5.0,Medium,"x,1.2.3,\n`, 'malformed'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(openVasCsvParser, text);
    expect(error.code).toBe(code);
  });

  it('names the line and column of a bad value', async () => {
    const error = await parseError(openVasCsvParser, `${header}\n10.0.0.1,h,80,tcp,5.0,Medium,x,1.2.3,\n10.0.0.1,h,80,tcp,5.0,Severe,x,1.2.4,\n`);
    expect(error.position).toEqual({ line: 3, field: 'Severity' });
  });
});
