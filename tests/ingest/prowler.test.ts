import { describe, expect, it } from 'vitest';
import { prowlerCsvParser } from '../../lib/ingest/formats/prowler-csv';
import { prowlerOcsfParser } from '../../lib/ingest/formats/prowler-ocsf';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

const EC2 = 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1234def567890';
const ACCOUNT = 'AWS account 123456789012';
const STORAGE = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stcontoso';

describe('Prowler OCSF parser', () => {
  it('emits every resource, passed ones too', async () => {
    const report = await parseFixture(prowlerOcsfParser, 'prowler/aws.ocsf.json');
    expect(report.assets.map((asset) => asset.name)).toEqual([EC2, 'arn:aws:s3:::logs-bucket', ACCOUNT]);
    expect(report.assets.every((asset) => asset.kind === 'cloud_resource')).toBe(true);
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['ec2_instance_imdsv2_enabled', 'account_maintain_current_contact_details', 'guardduty_is_enabled']);
    expect(report.metadata).toMatchObject({ format: 'prowler-ocsf', source: 'Prowler', scannedAt: new Date(1739539623 * 1000) });
  });

  it('maps an EC2 instance', async () => {
    const report = await parseFixture(prowlerOcsfParser, 'prowler/aws.ocsf.json');
    const asset = assetOf(report, EC2);
    expect(asset.cloudInstanceId).toBe('i-0abc1234def567890');
    expect(asset.raw).toMatchObject({ provider: 'aws', accountUid: '123456789012', accountName: 'production', region: 'eu-west-1', resourceType: 'AwsEc2Instance', partition: 'aws' });
  });

  it('maps a failed check', async () => {
    const finding = findingOf(await parseFixture(prowlerOcsfParser, 'prowler/aws.ocsf.json'), EC2, 'ec2_instance_imdsv2_enabled');
    expect(finding.type).toBe('misconfiguration');
    expect(finding.severity).toBe(4);
    expect(finding.title).toBe('Check if EC2 Instance Metadata Service Version 2 (IMDSv2) is Enabled and Required.');
    expect(finding.resource).toBe(EC2);
    expect(finding.sourceFindingId).toBe('prowler-aws-ec2_instance_imdsv2_enabled-123456789012-eu-west-1-i-0abc1234def567890');
    expect(finding.description).toBe(
      'EC2 Instance i-0abc1234def567890 has IMDSv2 disabled or not required.\n\n' +
        'Check if EC2 Instance Metadata Service Version 2 (IMDSv2) is Enabled and Required.\n\n' +
        'Risk: IMDSv1 can be abused through server-side request forgery to steal instance credentials.',
    );
    expect(finding.solution).toBe('Require IMDSv2 on the instance.\naws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required');
    expect(finding.references).toEqual([
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
      'https://example.test/imds',
    ]);
    expect(finding.lastSeen).toEqual(new Date(1739539623 * 1000));
    expect(finding.raw).toMatchObject({ policy: 'CIS-3.0, AWS-Foundational-Security-Best-Practices', status: 'FAIL', severity_id: 4, message: 'EC2 Instance i-0abc1234def567890 has IMDSv2 disabled or not required.' });
    expect(finding.raw.resource).toMatchObject({ data: { metadata: { http_tokens: 'optional' } } });
  });

  it('maps a manual check to informational', async () => {
    const finding = findingOf(await parseFixture(prowlerOcsfParser, 'prowler/aws.ocsf.json'), ACCOUNT, 'account_maintain_current_contact_details');
    expect(finding.severity).toBe(1);
    expect(finding.raw.manualCheck).toBe(true);
    expect(finding.raw.status).toBe('MANUAL');
    expect(finding.resource).toBe('arn:aws:iam::123456789012:root (us-east-1)');
  });

  it('flags a muted result as suppressed', async () => {
    const finding = findingOf(await parseFixture(prowlerOcsfParser, 'prowler/aws.ocsf.json'), ACCOUNT, 'guardduty_is_enabled');
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.severity).toBe(3);
    expect(finding.resource).toBe('123456789012 (eu-west-1)');
  });

  it('names Kubernetes resources by namespace, type and name', async () => {
    const text = JSON.stringify([
      {
        metadata: { event_code: 'apiserver_audit_log_path_set', product: { name: 'Prowler' } },
        finding_info: { title: 'Ensure that the --audit-log-path argument is set', uid: 'u1' },
        status_code: 'FAIL',
        severity: 'Medium',
        resources: [{ uid: '8b0c4c4e-5b1f-4b54-9d8f-2a4b5a5e7e61', name: 'kube-apiserver-cp1', namespace: 'kube-system', type: 'KubernetesAPIServer' }],
      },
    ]);
    const report = await parseText(prowlerOcsfParser, text);
    expect(report.assets[0]).toMatchObject({ name: 'kube-system/KubernetesAPIServer/kube-apiserver-cp1', raw: { resourceUid: '8b0c4c4e-5b1f-4b54-9d8f-2a4b5a5e7e61' } });
    expect(report.findings[0]?.resource).toBe('kube-system/KubernetesAPIServer/kube-apiserver-cp1');
  });
});

