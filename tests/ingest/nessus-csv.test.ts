import { describe, expect, it } from 'vitest';
import { nessusCsvParser } from '../../lib/ingest/formats/nessus-csv';
import { findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const CLASSIC = 'nessus-export.csv';
const DOTTED = 'tenable-export.csv';

describe('nessusCsvParser classic export', () => {
  it('maps hosts to assets', async () => {
    const report = await parseFixture(nessusCsvParser, CLASSIC);
    expect(report.metadata).toEqual({ format: 'nessus-csv', source: 'Nessus' });
    expect(report.assets).toEqual([
      {
        reportKey: 'web01.example.test',
        name: 'web01.example.test',
        kind: 'host',
        ipv4: ['192.0.2.10'],
        fqdn: 'web01.example.test',
        hostname: 'WEB01',
        os: 'Linux Kernel 5.15 on Ubuntu 22.04',
      },
      { reportKey: '2001:db8::7', name: '2001:db8::7', kind: 'host', ipv6: ['2001:db8::7'], hostname: 'FILE02', os: 'Windows Server 2019' },
    ]);
  });

  it('merges CVE rows of one plugin', async () => {
    const report = await parseFixture(nessusCsvParser, CLASSIC);
    const finding = findingOf(report, 'web01.example.test', '156860');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      cveId: 'CVE-2021-44228',
      cveIds: ['CVE-2021-44228', 'CVE-2021-45046'],
      title: 'Apache Log4j < 2.15.0 Remote Code Execution',
      description: 'The version of Apache Log4j on the remote host is affected by a remote code execution vulnerability.',
      solution: 'Upgrade to Apache Log4j version 2.16.0 or later.',
      severity: 5,
      port: 8443,
      protocol: 'tcp',
      references: ['https://logging.apache.org/log4j/2.x/security.html', 'https://www.tenable.com/log4j'],
      cvss2BaseScore: 10,
      cvss2Vector: 'AV:N/AC:L/Au:N/C:C/I:C/A:C',
      cvss3BaseScore: 10,
      cvss3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
      firstSeen: new Date('2024-01-05T10:00:00Z'),
      lastSeen: new Date('2024-03-01T10:00:00Z'),
      position: { line: 2 },
    });
  });

  it('keeps unmapped columns in raw', async () => {
    const report = await parseFixture(nessusCsvParser, CLASSIC);
    const { raw } = findingOf(report, 'web01.example.test', '156860');
    expect(raw).toEqual({
      CVSS: '10.0',
      Synopsis: 'The remote web server uses a vulnerable Log4j library.',
      'Plugin Output': '\nPath              : /opt/app/lib/log4j-core-2.14.1.jar\nInstalled version : 2.14.1\nSays "vulnerable", with quotes\n',
      'Vulnerability State': 'Active',
      'Plugin Family': 'Misc.',
    });
  });

  it('maps an informational plugin', async () => {
    const report = await parseFixture(nessusCsvParser, CLASSIC);
    const finding = findingOf(report, 'web01.example.test', '19506');
    expect(finding.severity).toBe(1);
    expect(finding.port).toBe(0);
    expect(finding.solution).toBeUndefined();
    expect(finding.cveId).toBeUndefined();
    // Each of the two rows before it spans six lines because of its quoted line breaks.
    expect(finding.position).toEqual({ line: 14 });
  });

  it('splits See Also on spaces', async () => {
    const report = await parseFixture(nessusCsvParser, CLASSIC);
    const finding = findingOf(report, '2001:db8::7', '57608');
    expect(finding.references).toEqual(['https://support.microsoft.com/kb/887429', 'http://www.nessus.org/u?df39b8b3']);
    expect(finding.severity).toBe(3);
    expect(finding.cvss3BaseScore).toBe(5.3);
  });

  it('skips fixed and blank rows', async () => {
    const report = await parseFixture(nessusCsvParser, CLASSIC);
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['156860', '19506', '57608']);
  });

  it('reads the file in one chunk too', async () => {
    const text = readFixture(CLASSIC);
    const whole = await parseText(nessusCsvParser, text, text.length);
    const split = await parseFixture(nessusCsvParser, CLASSIC);
    expect(whole.findings).toEqual(split.findings);
  });
});

