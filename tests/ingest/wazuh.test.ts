import { describe, expect, it } from 'vitest';
import { wazuhParser } from '../../lib/ingest/formats/wazuh';
import { assetOf, findingOf, parseError, parseText, readFixture } from './parse-report';

const parse = (name: string, fileName = name) => parseText(wazuhParser, readFixture(`wazuh/${name}`), 97, { fileName });

describe('Wazuh 4.7 API response', () => {
  it('names the host after the file', async () => {
    const report = await parse('web-01.json');
    expect(report.assets).toEqual([{ reportKey: 'file', name: 'web-01', kind: 'host', hostname: 'web-01', raw: { scanner: 'Wazuh' } }]);
    expect(report.metadata).toMatchObject({ format: 'wazuh', source: 'Wazuh' });
  });

  it('maps a package vulnerability', async () => {
    const finding = findingOf(await parse('web-01.json'), 'file', 'CVE-2023-5678');
    expect(finding.type).toBe('vulnerability');
    expect(finding.cveId).toBe('CVE-2023-5678');
    expect(finding.title).toBe('CVE-2023-5678 affects openssl');
    expect(finding.severity).toBe(3);
    expect(finding.technology).toEqual({ product: 'openssl', version: '3.0.2-0ubuntu1.10' });
    expect(finding.fixedVersion).toBe('3.0.2-0ubuntu1.12');
    expect(finding.solution).toBe('Upgrade openssl to 3.0.2-0ubuntu1.12 or later.');
    expect(finding.cvss3BaseScore).toBe(5.3);
    expect(finding.cvss2BaseScore).toBeUndefined();
    expect(finding.references).toEqual(['https://nvd.nist.gov/vuln/detail/CVE-2023-5678']);
    expect(finding.firstSeen).toEqual(new Date('2024-05-02T08:00:00Z'));
    expect(finding.vulnerabilities).toEqual([
      { cveId: 'CVE-2023-5678', cvss3BaseScore: 5.3, publishedAt: new Date('2023-11-06'), references: [{ url: 'https://nvd.nist.gov/vuln/detail/CVE-2023-5678' }] },
    ]);
    expect(finding.raw).toMatchObject({ status: 'VALID', type: 'PACKAGE', architecture: 'amd64', updated: '2024-05-01', condition: 'Package less than 3.0.2-0ubuntu1.12', cvss2_score: 0 });
  });

  it('rates a vulnerability without severity by CVSS', async () => {
    const finding = findingOf(await parse('web-01.json'), 'file', 'CVE-2022-3715');
    expect(finding.severity).toBe(4);
    expect(finding.fixedVersion).toBeUndefined();
    expect(finding.references).toBeUndefined();
  });

  it('uses agent fields when an item has them', async () => {
    const text = '{"data": {"affected_items": [{"cve": "CVE-2023-1", "name": "curl", "version": "1", "agent_name": "agent-1", "agent_ip": "192.0.2.10", "agent_id": "005"}]}}';
    const report = await parseText(wazuhParser, text, 97, { fileName: 'x.json' });
    expect(report.assets[0]).toMatchObject({ name: 'agent-1', hostname: 'agent-1', ipv4: ['192.0.2.10'], raw: { agentId: '005' } });
    expect(report.assets[0]?.agentId).toBeUndefined();
  });
});