describe('Prowler OCSF errors', () => {
  it('rejects an unknown status', async () => {
    const error = await parseError(prowlerOcsfParser, '[{"metadata": {"event_code": "x"}, "finding_info": {}, "status_code": "ERROR", "resources": [{"uid": "r"}]}]');
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('[0].status_code');
  });

  it('rejects a finding without a check id', async () => {
    const error = await parseError(prowlerOcsfParser, '[{"metadata": {}, "finding_info": {}, "status_code": "FAIL"}]');
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('[0].metadata.event_code');
  });

  it('rejects an unknown severity', async () => {
    const error = await parseError(prowlerOcsfParser, '[{"metadata": {"event_code": "x"}, "finding_info": {}, "status_code": "FAIL", "severity": "Severe", "resources": [{"uid": "r"}]}]');
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('[0].severity');
  });

  it('rejects a result without resource and account', async () => {
    const error = await parseError(prowlerOcsfParser, '[{"metadata": {"event_code": "x"}, "finding_info": {}, "status_code": "FAIL", "resources": []}]');
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('no resource uid and no account uid');
  });

  it('rejects a top-level object', async () => {
    const error = await parseError(prowlerOcsfParser, '{"findings": []}');
    expect(error.code).toBe('malformed');
  });

  it('rejects an empty array', async () => {
    const error = await parseError(prowlerOcsfParser, '[]');
    expect(error.code).toBe('empty');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture('prowler/aws.ocsf.json');
    const error = await parseError(prowlerOcsfParser, text.slice(0, 3000));
    expect(error.code).toBe('malformed');
  });
});

