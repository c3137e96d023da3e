import { describe, expect, it } from 'vitest';
import { openVasCsvParser } from '../../lib/ingest/formats/openvas-csv';
import { openVasXmlParser } from '../../lib/ingest/formats/openvas-xml';
import { parseTags } from '../../lib/ingest/formats/openvas-xml-findings';
import type { FindingRecord } from '../../lib/ingest/model';
import { assetOf, findingOf, parseError, parseFixture, parseText } from './parse-report';

const FIXTURE = 'openvas-report.xml';
const CSV_FIXTURE = 'openvas-results.csv';

/** Wraps results and hosts in the layout of a single GMP report file. */
function report(results: string, hosts = ''): string {
  return `<?xml version="1.0"?>\n<report id="r" format_id="f"><report id="r"><results>${results}</results>${hosts}</report></report>`;
}

function result(fields: { id?: string; host?: string; port?: string; threat?: string; severity?: string; nvt?: string }): string {
  const nvt = fields.nvt ?? '<nvt oid="1.3.6.1.4.1.25623.1.0.1"><name>Test NVT</name></nvt>';
  return `<result id="${fields.id ?? 'x'}"><host>${fields.host ?? '198.51.100.7'}</host><port>${fields.port ?? '443/tcp'}</port>${nvt}<threat>${fields.threat ?? 'Medium'}</threat><severity>${fields.severity ?? '5.0'}</severity></result>`;
}

/** Picks the fields the identification rules read, so equal values give the same finding. */
function identifyingFields(finding: FindingRecord) {
  return {
    assetKey: finding.assetKey,
    type: finding.type,
    vendorId: finding.vendorId,
    cveId: finding.cveId,
    port: finding.port,
    protocol: finding.protocol,
    title: finding.title,
    sourceFindingId: finding.sourceFindingId,
    technology: finding.technology,
  };
}

describe('openVasXmlParser report', () => {
  it('maps hosts to assets', async () => {
    const parsed = await parseFixture(openVasXmlParser, FIXTURE);
    expect(parsed.metadata).toEqual({ format: 'openvas-xml', source: 'Greenbone', title: 'Weekly mail scan', scannedAt: new Date('2024-04-02T03:01:00Z') });
    expect(parsed.assets.map((asset) => asset.reportKey)).toEqual(['192.0.2.20', '192.0.2.21', '2001:db8::5']);
    expect(assetOf(parsed, '192.0.2.20')).toMatchObject({
      name: 'mail.example.test',
      kind: 'host',
      ipv4: ['192.0.2.20'],
      fqdn: 'mail.example.test',
      os: 'Debian GNU/Linux 12',
      mac: ['52:54:00:ab:cd:ef'],
      firstSeen: new Date('2024-04-02T03:01:05Z'),
      lastSeen: new Date('2024-04-02T03:20:00Z'),
    });
    expect(assetOf(parsed, '192.0.2.20').raw?.details).toContainEqual({ name: 'best_os_cpe', value: 'cpe:/o:debian:debian_linux:12' });
  });

  it('names a host by its host detail', async () => {
    const parsed = await parseFixture(openVasXmlParser, FIXTURE);
    expect(assetOf(parsed, '2001:db8::5')).toMatchObject({ name: 'printer', hostname: 'printer', ipv6: ['2001:db8::5'] });
    expect(assetOf(parsed, '192.0.2.21')).toMatchObject({ name: '192.0.2.21', ipv4: ['192.0.2.21'] });
  });

  it('maps a vulnerability result', async () => {
    const parsed = await parseFixture(openVasXmlParser, FIXTURE);
    const finding = findingOf(parsed, '192.0.2.20', '1.3.6.1.4.1.25623.1.0.170588');
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
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      cvss3BaseScore: 7.5,
      references: ['https://www.exim.org/static/doc/security/CVE-2023-zdi.txt', 'https://www.zerodayinitiative.com/advisories/ZDI-23-1469/'],
      sourceFindingId: 'result-1',
      firstSeen: new Date('2024-04-02T03:10:00Z'),
    });
    expect(finding.vulnerabilities).toEqual([
      { cveId: 'CVE-2023-42115', epssScore: 0.0123, epssPercentile: 0.85 },
      { cveId: 'CVE-2023-42116', epssScore: 0.0456, epssPercentile: 0.92 },
    ]);
  });

  it('keeps unmapped fields in raw', async () => {
    const parsed = await parseFixture(openVasXmlParser, FIXTURE);
    const { raw } = findingOf(parsed, '192.0.2.20', '1.3.6.1.4.1.25623.1.0.170588');
    expect(raw).toMatchObject({
      threat: 'High',
      severity: '7.5',
      qod: { value: '80', type: 'executable_version_unreliable' },
      specificResult: 'Installed version: 4.94\nFixed version:     4.96.1',
      nvt: {
        family: 'SMTP problems',
        cvss_base: '7.5',
        solutionType: 'VendorFix',
        refs: [{ type: 'dfn-cert', id: 'DFN-CERT-2023-2294' }],
        tags: { affected: 'Exim prior to 4.96.1.', impact: 'Remote code execution.', vuldetect: 'Checks if a vulnerable version is present.', solution_type: 'VendorFix' },
      },
    });
  });

  it('keeps a log result as informational', async () => {
    const parsed = await parseFixture(openVasXmlParser, FIXTURE);
    const finding = findingOf(parsed, '192.0.2.20', '1.3.6.1.4.1.25623.1.0.105937');
    expect(finding.severity).toBe(1);
    expect(finding.port).toBeUndefined();
    expect(finding.protocol).toBe('tcp');
    expect(finding.raw.port).toBe('general/tcp');
    expect(finding.cvss2Vector).toBe('AV:N/AC:L/Au:N/C:N/I:N/A:N');
  });

  it('rates a result without threat by score', async () => {
    const parsed = await parseFixture(openVasXmlParser, FIXTURE);
    const finding = findingOf(parsed, '192.0.2.21', 'CVE-2021-26691');
    expect(finding.severity).toBe(3);
    expect(finding.cveId).toBe('CVE-2021-26691');
  });
});

