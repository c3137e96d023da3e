import { describe, expect, it } from 'vitest';
import { qualysScanParser } from '../../lib/ingest/formats/qualys-scan';
import { assetOf, findingOf, parseError, parseFixture, readFixture } from './parse-report';

const FIXTURE = 'qualys-scan.xml';

describe('qualysScanParser', () => {
  it('reads the header', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    expect(report.metadata).toEqual({
      format: 'qualys-scan',
      source: 'Qualys',
      title: 'Quarterly DMZ scan',
      scannedAt: new Date('2024-03-02T11:22:33Z'),
    });
  });

  it('maps hosts', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    expect(report.assets).toEqual([
      {
        reportKey: '203.0.113.5',
        name: 'dmz5.example.test',
        kind: 'host',
        ipv4: ['203.0.113.5'],
        fqdn: 'dmz5.example.test',
        hostname: 'DMZ5',
        os: 'Debian GNU/Linux 11',
        raw: {},
      },
      { reportKey: '2001:db8:0:1::5', name: '2001:db8:0:1::5', kind: 'host', ipv6: ['2001:db8:0:1::5'], raw: {} },
    ]);
    expect(assetOf(report, '2001:db8:0:1::5').fqdn).toBeUndefined();
  });

  it('maps a confirmed vulnerability', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    const finding = findingOf(report, '203.0.113.5', '11827');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      title: 'Apache HTTP Server Path Traversal',
      severity: 4,
      sourceFindingId: '11827:443/tcp',
      port: 443,
      protocol: 'tcp',
      cveId: 'CVE-2021-41773',
      cveIds: ['CVE-2021-41773', 'CVE-2021-42013'],
      cvss2BaseScore: 7.5,
      cvss3BaseScore: 9.8,
      description: 'Apache 2.4.49 and 2.4.50 allow path traversal.',
      solution: 'Upgrade to Apache 2.4.51.',
      references: ['https://vendor.example.test/apache-2.4.51'],
    });
    expect(finding.raw).toEqual({
      qualysType: 'confirmed',
      qualysSeverity: 4,
      CATEGORY: 'Web server',
      LAST_UPDATE: '2021-10-08T10:00:00Z',
      CVSS_TEMPORAL: '6.5',
      CVSS3_TEMPORAL: '9.1',
      PCI_FLAG: '1',
      CONSEQUENCE: 'Files outside the document root can be read.',
      RESULT: 'Server: Apache/2.4.49',
    });
  });

  it('reads a dash as no score', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    const finding = findingOf(report, '203.0.113.5', '86473');
    expect(finding.cvss2BaseScore).toBe(5);
    expect(finding.cvss3BaseScore).toBeUndefined();
    expect(finding.cveId).toBeUndefined();
  });

  it('maps a potential vulnerability', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    const finding = findingOf(report, '203.0.113.5', '124848');
    expect(finding.severity).toBe(5);
    expect(finding.raw.qualysType).toBe('potential');
    expect(finding.cveIds).toEqual(['CVE-2016-0636']);
    expect(finding.port).toBeUndefined();
    expect(finding.sourceFindingId).toBe('124848');
  });

  it('maps INFOS and SERVICES at severity 1', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    const info = findingOf(report, '203.0.113.5', '45038');
    expect(info.severity).toBe(1);
    expect(info.raw).toMatchObject({ qualysType: 'information', qualysSeverity: 2, RESULT: 'Scan duration: 812 seconds' });
    const service = findingOf(report, '203.0.113.5', '82023');
    expect(service.severity).toBe(1);
    expect(service.title).toBe('Open TCP Services List');
    expect(service.raw.RESULT).toBe('Port\tService\n22\tssh\n443\thttps');
  });

  it('counts every finding', async () => {
    const report = await parseFixture(qualysScanParser, FIXTURE);
    expect(report.findings.map((finding) => `${finding.assetKey} ${finding.vendorId}`)).toEqual([
      '203.0.113.5 45038',
      '203.0.113.5 82023',
      '203.0.113.5 11827',
      '203.0.113.5 86473',
      '203.0.113.5 124848',
      '2001:db8:0:1::5 91345',
    ]);
  });
});

describe('qualysScanParser bad input', () => {
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['no hosts', '<SCAN value="scan/1"><HEADER/></SCAN>', 'empty'],
    ['scan error', '<SCAN value="scan/1"><ERROR number="999">Scan was cancelled</ERROR></SCAN>', 'empty'],
    ['other root element', '<ASSET_DATA_REPORT/>', 'wrong_format'],
    ['truncated file', readFixture(FIXTURE).slice(0, 1500), 'malformed'],
    ['billion laughs', '<!DOCTYPE SCAN [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><SCAN>&b;</SCAN>', 'forbidden_dtd'],
    ['missing severity', '<SCAN><IP value="10.0.0.1"><VULNS><CAT value="x"><VULN number="1"><TITLE>t</TITLE></VULN></CAT></VULNS></IP></SCAN>', 'invalid_field'],
    ['invalid port', '<SCAN><IP value="10.0.0.1"><VULNS><CAT value="x" port="http"><VULN number="1" severity="3"/></CAT></VULNS></IP></SCAN>', 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(qualysScanParser, text);
    expect(error.code).toBe(code);
  });

  it('names the scan error', async () => {
    const error = await parseError(qualysScanParser, '<SCAN value="scan/1"><ERROR number="999">Scan was cancelled</ERROR></SCAN>');
    expect(error.message).toContain('Scan was cancelled');
  });
});
