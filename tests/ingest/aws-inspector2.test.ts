import { describe, expect, it } from 'vitest';
import { awsInspector2Parser } from '../../lib/ingest/formats/aws-inspector2';
import { assetOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const FIXTURE = 'aws/inspector2-findings.json';
const EC2 = 'ec2:i-0123456789abcdef0';
const IMAGE = 'image:111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:2.3.0';
const LAMBDA = 'cloud_resource:arn:aws:lambda:eu-west-1:111122223333:function:orders-api:$LATEST';
const CLOSED_EC2 = 'ec2:i-0fedcba9876543210';

/** The fixture with one finding's fields replaced, for the error cases. */
function withFinding(patch: Record<string, unknown>): string {
  const report = JSON.parse(readFixture(FIXTURE)) as { findings: Record<string, unknown>[] };
  report.findings = [{ ...report.findings[0], ...patch }];
  return JSON.stringify(report);
}

describe('awsInspector2Parser', () => {
  it('maps each resource to an asset once', async () => {
    const report = await parseFixture(awsInspector2Parser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'aws-inspector2', source: 'Amazon Inspector' });
    expect(report.assets.map((asset) => asset.reportKey)).toEqual([EC2, IMAGE, LAMBDA, CLOSED_EC2]);

    expect(assetOf(report, EC2)).toMatchObject({ name: 'i-0123456789abcdef0', kind: 'host', cloudInstanceId: 'i-0123456789abcdef0', ipv4: ['10.0.1.15'], os: 'AMAZON_LINUX_2' });
    expect(assetOf(report, EC2).raw).toMatchObject({ awsAccountId: '111122223333', region: 'eu-west-1', tags: { Name: 'web-1' } });
    expect(assetOf(report, IMAGE)).toMatchObject({ name: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web:2.3.0', kind: 'container_image' });
    expect(assetOf(report, LAMBDA)).toMatchObject({ name: 'arn:aws:lambda:eu-west-1:111122223333:function:orders-api:$LATEST', kind: 'cloud_resource' });
  });

  it('maps a package vulnerability per vulnerable package', async () => {
    const report = await parseFixture(awsInspector2Parser, FIXTURE);
    const openssl = report.findings.filter((finding) => finding.vendorId === 'CVE-2023-0001');
    expect(openssl.map((finding) => finding.technology?.product)).toEqual(['openssl', 'openssl-libs']);
    expect(openssl[0]).toMatchObject({
      assetKey: EC2,
      type: 'vulnerability',
      cveId: 'CVE-2023-0001',
      cveIds: ['CVE-2023-0001', 'CVE-2023-0002'],
      title: 'CVE-2023-0001 - openssl',
      severity: 4,
      sourceFindingId: 'arn:aws:inspector2:eu-west-1:111122223333:finding/aaaa0001#0',
      technology: { product: 'openssl', version: '1:1.0.2k-19.amzn2', category: 'os' },
      fixedVersion: '1:1.0.2k-24.amzn2',
      solution: 'yum update openssl',
      // NVD's rating is preferred over the distribution's.
      cvss3BaseScore: 7.5,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      references: ['https://alas.aws.amazon.com/cve/html/CVE-2023-0001.html', 'https://www.openssl.org/news/secadv/20230101.txt'],
      firstSeen: new Date('2024-03-01T09:00:00Z'),
      lastSeen: new Date('2024-03-05T09:00:00Z'),
    });
    expect(openssl[0]?.vulnerabilities?.[0]).toMatchObject({ cveId: 'CVE-2023-0001', epssScore: 0.0421, cvss3BaseScore: 7.5 });
    expect(openssl[0]?.raw).toMatchObject({ exploitAvailable: 'YES', inspectorScore: 7.5, package: { arch: 'X86_64', remediation: 'yum update openssl' } });
  });

  it('flags suppressed, rates untriaged by CVSS', async () => {
    const report = await parseFixture(awsInspector2Parser, FIXTURE);
    const requests = report.findings.find((finding) => finding.vendorId === 'CVE-2024-1111');
    expect(requests).toMatchObject({
      assetKey: IMAGE,
      severity: 3,
      technology: { product: 'requests', version: '2.31.0', path: 'app/requirements.txt', category: 'pip' },
      fixedVersion: '2.32.4',
      solution: 'Upgrade requests to 2.32.4.',
      sourceFindingId: 'arn:aws:inspector2:eu-west-1:111122223333:finding/aaaa0002',
    });
    expect(requests?.raw.suppressed).toBe(true);
  });

  it('maps code and network reachability findings', async () => {
    const report = await parseFixture(awsInspector2Parser, FIXTURE);
    const code = report.findings.find((finding) => finding.assetKey === LAMBDA);
    expect(code).toMatchObject({ type: 'vulnerability', vendorId: 'python/log-injection@v1.0', cweIds: ['CWE-117', 'CWE-93'], resource: 'src/handler.py:42', severity: 3 });
    expect(code?.firstSeen).toEqual(new Date('2024-03-03T09:00:00Z'));
    const network = report.findings.find((finding) => finding.title.startsWith('Port 22'));
    expect(network).toMatchObject({ assetKey: EC2, port: 22, protocol: 'tcp', vendorId: 'arn:aws:inspector2:eu-west-1:111122223333:finding/aaaa0004' });
  });

  it('imports a CLOSED finding as its resource only', async () => {
    const report = await parseFixture(awsInspector2Parser, FIXTURE);
    expect(report.findings.some((finding) => finding.vendorId === 'CVE-2022-9999')).toBe(false);
    expect(report.findings.some((finding) => finding.assetKey === CLOSED_EC2)).toBe(false);
    expect(report.findings).toHaveLength(5);
  });

  it('rejects other shapes, naming the field', async () => {
    expect((await parseError(awsInspector2Parser, '[]')).message).toMatch(/expected a JSON object with "findings"/);
    expect((await parseError(awsInspector2Parser, '{"findings": {}}')).message).toMatch(/findings must be an array/);
    expect((await parseError(awsInspector2Parser, '{"nextToken": null}')).message).toMatch(/no "findings" array/);
    expect((await parseError(awsInspector2Parser, '{"findings": [1]}')).message).toMatch(/findings\[0\] must be a finding object/);
  });

  it('rejects a finding without an ARN, resources or a known severity', async () => {
    const noArn = await parseError(awsInspector2Parser, withFinding({ findingArn: undefined }));
    expect(noArn.position.field).toBe('findings[0].findingArn');
    const noResources = await parseError(awsInspector2Parser, withFinding({ resources: [] }));
    expect(noResources.position.field).toBe('findings[0].resources');
    const severity = await parseError(awsInspector2Parser, withFinding({ severity: 'SEVERE' }));
    expect(severity.message).toMatch(/unknown Amazon Inspector severity "SEVERE" in findings\[0\]\.severity/);
    const date = await parseError(awsInspector2Parser, withFinding({ lastObservedAt: 'yesterday' }));
    expect(date.position.field).toBe('findings[0].lastObservedAt');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture(FIXTURE);
    const error = await parseError(awsInspector2Parser, text.slice(0, text.length / 2));
    expect(error.code).toBe('malformed');
  });

  it('reads chunk boundaries anywhere', async () => {
    const text = readFixture(FIXTURE);
    const small = await parseText(awsInspector2Parser, text, 7);
    const large = await parseText(awsInspector2Parser, text, 100_000);
    expect(small.findings).toEqual(large.findings);
  });
});