describe('openVasXmlParser same scan as CSV', () => {
  it('gives the CSV assets names and addresses', async () => {
    const xml = await parseFixture(openVasXmlParser, FIXTURE);
    const csv = await parseFixture(openVasCsvParser, CSV_FIXTURE);
    for (const asset of csv.assets) {
      const match = xml.assets.find((candidate) => candidate.name === asset.name);
      expect(match, asset.name).toMatchObject({ name: asset.name, kind: asset.kind, ipv4: asset.ipv4 });
      expect(match?.fqdn).toBe(asset.fqdn);
    }
  });

  it('identifies the CSV findings', async () => {
    const xml = await parseFixture(openVasXmlParser, FIXTURE);
    const csv = await parseFixture(openVasCsvParser, CSV_FIXTURE);
    // The CSV keys assets by name, the XML by address, so compare by asset name.
    const nameOf = (report: typeof xml, key: string) => report.assets.find((asset) => asset.reportKey === key)?.name;
    const fields = (report: typeof xml) => report.findings.map((finding) => ({ ...identifyingFields(finding), assetKey: nameOf(report, finding.assetKey) }));
    expect(fields(xml)).toEqual(fields(csv));
    expect(xml.findings.map((finding) => finding.severity)).toEqual(csv.findings.map((finding) => finding.severity));
    expect(openVasXmlParser.source).toBe(openVasCsvParser.source);
  });
});

