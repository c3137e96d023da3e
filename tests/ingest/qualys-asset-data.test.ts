import { describe, expect, it } from 'vitest';
import { qualysAssetDataParser } from '../../lib/ingest/formats/qualys-asset-data';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const FIXTURE = 'qualys-asset-data.xml';

describe('qualysAssetDataParser', () => {
  it('reads report metadata', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'qualys-asset-data', source: 'Qualys', title: 'Confirmed and potential vulnerabilities' });
  });

  it('emits every asset before the findings', async () => {
    const records: string[] = [];
    for await (const record of qualysAssetDataParser.parse((async function* () {
      yield readFixture(FIXTURE);
    })(), () => {})) {
      records.push(record.kind);
    }
    expect(records).toEqual(['asset', 'asset', 'finding', 'finding', 'finding', 'finding', 'finding']);
  });

  it('maps host fields', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    expect(assetOf(report, 'app7.example.test')).toEqual({
      reportKey: 'app7.example.test',
      name: 'app7.example.test',
      kind: 'host',
      ipv4: ['198.51.100.7'],
      fqdn: 'app7.example.test',
      hostname: 'APP7',
      os: 'Windows Server 2016',
      agentId: '7f1c2d9e-0000-4000-8000-000000000007',
      // The fixed detection's older dates do not count.
      firstSeen: new Date('2024-01-05T08:00:00Z'),
      lastSeen: new Date('2024-02-28T09:30:00Z'),
      raw: { TRACKING_METHOD: 'IP', ASSET_GROUPS: { ASSET_GROUP_TITLE: 'Web servers' } },
    });
    expect(assetOf(report, '198.51.100.8')).toMatchObject({ name: '198.51.100.8', ipv4: ['198.51.100.8'], os: 'Ubuntu 22.04' });
  });

  it('joins a detection with its glossary entry', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    const finding = findingOf(report, 'app7.example.test', '91345');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      title: 'Microsoft SMB Server Remote Code Execution Vulnerability (MS17-010)',
      severity: 5,
      sourceFindingId: '91345:445/tcp',
      port: 445,
      protocol: 'tcp',
      cveId: 'CVE-2017-0143',
      cveIds: ['CVE-2017-0143', 'CVE-2017-0144'],
      cvss2BaseScore: 9.3,
      cvss2Vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C',
      cvss3BaseScore: 8.1,
      cvss3Vector: 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
      description: 'Microsoft Server Message Block 1.0 (SMBv1) mishandles certain requests.<P>',
      solution: 'Apply the MS17-010 security update.',
      references: ['https://vendor.example.test/ms17-010'],
      firstSeen: new Date('2024-01-05T08:00:00Z'),
      lastSeen: new Date('2024-02-28T09:30:00Z'),
      vulnerabilities: [{ cveId: 'CVE-2017-0143' }, { cveId: 'CVE-2017-0144' }],
    });
    expect(finding.raw).toEqual({
      qualysType: 'confirmed',
      qualysSeverity: 5,
      SERVICE: 'microsoft-ds',
      TIMES_FOUND: '12',
      VULN_STATUS: 'Active',
      CVSS_FINAL: '9.3',
      CVSS3_FINAL: '8.1',
      RESULT: 'KB4012212 is not installed\t<missing>',
      CATEGORY: 'Windows',
      IMPACT: 'A remote attacker can execute arbitrary code.',
    });
  });

  it('maps a potential vulnerability over SSL', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    const finding = findingOf(report, 'app7.example.test', '38170');
    expect(finding.severity).toBe(2);
    expect(finding.sourceFindingId).toBe('38170:443/tcp/ssl');
    expect(finding.raw.qualysType).toBe('potential');
    expect(finding.raw.ssl).toBe(true);
    expect(finding.cveId).toBeUndefined();
  });

  it('maps information gathered at severity 1', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    const finding = findingOf(report, 'app7.example.test', '6');
    expect(finding.title).toBe('DNS Host Name');
    expect(finding.severity).toBe(1);
    expect(finding.sourceFindingId).toBe('6');
    expect(finding.raw.qualysType).toBe('information');
    expect(finding.raw.qualysSeverity).toBe(2);
    expect(finding.raw.RESULT).toBe('IP address\tHost name\n198.51.100.7\tapp7.example.test');
  });

  it('leaves out fixed detections', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    expect(report.findings.some((finding) => finding.vendorId === '105170')).toBe(false);
  });

  it('handles a QID missing from the glossary', async () => {
    const report = await parseFixture(qualysAssetDataParser, FIXTURE);
    const finding = findingOf(report, '198.51.100.8', '999001');
    expect(finding.title).toBe('QID 999001');
    // CVSS3_FINAL 7.2 is high.
    expect(finding.severity).toBe(4);
    expect(finding.raw.severityAssumed).toBeUndefined();
  });

  it('reads findings without a glossary', async () => {
    const text = readFixture(FIXTURE).replace(/<GLOSSARY>[\s\S]*<\/GLOSSARY>/, '');
    const report = await parseText(qualysAssetDataParser, text);
    expect(report.findings).toHaveLength(5);
    const finding = findingOf(report, '198.51.100.8', '91345');
    expect(finding.title).toBe('QID 91345');
    expect(finding.severity).toBe(3);
    expect(finding.raw.severityAssumed).toBe(true);
  });
});

describe('qualysAssetDataParser bad input', () => {
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['no hosts', '<ASSET_DATA_REPORT><HEADER/><HOST_LIST></HOST_LIST></ASSET_DATA_REPORT>', 'empty'],
    ['other root element', '<SCAN value="x"><HEADER/></SCAN>', 'wrong_format'],
    ['truncated file', readFixture(FIXTURE).slice(0, 3000), 'malformed'],
    ['external entity', '<!DOCTYPE ASSET_DATA_REPORT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ASSET_DATA_REPORT>&xxe;</ASSET_DATA_REPORT>', 'forbidden_dtd'],
    ['unknown TYPE', '<ASSET_DATA_REPORT><HOST_LIST><HOST><IP>10.0.0.1</IP><VULN_INFO_LIST><VULN_INFO><QID>1</QID><TYPE>Bogus</TYPE></VULN_INFO></VULN_INFO_LIST></HOST></HOST_LIST></ASSET_DATA_REPORT>', 'invalid_field'],
    ['host without address', '<ASSET_DATA_REPORT><HOST_LIST><HOST><TRACKING_METHOD>IP</TRACKING_METHOD></HOST></HOST_LIST></ASSET_DATA_REPORT>', 'malformed'],
    ['invalid glossary severity', '<ASSET_DATA_REPORT><HOST_LIST><HOST><IP>10.0.0.1</IP></HOST></HOST_LIST><GLOSSARY><VULN_DETAILS_LIST><VULN_DETAILS><QID>1</QID><SEVERITY>9</SEVERITY></VULN_DETAILS></VULN_DETAILS_LIST></GLOSSARY></ASSET_DATA_REPORT>', 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(qualysAssetDataParser, text);
    expect(error.code).toBe(code);
  });
});
