import { describe, expect, it } from 'vitest';
import { nessusParser, parseNessusDate } from '../../lib/ingest/formats/nessus';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const FIXTURE = 'nessus-two-hosts.nessus';

describe('nessusParser', () => {
  it('reads report metadata', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    expect(report.metadata).toEqual({
      format: 'nessus',
      source: 'Nessus',
      title: 'Weekly internal scan',
      scannedAt: new Date('2013-06-13T19:49:16Z'),
    });
  });

  it('maps an IPv4 host', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    expect(report.assets).toHaveLength(2);
    const host = assetOf(report, 'web01.example.test');
    expect(host).toEqual({
      reportKey: 'web01.example.test',
      name: 'web01.example.test',
      kind: 'host',
      ipv4: ['192.0.2.10'],
      fqdn: 'web01.example.test',
      hostname: 'WEB01',
      mac: ['00:50:56:81:01:e3', '00:50:56:81:01:e4'],
      os: 'Linux Kernel 3.10 on CentOS 7',
      firstSeen: new Date('2013-06-13T19:49:16Z'),
      lastSeen: new Date('2013-06-13T20:05:41Z'),
      raw: { 'system-type': 'general-purpose' },
    });
  });

  it('maps an IPv6 host', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const host = assetOf(report, '2001:db8::25');
    expect(host.ipv6).toEqual(['2001:db8::25']);
    expect(host.ipv4).toBeUndefined();
    expect(host.hostname).toBe('mail');
    // The Unix timestamps win over the text dates.
    expect(host.firstSeen).toEqual(new Date(1718000000 * 1000));
    expect(host.lastSeen).toEqual(new Date(1718000600 * 1000));
  });

  it('maps a multi-CVE item', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const finding = findingOf(report, 'web01.example.test', '70001');
    expect(finding.type).toBe('vulnerability');
    expect(finding.title).toBe('OpenSSL < 1.0.1g Multiple Vulnerabilities');
    expect(finding.severity).toBe(4);
    expect(finding.sourceFindingId).toBe('70001:443/tcp');
    expect(finding.port).toBe(443);
    expect(finding.protocol).toBe('tcp');
    expect(finding.cveId).toBe('CVE-2014-0160');
    expect(finding.cveIds).toEqual(['CVE-2014-0160', 'CVE-2014-0076']);
    expect(finding.cvss2BaseScore).toBe(5);
    expect(finding.cvss2Vector).toBe('AV:N/AC:L/Au:N/C:P/I:N/A:N');
    expect(finding.cvss3BaseScore).toBe(7.5);
    expect(finding.cvss3Vector).toBe('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
    expect(finding.cweIds).toEqual(['CWE-119']);
    expect(finding.description).toBe('The remote service uses an OpenSSL version with several flaws.');
    expect(finding.solution).toBe('Upgrade to OpenSSL 1.0.1g or later.');
    expect(finding.references).toEqual(['https://www.openssl.org/news/secadv/20140407.txt', 'https://heartbleed.example.test/']);
    // With several CVEs the plugin's scores are not attributed to each CVE.
    expect(finding.vulnerabilities).toEqual([{ cveId: 'CVE-2014-0160' }, { cveId: 'CVE-2014-0076' }]);
  });

  it('keeps other item fields in raw', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const finding = findingOf(report, 'web01.example.test', '70001');
    expect(finding.raw).toEqual({
      svc_name: 'www',
      pluginFamily: 'Web Servers',
      synopsis: 'The remote service is affected by multiple vulnerabilities.',
      risk_factor: 'High',
      bid: ['66690', '66363'],
      plugin_output: 'Installed version : 1.0.1e <script>not markup</script> & more\nFixed version     : 1.0.1g',
    });
    expect(finding.position?.line).toBeGreaterThan(0);
  });

  it('maps an informational item without CVE', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const finding = findingOf(report, 'web01.example.test', '19506');
    expect(finding.severity).toBe(1);
    expect(finding.type).toBe('vulnerability');
    expect(finding.cveId).toBeUndefined();
    expect(finding.solution).toBeUndefined();
    expect(finding.sourceFindingId).toBe('19506:0/tcp');
    expect(finding.raw.plugin_output).toBe('Scan duration : 985 sec');
  });

  it('maps CVSS v4 scores', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const finding = findingOf(report, 'web01.example.test', '70002');
    expect(finding.severity).toBe(3);
    expect(finding.cvss4BaseScore).toBe(6.9);
    expect(finding.cvss4Vector).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N');
  });

  it('maps single-CVE facts and CWE xrefs', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const finding = findingOf(report, '2001:db8::25', '70003');
    expect(finding.severity).toBe(5);
    expect(finding.cveIds).toEqual(['CVE-2019-10149']);
    expect(finding.cweIds).toEqual(['CWE-20']);
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2019-10149',
        cvss3BaseScore: 9.8,
        cvss3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        cweIds: ['CWE-20'],
        publishedAt: new Date('2019-06-05T00:00:00Z'),
      },
    ]);
  });

  it('maps failed compliance checks only', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    const checks = report.findings.filter((finding) => finding.vendorId === '21156');
    expect(checks).toHaveLength(1);
    const [check] = checks;
    expect(check?.type).toBe('misconfiguration');
    expect(check?.title).toBe('1.1.1 Ensure mounting of cramfs is disabled');
    expect(check?.sourceFindingId).toBe('21156:a1b2c3');
    expect(check?.solution).toBe('Add install cramfs /bin/true to /etc/modprobe.d/cramfs.conf');
    expect(check?.description).toBe('Removing support for unneeded file systems reduces the attack surface.');
  });

  it('counts every finding', async () => {
    const report = await parseFixture(nessusParser, FIXTURE);
    expect(report.findings.map((finding) => `${finding.assetKey} ${finding.vendorId}`)).toEqual([
      'web01.example.test 70001',
      'web01.example.test 19506',
      'web01.example.test 70002',
      'web01.example.test 21156',
      '2001:db8::25 70003',
      '2001:db8::25 70004',
    ]);
  });

  it('accepts hosts without findings', async () => {
    const xml = '<NessusClientData_v2><Report name="r"><ReportHost name="10.0.0.1"></ReportHost></Report></NessusClientData_v2>';
    const { assets, findings } = await parseText(nessusParser, xml);
    expect(assets).toEqual([{ reportKey: '10.0.0.1', name: '10.0.0.1', kind: 'host', ipv4: ['10.0.0.1'] }]);
    expect(findings).toEqual([]);
  });
});