describe('openVasXmlParser results', () => {
  it('reads a bare report root', async () => {
    const parsed = await parseText(openVasXmlParser, report(result({ host: '198.51.100.7' })));
    expect(parsed.assets).toEqual([{ reportKey: '198.51.100.7', name: '198.51.100.7', kind: 'host', ipv4: ['198.51.100.7'] }]);
    expect(parsed.findings[0]).toMatchObject({ port: 443, protocol: 'tcp', severity: 3, title: 'Test NVT' });
  });

  it('reads results directly under the root', async () => {
    const text = `<report id="r" format_id="f"><results>${result({ port: '22/tcp' })}</results><host><ip>198.51.100.7</ip><detail><name>hostname</name><value>ssh.example.test</value></detail></host></report>`;
    const parsed = await parseText(openVasXmlParser, text);
    expect(parsed.assets[0]).toMatchObject({ name: 'ssh.example.test', fqdn: 'ssh.example.test' });
    expect(parsed.findings[0]).toMatchObject({ port: 22, protocol: 'tcp' });
  });

  it('flags a false-positive override', async () => {
    const parsed = await parseText(openVasXmlParser, report(result({ threat: 'False Positive', severity: '-1.0' })));
    expect(parsed.findings[0]).toMatchObject({ severity: 1, raw: { falsePositive: true, suppressed: true } });
  });

  const severities: [string, string, string, number][] = [
    ['critical', 'Critical', '9.8', 5],
    ['alarm', 'Alarm', '10.0', 4],
    ['low', 'Low', '2.6', 2],
    ['blank threat, high score', '', '9.1', 5],
    ['blank threat and score', '', '', 1],
    ['error result', '', '-3', 1],
  ];
  it.each(severities)('maps %s', async (_name, threat, severity, expected) => {
    const parsed = await parseText(openVasXmlParser, report(result({ threat, severity })));
    expect(parsed.findings[0]?.severity).toBe(expected);
  });

  it('reads CVEs of GMP 7', async () => {
    const nvt = '<nvt oid="1.3.6.1.4.1.25623.1.0.2"><name>Old</name><cve>CVE-2014-0160, CVE-2014-0346</cve><bid>NOBID</bid></nvt>';
    const parsed = await parseText(openVasXmlParser, report(result({ nvt })));
    expect(parsed.findings[0]?.cveIds).toEqual(['CVE-2014-0160', 'CVE-2014-0346']);
    expect(parsed.findings[0]?.raw.nvt).toMatchObject({ cve: 'CVE-2014-0160, CVE-2014-0346', bid: 'NOBID' });
  });

  it('keeps hosts without results', async () => {
    const parsed = await parseText(openVasXmlParser, report('', '<host><ip>198.51.100.9</ip></host>'));
    expect(parsed.assets.map((asset) => asset.name)).toEqual(['198.51.100.9']);
    expect(parsed.findings).toEqual([]);
  });

  it('merges a host seen in results and details', async () => {
    const parsed = await parseText(openVasXmlParser, report(result({ host: '198.51.100.7<hostname>web</hostname>' }), '<host><ip>198.51.100.7</ip><detail><name>best_os_txt</name><value>Ubuntu</value></detail></host>'));
    expect(parsed.assets).toHaveLength(1);
    expect(parsed.assets[0]).toMatchObject({ name: 'web', hostname: 'web', os: 'Ubuntu' });
  });

  it('splits tags with = and | in values', () => {
    const tags = parseTags('summary=a=b|c|insight=x\ny|solution_type=VendorFix');
    expect(Object.fromEntries(tags)).toEqual({ summary: 'a=b|c', insight: 'x\ny', solution_type: 'VendorFix' });
  });

  it('spills many results to disk', async () => {
    const results = Array.from({ length: 2500 }, (_, index) => result({ id: `r${index}`, port: `${(index % 60000) + 1}/tcp` })).join('');
    const parsed = await parseText(openVasXmlParser, report(results), 4096);
    expect(parsed.findings).toHaveLength(2500);
    expect(parsed.findings[2499]?.sourceFindingId).toBe('r2499');
  });
});

describe('openVasXmlParser errors', () => {
  const cases: [string, string, string][] = [
    ['another root', '<NessusClientData_v2/>', 'wrong_format'],
    ['an empty report', report(''), 'empty'],
    ['a result without host', report('<result id="a"><nvt oid="1.2"/></result>'), 'invalid_field'],
    ['a result without NVT OID', report('<result id="a"><host>10.0.0.1</host><nvt/></result>'), 'invalid_field'],
    ['an unknown threat', report(result({ threat: 'Severe' })), 'invalid_field'],
    ['a port above 65535', report(result({ port: '70000/tcp' })), 'invalid_field'],
    ['a severity above 10', report(result({ threat: '', severity: '11' })), 'invalid_field'],
    ['a host without ip', report('', '<host><start>2024-01-01T00:00:00Z</start></host>'), 'invalid_field'],
    ['truncated XML', report(result({})).slice(0, 120), 'malformed'],
    ['an entity declaration', `<!DOCTYPE report [<!ENTITY x "y">]>${report(result({}))}`, 'forbidden_dtd'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(openVasXmlParser, text);
    expect(error.code).toBe(code);
  });

  it('names the line of a bad result', async () => {
    const error = await parseError(openVasXmlParser, report(`\n${result({})}\n${result({ threat: 'Severe' })}`));
    expect(error.position).toMatchObject({ line: 4, field: 'result/threat' });
  });
});