describe('Wazuh indexer response', () => {
  it('makes one host per agent', async () => {
    const report = await parse('indexer.json');
    expect(report.assets.map((asset) => asset.name)).toEqual(['db-01.example.test', 'build-02']);
    expect(assetOf(report, 'agent:db-01.example.test')).toMatchObject({
      kind: 'host',
      fqdn: 'db-01.example.test',
      ipv4: ['10.0.0.13'],
      os: 'Ubuntu 22.04.4 LTS (Jammy Jellyfish)',
      raw: { agent: { id: '003', version: 'v4.9.0' } },
    });
    expect(report.findings.filter((finding) => finding.assetKey === 'agent:db-01.example.test')).toHaveLength(2);
  });

  it('reads the agent under wazuh', async () => {
    const asset = assetOf(await parse('indexer.json'), 'agent:build-02');
    expect(asset).toMatchObject({ hostname: 'build-02', ipv4: ['10.0.0.27'], ipv6: ['fe80::1'], os: 'Debian 12' });
  });

  it('maps a hit', async () => {
    const finding = findingOf(await parse('indexer.json'), 'agent:db-01.example.test', 'CVE-2024-6387');
    expect(finding.title).toBe('CVE-2024-6387 affects openssh-server');
    expect(finding.severity).toBe(4);
    expect(finding.sourceFindingId).toBe('003_abc_CVE-2024-6387');
    expect(finding.technology).toEqual({ product: 'openssh-server', version: '1:8.9p1-3ubuntu0.6' });
    expect(finding.fixedVersion).toBe('1:8.9p1-3ubuntu0.10');
    expect(finding.cvss3BaseScore).toBe(8.1);
    expect(finding.description).toBe('A signal handler race condition in sshd allows unauthenticated remote code execution.');
    expect(finding.references).toEqual([
      'https://ubuntu.com/security/CVE-2024-6387',
      'https://www.cve.org/CVERecord?id=CVE-2024-6387',
      'https://cti.wazuh.com/vulnerabilities/cves/CVE-2024-6387',
    ]);
    expect(finding.firstSeen).toEqual(new Date('2024-07-02T10:00:00.000Z'));
    expect(finding.vulnerabilities?.[0]).toMatchObject({ cveId: 'CVE-2024-6387', cvss3BaseScore: 8.1, publishedAt: new Date('2024-07-01T13:15:00Z') });
    expect(finding.raw).toMatchObject({
      _index: 'wazuh-states-vulnerabilities-manager',
      _score: 1,
      package: { architecture: 'amd64', type: 'deb' },
      vulnerability: { category: 'Packages', enumeration: 'CVE', under_evaluation: false, scanner: { source: 'Canonical Security Tracker' } },
      wazuh: { cluster: { name: 'manager' } },
    });
  });

  it('rates an untriaged hit by CVSS', async () => {
    const finding = findingOf(await parse('indexer.json'), 'agent:build-02', 'CVE-2024-3094');
    expect(finding.severity).toBe(5);
    expect(finding.cvss3BaseScore).toBe(10);
  });
});

describe('Wazuh errors', () => {
  const context = { fileName: 'host.json' };

  it('rejects an unknown severity', async () => {
    const error = await parseError(wazuhParser, '{"data": {"affected_items": [{"cve": "CVE-2023-1", "name": "curl", "severity": "Urgent"}]}}', context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('data.affected_items[0].severity');
  });

  it('rejects an item without a package name', async () => {
    const error = await parseError(wazuhParser, '{"data": {"affected_items": [{"cve": "CVE-2023-1"}]}}', context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('data.affected_items[0].name');
  });

  it('rejects a hit without a vulnerability', async () => {
    const error = await parseError(wazuhParser, '{"hits": {"hits": [{"_source": {"agent": {"name": "a"}, "package": {"name": "p"}}}]}}', context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('hits.hits[0]._source.vulnerability');
  });

  it('rejects a CVSS score above 10', async () => {
    const error = await parseError(wazuhParser, '{"data": {"affected_items": [{"cve": "CVE-2023-1", "name": "curl", "cvss3_score": 11}]}}', context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('data.affected_items[0].cvss3_score');
  });

  it('rejects an export without vulnerabilities', async () => {
    const error = await parseError(wazuhParser, '{"data": {"affected_items": [], "total_affected_items": 0}}', context);
    expect(error.code).toBe('empty');
  });

  it('rejects a top-level array', async () => {
    const error = await parseError(wazuhParser, '[]', context);
    expect(error.code).toBe('malformed');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture('wazuh/indexer.json');
    const error = await parseError(wazuhParser, text.slice(0, 2000), context);
    expect(error.code).toBe('malformed');
  });
});
