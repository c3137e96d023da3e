import { describe, expect, it } from 'vitest';
import { checkovParser } from '../../lib/ingest/formats/checkov';
import { findingOf, parseError, parseText, readFixture } from './parse-report';

const parse = (name: string) => parseText(checkovParser, readFixture(`checkov/${name}`), 97, { fileName: name });

describe('Checkov parser', () => {
  it('names the repository after the file without a repository', async () => {
    const report = await parse('terraform.json');
    expect(report.assets).toHaveLength(1);
    expect(report.assets[0]).toMatchObject({ reportKey: 'repository', name: 'terraform', kind: 'repository' });
    expect(report.assets[0]?.raw).toMatchObject({
      summaries: { terraform: { passed: 1, failed: 2, skipped: 1, parsing_errors: 1, checkov_version: '3.2.0' } },
      parsingErrors: { terraform: ['/broken.tf'] },
    });
  });

  it('maps failed and skipped checks but not passed ones', async () => {
    const report = await parse('terraform.json');
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['CKV_AWS_18', 'CKV_AWS_19', 'CKV_AWS_21']);
  });

  it('maps a failed check without a severity to medium', async () => {
    const finding = findingOf(await parse('terraform.json'), 'repository', 'CKV_AWS_18');
    expect(finding.type).toBe('misconfiguration');
    expect(finding.severity).toBe(3);
    expect(finding.title).toBe('Ensure the S3 bucket has access logging enabled');
    expect(finding.resource).toBe('/s3.tf:aws_s3_bucket.logs');
    expect(finding.references).toEqual(['https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/s3-policies/s3-13-enable-logging']);
    expect(finding.raw).toMatchObject({ policy: 'Checkov terraform policies', checkType: 'terraform', bc_check_id: 'BC_AWS_S3_13', file_line_range: [1, 3], repo_file_path: '/infra/s3.tf' });
    expect(finding.raw.suppressed).toBeUndefined();
  });

  it('maps a severity, description and benchmark', async () => {
    const finding = findingOf(await parse('terraform.json'), 'repository', 'CKV_AWS_19');
    expect(finding.severity).toBe(4);
    expect(finding.description).toBe('Encrypting data at rest protects it when the storage is accessed directly.');
    expect(finding.raw.policy).toBe('CIS AWS V1.3');
  });

  it('flags a skipped check as suppressed', async () => {
    const finding = findingOf(await parse('terraform.json'), 'repository', 'CKV_AWS_21');
    expect(finding.severity).toBe(3);
    expect(finding.raw.suppressed).toBe(true);
    expect(finding.raw.check_result).toEqual({ result: 'SKIPPED', suppress_comment: 'Log bucket objects are never overwritten' });
  });

  it('names the repository from the Prisma Cloud URL', async () => {
    const report = await parse('multiple-runners.json');
    expect(report.assets.map((asset) => asset.name)).toEqual(['acme/payments']);
    expect(report.metadata.title).toBe('acme/payments');
    expect(Object.keys(report.assets[0]?.raw?.summaries as object)).toEqual(['dockerfile', 'sca_package']);
  });

  it('keeps a Dockerfile resource whole', async () => {
    const finding = findingOf(await parse('multiple-runners.json'), 'repository', 'CKV_DOCKER_3');
    expect(finding.resource).toBe('/app/Dockerfile.');
    expect(finding.severity).toBe(2);
    expect(finding.raw.checkType).toBe('dockerfile');
  });

  it('maps an SCA record to a vulnerability', async () => {
    const finding = findingOf(await parse('multiple-runners.json'), 'repository', 'CVE-2022-24785');
    expect(finding.type).toBe('vulnerability');
    expect(finding.cveId).toBe('CVE-2022-24785');
    expect(finding.technology).toEqual({ product: 'moment', version: '2.29.1', path: '/app/package.json' });
    expect(finding.fixedVersion).toBe('2.29.2');
    expect(finding.resource).toBeUndefined();
    expect(finding.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N');
    expect(finding.cvss3BaseScore).toBe(7.5);
    expect(finding.description).toBe('Moment.js is vulnerable to path traversal in moment.locale.');
    expect(finding.references?.[0]).toBe('https://nvd.nist.gov/vuln/detail/CVE-2022-24785');
    expect(finding.vulnerabilities?.[0]).toMatchObject({ cveId: 'CVE-2022-24785', cvss3BaseScore: 7.5, publishedAt: new Date('2022-04-04T17:15:00Z') });
    expect(finding.raw.check_id).toBe('CKV_CVE_2022_24785');
  });

  it('prefers repo_id over the file name', async () => {
    const text = '{"check_type": "terraform", "results": {"failed_checks": []}, "repo_id": "acme/infra"}';
    const report = await parseText(checkovParser, text, 97, { fileName: 'out.json' });
    expect(report.assets.map((asset) => asset.name)).toEqual(['acme/infra']);
  });
});

describe('Checkov errors', () => {
  const context = { fileName: 'results.json' };

  it('rejects an unknown severity', async () => {
    const text = '{"check_type": "terraform", "results": {"failed_checks": [{"check_id": "CKV_1", "severity": "SEVERE"}]}}';
    const error = await parseError(checkovParser, text, context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('results.failed_checks[0].severity');
  });

  it('rejects a check without a check id', async () => {
    const error = await parseError(checkovParser, '[{"check_type": "terraform", "results": {"failed_checks": [{"check_name": "x"}]}}]', context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('[0].results.failed_checks[0].check_id');
  });

  it('rejects a list that is not an array', async () => {
    const error = await parseError(checkovParser, '{"check_type": "terraform", "results": {"failed_checks": {"a": 1}}}', context);
    expect(error.code).toBe('malformed');
    expect(error.position.field).toBe('results.failed_checks');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture('checkov/terraform.json');
    const error = await parseError(checkovParser, text.slice(0, 900), context);
    expect(error.code).toBe('malformed');
  });

  it('rejects JSON without runner reports', async () => {
    const error = await parseError(checkovParser, '{"passed": 0, "failed": 0}', context);
    expect(error.code).toBe('empty');
  });
});
