import { describe, expect, it } from 'vitest';
import { parseQualysDate, qualysCsvParser } from '../../lib/ingest/formats/qualys-csv';
import { findingOf, parseError, parseFixture } from './parse-report';

const VMDR = 'qualys-vmdr-cve.csv';
const REPORT = 'qualys-report.csv';

describe('qualysCsvParser VMDR CVE export', () => {
  it('reads the metadata lines', async () => {
    const report = await parseFixture(qualysCsvParser, VMDR);
    expect(report.metadata).toEqual({ format: 'qualys-csv', source: 'Qualys', title: 'Asset Vuln Datalist Report' });
    expect(report.assets[0]?.raw).toEqual({
      reportHeader: [
        '"Asset Vuln Datalist Report","10 Jun 2024 09:00AM GMT+0000","1"',
        '"Example Corp","1 Main Street","Springfield","None","12345","USA"',
        '"Jane Analyst","jane","Manager"',
      ],
    });
  });

  it('maps assets by name or address', async () => {
    const report = await parseFixture(qualysCsvParser, VMDR);
    expect(report.assets.map(({ reportKey, name, kind, ipv4, ipv6 }) => ({ reportKey, name, kind, ipv4, ipv6 }))).toEqual([
      { reportKey: 'db01', name: 'db01', kind: 'host', ipv4: ['198.51.100.5'], ipv6: undefined },
      { reportKey: '2001:db8::5', name: '2001:db8::5', kind: 'host', ipv4: undefined, ipv6: ['2001:db8::5'] },
    ]);
  });

  it('merges the CVE rows of one detection', async () => {
    const report = await parseFixture(qualysCsvParser, VMDR);
    const finding = findingOf(report, 'db01', '38909');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      cveId: 'CVE-2023-38408',
      cveIds: ['CVE-2023-38408', 'CVE-2023-28531'],
      title: 'OpenSSH Multiple Vulnerabilities',
      description: 'ssh-agent loads libraries from an untrusted path.',
      solution: 'Upgrade OpenSSH to 9.3p2 or later.',
      severity: 5,
      port: 22,
      protocol: 'tcp',
      cvss3BaseScore: 9.8,
      cvss2BaseScore: 10,
      firstSeen: new Date('2024-01-15T08:05:00Z'),
      lastSeen: new Date('2024-06-09T23:30:00Z'),
      position: { line: 5 },
    });
    expect(finding.raw).toEqual({
      'CVE-Description': 'Remote code execution in ssh-agent',
      Status: 'ACTIVE',
      'Asset Id': '4000001',
      Results: 'SSH-2.0-OpenSSH_8.9',
    });
  });

  it('rates information gathered as informational', async () => {
    const report = await parseFixture(qualysCsvParser, VMDR);
    const finding = findingOf(report, 'db01', '45038');
    expect(finding.severity).toBe(1);
    expect(finding.raw.qualysSeverity).toBe(2);
    expect(finding.port).toBeUndefined();
  });

  it('skips fixed detections', async () => {
    const report = await parseFixture(qualysCsvParser, VMDR);
    const openssl = report.findings.filter((finding) => finding.vendorId === '376512');
    expect(openssl.map((finding) => finding.port)).toEqual([8443]);
    expect(openssl[0]?.severity).toBe(3);
  });
});

describe('qualysCsvParser report export', () => {
  it('names hosts by DNS, else IP', async () => {
    const report = await parseFixture(qualysCsvParser, REPORT);
    expect(report.metadata).toEqual({ format: 'qualys-csv', source: 'Qualys' });
    expect(report.assets).toEqual([
      { reportKey: 'web07.example.test', name: 'web07.example.test', kind: 'host', ipv4: ['10.0.0.7'], fqdn: 'web07.example.test', hostname: 'WEB07', os: 'Windows Server 2019' },
      { reportKey: '10.0.0.8', name: '10.0.0.8', kind: 'host', ipv4: ['10.0.0.8'], os: 'Linux 5.4' },
    ]);
  });

  it('maps a vulnerability with a CVSS vector', async () => {
    const report = await parseFixture(qualysCsvParser, REPORT);
    const finding = findingOf(report, 'web07.example.test', '91850');
    expect(finding).toMatchObject({
      cveId: 'CVE-2021-31166',
      cveIds: ['CVE-2021-31166', 'CVE-2021-31194'],
      severity: 4,
      description: 'The HTTP protocol stack is vulnerable.\nA remote attacker may execute code.\n\nSuccessful exploitation compromises the host.',
      cvss3BaseScore: 9.8,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      firstSeen: new Date('2021-05-13T07:08:28Z'),
      lastSeen: new Date('2021-05-25T19:36:58Z'),
    });
    expect(finding.port).toBeUndefined();
    expect(finding.raw).toMatchObject({ 'Vendor Reference': 'KB5003171', Category: 'Windows', 'Vuln Status': 'Active', Network: 'Global Default Network' });
  });

  it('maps a practice and information gathered', async () => {
    const report = await parseFixture(qualysCsvParser, REPORT);
    expect(findingOf(report, 'web07.example.test', '105228')).toMatchObject({ severity: 2, port: 3389, protocol: 'tcp' });
    expect(findingOf(report, '10.0.0.8', '82003')).toMatchObject({ severity: 1, protocol: 'icmp', cveId: 'CVE-1999-0524' });
  });
});

describe('parseQualysDate', () => {
  it.each([
    ['05/13/2021 07:08:28', '2021-05-13T07:08:28Z'],
    ['05/13/2021', '2021-05-13T00:00:00Z'],
    ['Feb 03, 2026 07:00 AM', '2026-02-03T07:00:00Z'],
    ['Feb 03, 2026 12:15 AM', '2026-02-03T00:15:00Z'],
    ['Feb 03, 2026 12:15 PM', '2026-02-03T12:15:00Z'],
  ])('reads %s', (text, iso) => {
    expect(parseQualysDate(text, {})).toEqual(new Date(iso));
  });
});

describe('qualysCsvParser bad input', () => {
  const header = '"QID","Title","Severity","Type","IP","Port","Protocol","First Detected"';
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['no QID header', '"IP","Title"\n"10.0.0.1","x"\n', 'invalid_field'],
    ['a header only', `${header}\n`, 'empty'],
    ['an unclosed quote', `${header}\n"1","x,"3","Vuln","10.0.0.1","80","tcp",""\n`, 'malformed'],
    ['a row without QID', `${header}\n"","x","3","Vuln","10.0.0.1","80","tcp",""\n`, 'invalid_field'],
    ['a row without host', `${header}\n"1","x","3","Vuln","","80","tcp",""\n`, 'invalid_field'],
    ['an unknown type', `${header}\n"1","x","3","Bug","10.0.0.1","80","tcp",""\n`, 'invalid_field'],
    ['a severity of 7', `${header}\n"1","x","7","Vuln","10.0.0.1","80","tcp",""\n`, 'invalid_field'],
    ['an invalid date', `${header}\n"1","x","3","Vuln","10.0.0.1","80","tcp","yesterday"\n`, 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(qualysCsvParser, text);
    expect(error.code).toBe(code);
  });

  it('names the line and column of a bad value', async () => {
    const error = await parseError(qualysCsvParser, `${header}\n"1","x","3","Vuln","10.0.0.1","80","tcp",""\n"2","y","7","Vuln","10.0.0.1","80","tcp",""\n`);
    expect(error.position).toEqual({ line: 3, field: 'Severity' });
  });
});
