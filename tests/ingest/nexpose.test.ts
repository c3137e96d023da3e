import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findings, vulnerabilities } from '../../db/schema';
import { nexposeParser } from '../../lib/ingest/formats/nexpose';
import { nexposeSeverity } from '../../lib/ingest/formats/nexpose-findings';
import { importReport } from '../../lib/ingest/import-report';
import { DEFAULT_MEMORY_ITEMS } from '../../lib/ingest/spill-queue';
import { createTestDb } from '../helpers/test-db';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const FIXTURE = 'nexpose-export.xml';

/** Moves VulnerabilityDefinitions before the nodes, an order Nexpose does not write but the parser accepts. */
function definitionsFirst(text: string): string {
  const start = text.indexOf('  <VulnerabilityDefinitions>');
  const end = text.indexOf('</VulnerabilityDefinitions>') + '</VulnerabilityDefinitions>'.length;
  const definitions = text.slice(start, end);
  const withoutDefinitions = text.slice(0, start) + text.slice(end);
  return withoutDefinitions.replace('  <nodes>', `${definitions}\n  <nodes>`);
}

/** Builds a report with one node whose tests reference one definition `count` times, on distinct ports. */
function manyTests(count: number): string {
  const endpoints = Array.from(
    { length: count },
    (_, index) =>
      `<endpoint protocol="tcp" port="${1 + index}" status="open"><services><service name="x"><tests><test id="weak-cipher" status="vulnerable-exploited"/></tests></service></services></endpoint>`,
  ).join('');
  return `<NexposeReport version="2.0"><nodes><node address="10.0.0.1"><endpoints>${endpoints}</endpoints></node></nodes>
<VulnerabilityDefinitions><vulnerability id="weak-cipher" title="Weak cipher" severity="5"/></VulnerabilityDefinitions></NexposeReport>`;
}

function minimalReport(nodeBody: string, definitions = '<vulnerability id="x" title="X" severity="5"/>'): string {
  return `<NexposeReport version="2.0"><nodes><node address="10.0.0.1">${nodeBody}</node></nodes><VulnerabilityDefinitions>${definitions}</VulnerabilityDefinitions></NexposeReport>`;
}