describe('nessusParser bad input', () => {
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['no hosts', '<NessusClientData_v2><Report name="r"></Report></NessusClientData_v2>', 'empty'],
    ['other root element', '<?xml version="1.0"?><NessusClientData><Report/></NessusClientData>', 'wrong_format'],
    ['truncated file', readFixture(FIXTURE).slice(0, 2000), 'malformed'],
    ['external entity', '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><NessusClientData_v2>&xxe;</NessusClientData_v2>', 'forbidden_dtd'],
    ['undefined entity', '<NessusClientData_v2><Report name="&x;"/></NessusClientData_v2>', 'malformed'],
    ['item without pluginID', '<NessusClientData_v2><Report><ReportHost name="h"><ReportItem severity="1"/></ReportHost></Report></NessusClientData_v2>', 'malformed'],
    ['severity out of range', '<NessusClientData_v2><Report><ReportHost name="h"><ReportItem pluginID="1" severity="7"/></ReportHost></Report></NessusClientData_v2>', 'invalid_field'],
    ['invalid HOST_START', '<NessusClientData_v2><Report><ReportHost name="h"><HostProperties><tag name="HOST_START">yesterday</tag></HostProperties></ReportHost></Report></NessusClientData_v2>', 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(nessusParser, text);
    expect(error.code).toBe(code);
  });

  it('names the line of a truncation', async () => {
    const error = await parseError(nessusParser, readFixture(FIXTURE).slice(0, 2000));
    expect(error.position.line).toBeGreaterThan(20);
  });
});

describe('parseNessusDate', () => {
  it('parses ctime dates', () => {
    expect(parseNessusDate('Thu Jun 13 19:49:16 2013')).toEqual(new Date('2013-06-13T19:49:16Z'));
    expect(parseNessusDate('Mon Jul  1 11:40:48 2013')).toEqual(new Date('2013-07-01T11:40:48Z'));
  });

  it('rejects impossible dates', () => {
    expect(parseNessusDate('Thu Feb 31 19:49:16 2013')).toBeUndefined();
    expect(parseNessusDate('Thu Foo 13 19:49:16 2013')).toBeUndefined();
    expect(parseNessusDate('2013-06-13')).toBeUndefined();
  });
});
