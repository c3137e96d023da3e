import { describe, expect, it } from 'vitest';
import { awsSecurityHubParser } from '../../lib/ingest/formats/aws-securityhub';
import { assetOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const FIXTURE = 'aws/securityhub-findings.json';
const ACCOUNT = 'cloud_resource:AWS::::Account:111122223333';
const BUCKET = 'cloud_resource:arn:aws:s3:::shop-assets';
const EC2 = 'ec2:i-0123456789abcdef0';

function withFinding(patch: Record<string, unknown>): string {
  const report = JSON.parse(readFixture(FIXTURE)) as { Findings: Record<string, unknown>[] };
  report.Findings = [{ ...report.Findings[0], ...patch }];
  return JSON.stringify(report);
}

describe('awsSecurityHubParser', () => {
  it('maps resources to assets, including those of passed checks', async () => {
    const report = await parseFixture(awsSecurityHubParser, FIXTURE);
    expect(report.metadata).toEqual({ format: 'aws-securityhub', source: 'AWS Security Hub' });
    expect(report.assets.map((asset) => asset.reportKey)).toEqual([ACCOUNT, BUCKET, EC2]);
    expect(assetOf(report, ACCOUNT)).toMatchObject({ name: 'AWS::::Account:111122223333', kind: 'cloud_resource' });
    // Loopback and link-local addresses are left out of the host's addresses.
    expect(assetOf(report, EC2)).toMatchObject({ name: 'i-0123456789abcdef0', kind: 'host', cloudInstanceId: 'i-0123456789abcdef0', ipv4: ['10.0.1.15'] });
    expect(assetOf(report, EC2).ipv6).toBeUndefined();
    expect(assetOf(report, EC2).raw).toMatchObject({ resourceId: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0', awsAccountId: '111122223333' });
  });

  it('maps a failed control as a misconfiguration and skips a passed one', async () => {
    const report = await parseFixture(awsSecurityHubParser, FIXTURE);
    expect(report.findings.filter((finding) => finding.assetKey === BUCKET)).toEqual([]);
    const control = report.findings.find((finding) => finding.assetKey === ACCOUNT);
    expect(control).toMatchObject({
      type: 'misconfiguration',
      vendorId: 'IAM.6',
      title: 'IAM.6 Hardware MFA should be enabled for the root user',
      severity: 5,
      resource: 'AWS::::Account:111122223333',
      solution: 'Enable hardware MFA for the root user. https://docs.aws.amazon.com/console/securityhub/IAM.6/remediation',
      firstSeen: new Date('2024-04-01T10:00:00.000Z'),
      lastSeen: new Date('2024-04-02T10:00:00.000Z'),
    });
    expect(control?.policyName).toBe('aws-foundational-security-best-practices/v/1.0.0');
    expect(control?.raw).toMatchObject({
      policy: 'aws-foundational-security-best-practices/v/1.0.0',
      Compliance: { Status: 'FAILED', RelatedRequirements: ['CIS AWS Foundations Benchmark v1.2.0/1.14'] },
      GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/IAM.6',
    });
  });

  it('maps an Inspector finding through Security Hub as a package vulnerability', async () => {
    const report = await parseFixture(awsSecurityHubParser, FIXTURE);
    const kernel = report.findings.find((finding) => finding.cveId === 'CVE-2022-3643');
    expect(kernel).toMatchObject({
      assetKey: EC2,
      type: 'vulnerability',
      vendorId: 'CVE-2022-3643',
      // Only Severity.Normalized 75 is given: high.
      severity: 4,
      technology: { product: 'kernel', version: '4.14.301-224.520.amzn2', category: 'os' },
      fixedVersion: '0:5.10.162-141.675.amzn2',
      solution: 'yum update kernel',
      cvss3BaseScore: 10,
      sourceFindingId: 'arn:aws:inspector2:eu-west-1:111122223333:finding/bbbb0001',
    });
    expect(kernel?.references).toEqual(['https://nvd.nist.gov/vuln/detail/CVE-2022-3643', 'https://xenbits.xenproject.org/xsa/advisory-423.txt']);
    expect(kernel?.vulnerabilities).toEqual([{ cveId: 'CVE-2022-3643', cvss3BaseScore: 10, cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', epssScore: 0.0012 }]);
    expect(kernel?.raw.archived).toBe(true);
    expect(kernel?.raw.suppressed).toBeUndefined();
  });

  it('keeps a GuardDuty threat as a flagged misconfiguration-type finding', async () => {
    const report = await parseFixture(awsSecurityHubParser, FIXTURE);
    const threat = report.findings.find((finding) => finding.vendorId === 'Backdoor:EC2-C&CActivity.B!DNS');
    expect(threat).toMatchObject({ assetKey: EC2, type: 'misconfiguration', severity: 4, resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0' });
    expect(threat?.raw).toMatchObject({ threat: { types: ['TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS'], product: 'GuardDuty' }, suppressed: true, policy: 'GuardDuty' });
    expect(threat?.references).toEqual(['https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?fId=g-0001']);
    expect(report.findings).toHaveLength(3);
  });

  it('reads the lower-case findings key other exporters write', async () => {
    const text = readFixture(FIXTURE).replace('"Findings"', '"findings"');
    expect((await parseText(awsSecurityHubParser, text)).findings).toHaveLength(3);
  });

  it('treats WARNING as a finding, NOT_AVAILABLE as none', async () => {
    const warning = await parseText(awsSecurityHubParser, withFinding({ Compliance: { Status: 'WARNING' } }));
    expect(warning.findings.map((finding) => finding.type)).toEqual(['misconfiguration']);
    const unavailable = await parseText(awsSecurityHubParser, withFinding({ Compliance: { Status: 'NOT_AVAILABLE' } }));
    expect(unavailable.findings).toEqual([]);
    expect(unavailable.assets).toHaveLength(1);
  });

  it('names the standard of a consolidated control', async () => {
    const compliance = { Status: 'FAILED', SecurityControlId: 'IAM.6', AssociatedStandards: [{ StandardsId: 'ruleset/cis-aws-foundations-benchmark/v/1.2.0' }] };
    const report = await parseText(awsSecurityHubParser, withFinding({ Compliance: compliance, ProductFields: {} }));
    expect(report.findings[0]).toMatchObject({ vendorId: 'IAM.6', policyName: 'cis-aws-foundations-benchmark/v/1.2.0', raw: { policy: 'cis-aws-foundations-benchmark/v/1.2.0' } });
  });

  it('names an ECR image resource as docker pull does', async () => {
    const image = {
      Type: 'AwsEcrContainerImage',
      Id: 'arn:aws:ecr:eu-west-1:111122223333:repository/shop/web/sha256:abc',
      Region: 'eu-west-1',
      Details: { AwsEcrContainerImage: { RegistryId: '111122223333', RepositoryName: 'shop/web', ImageDigest: 'sha256:abc' } },
    };
    const report = await parseText(awsSecurityHubParser, withFinding({ Resources: [image] }));
    expect(report.assets[0]).toMatchObject({ kind: 'container_image', name: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/shop/web@sha256:abc' });
  });

  it('maps one finding per resource of a multi-resource finding', async () => {
    const resources = [
      { Type: 'AwsAccount', Id: 'AWS::::Account:111122223333' },
      { Type: 'AwsIamUser', Id: 'arn:aws:iam::111122223333:user/admin' },
    ];
    const report = await parseText(awsSecurityHubParser, withFinding({ Resources: resources }));
    expect(report.findings.map((finding) => finding.resource)).toEqual(['AWS::::Account:111122223333', 'arn:aws:iam::111122223333:user/admin']);
    expect(new Set(report.findings.map((finding) => finding.sourceFindingId)).size).toBe(2);
  });

  it('rejects other shapes and bad fields, naming the field', async () => {
    expect((await parseError(awsSecurityHubParser, '{"NextToken": "x"}')).message).toMatch(/no "Findings" array/);
    expect((await parseError(awsSecurityHubParser, '{"Findings": [[]]}')).message).toMatch(/Findings\[0\] must be an ASFF finding object/);
    expect((await parseError(awsSecurityHubParser, withFinding({ Title: undefined }))).position.field).toBe('Findings[0].Title');
    expect((await parseError(awsSecurityHubParser, withFinding({ Resources: [{ Type: 'AwsAccount' }] }))).position.field).toBe('Findings[0].Resources[0].Id');
    const severity = await parseError(awsSecurityHubParser, withFinding({ Severity: { Label: 'URGENT' } }));
    expect(severity.message).toMatch(/unknown AWS Security Hub severity "URGENT" in Findings\[0\]\.Severity\.Label/);
    const none = await parseError(awsSecurityHubParser, withFinding({ Severity: {} }));
    expect(none.position.field).toBe('Findings[0].Severity');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture(FIXTURE);
    expect((await parseError(awsSecurityHubParser, text.slice(0, 900))).code).toBe('malformed');
  });
});