describe('Prowler CSV parser', () => {
  it('maps resources and the account', async () => {
    const report = await parseFixture(prowlerCsvParser, 'prowler/azure.csv');
    expect(report.assets.map((asset) => asset.name)).toEqual([STORAGE, STORAGE.replace('stcontoso', 'stlogs'), 'Azure subscription 00000000-1111-2222-3333-444444444444']);
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['storage_secure_transfer_required', 'defender_ensure_defender_for_server_is_on']);
    expect(report.metadata.scannedAt).toEqual(new Date('2025-02-14T14:27:30.710664Z'));
    expect(assetOf(report, STORAGE).raw).toMatchObject({ provider: 'azure', accountName: 'Production', ACCOUNT_ORGANIZATION_NAME: 'Contoso', PARTITION: 'AzureCloud', region: 'westeurope' });
  });

  it('maps a failed row', async () => {
    const finding = findingOf(await parseFixture(prowlerCsvParser, 'prowler/azure.csv'), STORAGE, 'storage_secure_transfer_required');
    expect(finding.severity).toBe(4);
    expect(finding.title).toBe('Ensure that Secure transfer required is set to Enabled');
    expect(finding.sourceFindingId).toBe('prowler-azure-storage_secure_transfer_required-1');
    expect(finding.description).toBe('Storage account stcontoso does not require secure transfer.\n\nSecure transfer refuses connections over plain HTTP.\n\nRisk: Plain HTTP exposes data in transit.');
    expect(finding.solution).toBe('Enable secure transfer on the storage account.\nCLI: az storage account update --https-only true');
    expect(finding.references).toEqual(['https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer', 'https://example.test/a', 'https://example.test/b']);
    expect(finding.raw).toMatchObject({ policy: 'CIS-2.0, ENS-RD2022', COMPLIANCE: 'CIS-2.0: 3.1 | ENS-RD2022: mp.com.2.az.1', AUTH_METHOD: 'az_cli', SERVICE_NAME: 'storage', CATEGORIES: 'encryption' });
    expect(finding.position).toEqual({ line: 2 });
  });

  it('flags a muted row on the subscription', async () => {
    const finding = findingOf(await parseFixture(prowlerCsvParser, 'prowler/azure.csv'), 'Azure subscription 00000000-1111-2222-3333-444444444444', 'defender_ensure_defender_for_server_is_on');
    expect(finding.severity).toBe(5);
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.resource).toBe('Azure subscription 00000000-1111-2222-3333-444444444444');
  });

  it('reads Prowler 3 columns', async () => {
    const report = await parseFixture(prowlerCsvParser, 'prowler/v3.csv');
    expect(report.assets.map((asset) => asset.name)).toEqual([ACCOUNT]);
    const finding = findingOf(report, ACCOUNT, 'iam_root_mfa_enabled');
    expect(finding.severity).toBe(5);
    expect(finding.sourceFindingId).toBe('prowler-aws-iam_root_mfa_enabled-123456789012-us-east-1-123456789012');
    expect(finding.raw).toMatchObject({ RESOURCE_ID: '<root_account>', PROFILE: 'default' });
    expect(report.metadata.scannedAt).toEqual(new Date('2023-06-01T10:00:00Z'));
  });
});

describe('Prowler CSV errors', () => {
  const header = 'PROVIDER;ACCOUNT_UID;CHECK_ID;STATUS;SEVERITY;RESOURCE_UID\n';

  it('rejects a header without CHECK_ID', async () => {
    const error = await parseError(prowlerCsvParser, 'PROVIDER;STATUS;RESOURCE_UID\naws;FAIL;r\n');
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('CHECK_ID');
  });

  it('rejects an unknown status with its line', async () => {
    const error = await parseError(prowlerCsvParser, `${header}aws;1;c1;FAIL;low;r1\naws;1;c2;BROKEN;low;r2\n`);
    expect(error.code).toBe('invalid_field');
    expect(error.position).toEqual({ line: 3, field: 'STATUS' });
  });

  it('rejects an unknown severity', async () => {
    const error = await parseError(prowlerCsvParser, `${header}aws;1;c1;FAIL;urgent;r1\n`);
    expect(error.code).toBe('invalid_field');
    expect(error.position).toEqual({ line: 2, field: 'SEVERITY' });
  });

  it('rejects an invalid timestamp', async () => {
    const error = await parseError(prowlerCsvParser, `TIMESTAMP;${header}yesterday;aws;1;c1;FAIL;low;r1\n`);
    expect(error.code).toBe('invalid_field');
    expect(error.position.line).toBe(2);
  });

  it('rejects a header without rows', async () => {
    const error = await parseError(prowlerCsvParser, header);
    expect(error.code).toBe('empty');
  });

  it('rejects an unclosed quote', async () => {
    const error = await parseError(prowlerCsvParser, `${header}aws;1;c1;FAIL;low;"r1\n`);
    expect(error.code).toBe('malformed');
  });
});