describe('nexposeParser export', () => {
  it('maps scan time and title', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    expect(report.metadata).toEqual({
      format: 'nexpose',
      source: 'Nexpose',
      title: 'Shop weekly',
      scannedAt: new Date('2024-05-02T23:00:00.000Z'),
    });
  });

  it('maps a named node to a host', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    expect(report.assets).toHaveLength(2);
    const asset = assetOf(report, '10.20.0.5');
    expect(asset).toMatchObject({
      name: 'web01.shop.example.test',
      kind: 'host',
      fqdn: 'web01.shop.example.test',
      hostname: 'WEB01',
      ipv4: ['10.20.0.5'],
      mac: ['00:50:56:9a:1b:2c'],
      os: 'Ubuntu Linux 22.04',
    });
    expect(asset.raw).toMatchObject({
      'device-id': '301',
      'site-name': 'Shop',
      'risk-score': '912.5',
      names: ['web01.shop.example.test', 'WEB01'],
      software: { fingerprint: { product: 'OpenSSL', version: '3.0.2' } },
      testResultsWithoutFinding: { 'not-vulnerable': 1, 'skipped-version': 1, error: 1 },
    });
    expect(asset.raw?.operatingSystems).toHaveLength(2);
    expect(asset.raw?.endpoints).toEqual([
      expect.objectContaining({
        port: '443',
        protocol: 'tcp',
        services: [expect.objectContaining({ name: 'HTTPS', fingerprints: { fingerprint: expect.objectContaining({ product: 'nginx', version: '1.18.0' }) } })],
      }),
      expect.objectContaining({ port: '123', protocol: 'udp' }),
    ]);
  });

  it('maps an unnamed IPv6 node', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const asset = assetOf(report, 'fd00::17');
    expect(asset).toMatchObject({ name: 'fd00::17', kind: 'host', ipv6: ['fd00::17'], os: 'FreeBSD 13.2' });
    expect(asset.fqdn).toBeUndefined();
    expect(asset.hostname).toBeUndefined();
  });

  it('keeps only vulnerable test results', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const ids = report.findings.map((finding) => `${finding.assetKey} ${finding.vendorId}`);
    expect(ids.sort()).toEqual([
      '10.20.0.5 generic-tcp-timestamp',
      '10.20.0.5 ssl-weak-protocol',
      '10.20.0.5 tls-openssl-cve-2022-3602',
      'fd00::17 freebsd-ssh-rce',
      'fd00::17 generic-tcp-timestamp',
    ]);
  });

  it('joins an endpoint test with its definition', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const finding = findingOf(report, '10.20.0.5', 'tls-openssl-cve-2022-3602');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      title: 'OpenSSL: X.509 Email Address 4-byte Buffer Overflow (CVE-2022-3602)',
      severity: 4,
      port: 443,
      protocol: 'tcp',
      cveId: 'CVE-2022-3602',
      cveIds: ['CVE-2022-3602', 'CVE-2022-3786'],
      cweIds: ['CWE-120'],
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      cvss3BaseScore: 7.5,
      references: ['https://www.openssl.org/news/secadv/20221101.txt'],
      firstSeen: new Date('2024-04-10T12:00:00.000Z'),
      sourceFindingId: 'tls-openssl-cve-2022-3602:443/tcp:/usr/lib/libssl.so.3',
      description: 'A buffer overrun can be triggered in X.509 certificate verification.\n\n1. Name constraint checking\n2. Punycode decoding',
      solution: 'Upgrade OpenSSL to 3.0.7 (https://www.openssl.org/source/)',
    });
    expect(finding.cvss2Vector).toBeUndefined();
    expect(finding.raw).toMatchObject({
      status: 'vulnerable-version',
      nexposeSeverity: 8,
      key: '/usr/lib/libssl.so.3',
      service: 'HTTPS',
      'scan-id': '41',
      'pci-compliance-status': 'fail',
      exploit_available: 'true',
      tags: ['OpenSSL', 'Web'],
      definition: { pciSeverity: '5', riskScore: '650.1', added: '20221101T000000000', modified: '20230101T000000000' },
    });
    expect(finding.raw.exploited_by_malware).toBeUndefined();
    expect(finding.raw.references).toContainEqual({ source: 'BID', value: '12345' });
    expect(finding.raw.proof).toBe(
      'Vulnerable version of OpenSSL detected:\n\n- Installed: 3.0.2\n- Fixed: 3.0.7 OpenSSL advisory (https://www.openssl.org/news/secadv/20221101.txt)',
    );
    // Two CVEs: the definition's scores are not attributed to either one.
    expect(finding.vulnerabilities).toEqual([{ cveId: 'CVE-2022-3602' }, { cveId: 'CVE-2022-3786' }]);
  });

  it('keeps a potential result with both CVSS versions', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const finding = findingOf(report, '10.20.0.5', 'ssl-weak-protocol');
    expect(finding).toMatchObject({ severity: 3, cvss2BaseScore: 4.3, cvss2Vector: 'AV:N/AC:M/Au:N/C:P/I:N/A:N', cvss3BaseScore: 5.9 });
    expect(finding.raw.status).toBe('vulnerable-potential');
    expect(finding.raw.proof).toBe('TLSv1.0 is enabled');
    expect(finding.cveId).toBeUndefined();
  });

  it('maps a node-level test without a port', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const finding = findingOf(report, '10.20.0.5', 'generic-tcp-timestamp');
    expect(finding).toMatchObject({ title: 'TCP timestamp response', severity: 2, cvss2BaseScore: 0, cvss2Vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:N' });
    expect(finding.port).toBeUndefined();
    expect(finding.protocol).toBeUndefined();
    expect(finding.solution).toBe('Disable TCP timestamps:\n\nsysctl -w net.ipv4.tcp_timestamps=0\n  # keep it after a reboot');
    expect(finding.raw.definition).toEqual({ pciSeverity: '1', added: '20110401T000000000', modified: '20180321T000000000', riskScore: '0.0' });
    expect(finding.raw.exploit_available).toBeUndefined();
  });

  it('looks up definitions regardless of case', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const finding = findingOf(report, 'fd00::17', 'generic-tcp-timestamp');
    expect(finding.title).toBe('TCP timestamp response');
  });

  it('flags malware and the CVE facts', async () => {
    const report = await parseFixture(nexposeParser, FIXTURE);
    const finding = findingOf(report, 'fd00::17', 'freebsd-ssh-rce');
    expect(finding.severity).toBe(5);
    expect(finding.raw.exploited_by_malware).toBe('true');
    expect(finding.raw.definition).toMatchObject({ malware: { name: 'ExampleBot' } });
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2023-99999',
        cvss2Vector: 'AV:N/AC:L/Au:N/C:C/I:C/A:C',
        cvss2BaseScore: 10,
        publishedAt: new Date('2023-08-01T00:00:00.000Z'),
      },
    ]);
  });

  it('reads definitions placed before the nodes', async () => {
    const usual = await parseFixture(nexposeParser, FIXTURE);
    const reordered = await parseText(nexposeParser, definitionsFirst(readFixture(FIXTURE)));
    const strip = (report: typeof usual) => report.findings.map(({ position: _position, ...finding }) => finding);
    expect(strip(reordered)).toEqual(strip(usual));
  });

  it('spills test results beyond the memory limit', async () => {
    const count = DEFAULT_MEMORY_ITEMS + 150;
    const report = await parseText(nexposeParser, manyTests(count), 4096);
    expect(report.findings).toHaveLength(count);
    expect(new Set(report.findings.map((finding) => finding.port)).size).toBe(count);
    expect(report.findings.every((finding) => finding.title === 'Weak cipher' && finding.severity === 3)).toBe(true);
  });
});

