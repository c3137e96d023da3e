import { describe, expect, it } from 'vitest';
import { qualysDetectionParser } from '../../lib/ingest/formats/qualys-detection';
import { assetOf, findingOf, parseError, parseFixture, readFixture } from './parse-report';

const FIXTURE = 'qualys-detection.xml';

describe('qualysDetectionParser', () => {
  it('maps an agent-tracked host', async () => {
    const report = await parseFixture(qualysDetectionParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'qualys-detection', source: 'Qualys' });
    expect(assetOf(report, '1001')).toEqual({
      reportKey: '1001',
      name: 'db44.example.test',
      kind: 'host',
      ipv4: ['192.0.2.44'],
      fqdn: 'db44.example.test',
      hostname: 'DB44',
      os: 'Red Hat Enterprise Linux 8.6',
      agentId: '0d9b2f7a-1111-4a3c-9e0f-2b2b2b2b2b2b',
      lastSeen: new Date('2024-03-02T22:15:00Z'),
      raw: {
        ID: '1001',
        ASSET_ID: '5001',
        TRACKING_METHOD: 'AGENT',
        DNS_DATA: { HOSTNAME: 'db44', DOMAIN: 'example.test', FQDN: 'db44.example.test' },
        LAST_VM_SCANNED_DATE: '2024-03-02T22:15:00Z',
      },
    });
  });

  it('maps an IPv6 host', async () => {
    const report = await parseFixture(qualysDetectionParser, FIXTURE);
    const host = assetOf(report, '1002');
    expect(host.name).toBe('2001:db8::44');
    expect(host.ipv6).toEqual(['2001:db8::44']);
    expect(host.ipv4).toBeUndefined();
    expect(host.os).toBe('Windows Server 2019');
  });

  it('maps a confirmed detection', async () => {
    const report = await parseFixture(qualysDetectionParser, FIXTURE);
    const finding = findingOf(report, '1001', '38657');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      title: 'QID 38657',
      severity: 3,
      sourceFindingId: '9000001',
      port: 5432,
      protocol: 'tcp',
      firstSeen: new Date('2023-12-01T10:00:00Z'),
      lastSeen: new Date('2024-03-02T22:15:00Z'),
    });
    expect(finding.raw).toEqual({
      qualysType: 'confirmed',
      qualysSeverity: 3,
      ssl: true,
      UNIQUE_VULN_ID: '9000001',
      RESULTS: 'TLSv1.2 with 64-bit block cipher DES-CBC3-SHA',
      STATUS: 'Active',
      TIMES_FOUND: '14',
      IS_IGNORED: '0',
      IS_DISABLED: '0',
    });
  });

  it('maps potential and Info detections', async () => {
    const report = await parseFixture(qualysDetectionParser, FIXTURE);
    const potential = findingOf(report, '1001', '376023');
    expect(potential.severity).toBe(4);
    expect(potential.raw.qualysType).toBe('potential');
    expect(potential.port).toBeUndefined();
    const info = findingOf(report, '1001', '45038');
    expect(info.severity).toBe(1);
    expect(info.raw.qualysSeverity).toBe(2);
  });

  it('derives an id without UNIQUE_VULN_ID', async () => {
    const report = await parseFixture(qualysDetectionParser, FIXTURE);
    const finding = findingOf(report, '1002', '91541');
    expect(finding.severity).toBe(5);
    expect(finding.sourceFindingId).toBe('91541:3389/tcp');
  });

  it('leaves out fixed detections', async () => {
    const report = await parseFixture(qualysDetectionParser, FIXTURE);
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['38657', '376023', '45038', '91541']);
  });
});

describe('qualysDetectionParser bad input', () => {
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['no hosts', '<HOST_LIST_VM_DETECTION_OUTPUT><RESPONSE><DATETIME>2024-01-01T00:00:00Z</DATETIME></RESPONSE></HOST_LIST_VM_DETECTION_OUTPUT>', 'empty'],
    ['other root element', '<SIMPLE_RETURN><RESPONSE><TEXT>Bad request</TEXT></RESPONSE></SIMPLE_RETURN>', 'wrong_format'],
    ['truncated file', readFixture(FIXTURE).slice(0, 1800), 'malformed'],
    ['external entity', '<!DOCTYPE HOST_LIST_VM_DETECTION_OUTPUT [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]><HOST_LIST_VM_DETECTION_OUTPUT/>', 'forbidden_dtd'],
    ['unknown TYPE', '<HOST_LIST_VM_DETECTION_OUTPUT><RESPONSE><HOST_LIST><HOST><ID>1</ID><DETECTION_LIST><DETECTION><QID>1</QID><TYPE>Maybe</TYPE><SEVERITY>3</SEVERITY></DETECTION></DETECTION_LIST></HOST></HOST_LIST></RESPONSE></HOST_LIST_VM_DETECTION_OUTPUT>', 'invalid_field'],
    ['invalid date', '<HOST_LIST_VM_DETECTION_OUTPUT><RESPONSE><HOST_LIST><HOST><ID>1</ID><LAST_SCAN_DATETIME>last week</LAST_SCAN_DATETIME></HOST></HOST_LIST></RESPONSE></HOST_LIST_VM_DETECTION_OUTPUT>', 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(qualysDetectionParser, text);
    expect(error.code).toBe(code);
  });
});