describe('nessusCsvParser dotted export', () => {
  it('maps the asset columns', async () => {
    const report = await parseFixture(nessusCsvParser, DOTTED);
    expect(report.assets).toEqual([
      {
        reportKey: 'db01',
        name: 'db01',
        kind: 'host',
        ipv4: ['198.51.100.5'],
        fqdn: 'db01.example.test',
        os: 'Ubuntu 20.04',
      },
    ]);
    // Tenable's asset UUID is not a Nessus agent id, so it stays in raw.
    expect(report.findings[0]?.raw['asset.id']).toBe('0f1e2d3c-0000-4000-8000-000000000001');
  });

  it('maps a plugin row with several CVEs', async () => {
    const report = await parseFixture(nessusCsvParser, DOTTED);
    expect(report.findings).toHaveLength(1);
    const finding = findingOf(report, 'db01', '179465');
    expect(finding).toMatchObject({
      cveId: 'CVE-2023-38408',
      cveIds: ['CVE-2023-38408', 'CVE-2023-28531'],
      cweIds: ['CWE-428'],
      title: 'Ubuntu 20.04 LTS : OpenSSH vulnerabilities (USN-6242-1)',
      description: 'OpenSSH before 9.3p2 has an insufficiently trustworthy search path; it; contains semicolons.',
      solution: 'Update the affected packages.',
      severity: 5,
      port: 22,
      protocol: 'tcp',
      cvss3BaseScore: 9.8,
      cvss2Vector: 'AV:N/AC:L/Au:N/C:C/I:C/A:C',
      references: ['https://ubuntu.com/security/notices/USN-6242-1'],
      sourceFindingId: 'aaaaaaaa-1111-2222-3333-444444444444',
      firstSeen: new Date('2023-07-25T09:00:00.000Z'),
      lastSeen: new Date('2023-08-01T09:00:00.000Z'),
    });
    expect(finding.raw).toMatchObject({ 'definition.synopsis': 'The remote Ubuntu host is missing security updates.', output: 'Installed: openssh-client_1:8.2p1-4ubuntu0.7', severity: 'Critical' });
  });
});

describe('nessusCsvParser bad input', () => {
  const header = 'Plugin ID,CVE,Risk,Host,Protocol,Port,Name';
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['a header only', `${header}\n`, 'empty'],
    ['an unclosed quote', `${header}\n1,,Low,h,tcp,80,"broken\n`, 'malformed'],
    ['a missing Plugin ID column', 'CVE,Risk,Host\nCVE-2020-1234,Low,h\n', 'invalid_field'],
    ['a row without host', `${header}\n1,,Low,,tcp,80,x\n`, 'invalid_field'],
    ['an unknown risk', `${header}\n1,,Severe,h,tcp,80,x\n`, 'invalid_field'],
    ['an invalid port', `${header}\n1,,Low,h,tcp,99999,x\n`, 'invalid_field'],
    ['an invalid CVSS score', 'Plugin ID,Risk,Host,CVSS3 Base Score\n1,Low,h,12\n', 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(nessusCsvParser, text);
    expect(error.code).toBe(code);
  });

  it('names the line of a bad value', async () => {
    const error = await parseError(nessusCsvParser, `${header}\n1,,Low,h,tcp,80,x\n2,,Severe,h,tcp,80,y\n`);
    expect(error.position).toEqual({ line: 3, field: 'Risk' });
  });

  it('names the line of an unclosed quote', async () => {
    const error = await parseError(nessusCsvParser, `${header}\n1,,Low,h,tcp,80,"broken\n`);
    expect(error.position.line).toBeGreaterThanOrEqual(2);
  });
});