describe('nexposeSeverity', () => {
  it.each([
    [0, 1],
    [1, 2],
    [3, 2],
    [4, 3],
    [6, 3],
    [7, 4],
    [8, 4],
    [9, 5],
    [10, 5],
  ])('maps %i to %i', (nexpose, product) => {
    expect(nexposeSeverity(nexpose)).toBe(product);
  });
});

describe('nexposeParser errors', () => {
  it('rejects another root element', async () => {
    const error = await parseError(nexposeParser, '<NessusClientData_v2><Report/></NessusClientData_v2>');
    expect(error.code).toBe('wrong_format');
  });

  it('rejects truncated XML', async () => {
    const text = readFixture(FIXTURE);
    const error = await parseError(nexposeParser, text.slice(0, text.indexOf('<VulnerabilityDefinitions>') + 200));
    expect(error.code).toBe('malformed');
    expect(error.position.line).toBeGreaterThan(1);
  });

  it('rejects a node without address', async () => {
    const error = await parseError(nexposeParser, '<NexposeReport version="2.0"><nodes><node status="alive"/></nodes></NexposeReport>');
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('node has no address attribute');
  });

  it('rejects a severity outside 0 to 10', async () => {
    const error = await parseError(nexposeParser, minimalReport('', '<vulnerability id="x" title="X" severity="11"/>'));
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('severity');
  });

  it('rejects a test without its definition', async () => {
    const text = minimalReport('<tests>\n<test id="missing-check" status="vulnerable-exploited"/></tests>');
    const error = await parseError(nexposeParser, text);
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('"missing-check"');
    expect(error.position.line).toBe(2);
  });

  it('rejects results without definitions section', async () => {
    const error = await parseError(nexposeParser, '<NexposeReport version="2.0"><nodes><node address="10.0.0.1"><tests><test id="x" status="vulnerable-version"/></tests></node></nodes></NexposeReport>');
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('VulnerabilityDefinitions');
  });

  it('rejects a report without nodes', async () => {
    const error = await parseError(nexposeParser, '<NexposeReport version="2.0"><nodes/><VulnerabilityDefinitions/></NexposeReport>');
    expect(error.code).toBe('empty');
  });

  it('rejects an invalid date', async () => {
    const error = await parseError(nexposeParser, minimalReport('<tests><test id="x" status="vulnerable-exploited" vulnerable-since="20240231T000000000"/></tests>'));
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('vulnerable-since');
  });

  it('rejects an invalid port', async () => {
    const error = await parseError(nexposeParser, minimalReport('<endpoints><endpoint protocol="tcp" port="70000"/></endpoints>'));
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('port');
  });
});

describe('nexposeParser import', () => {
  it('stores findings and CVE facts', async () => {
    const handle = await createTestDb();
    try {
      const fixture = fileURLToPath(new URL(`../fixtures/ingest/${FIXTURE}`, import.meta.url));
      const summary = await importReport(handle.db, { fileName: FIXTURE, path: fixture });
      expect(summary.error?.message).toBeUndefined();
      expect(summary.format).toBe('nexpose');
      expect(summary.counts.assetsCreated).toBe(2);
      expect(summary.counts.findingsNew).toBe(5);

      const [row] = await handle.db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, 'CVE-2023-99999'));
      expect(row?.cvss2BaseScore).toBe(10);
      expect(row?.publishedAt?.toISOString()).toBe('2023-08-01T00:00:00.000Z');
      const stored = await handle.db.select({ sources: findings.sources }).from(findings);
      expect(stored.every((finding) => finding.sources.includes('Nexpose'))).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
