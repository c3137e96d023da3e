import { describe, expect, it } from 'vitest';
import { wizParser } from '../../lib/ingest/formats/wiz';
import { parseError, parseText, readFixture } from './parse-report';

const parseFixtureFile = (name: string) => parseText(wizParser, readFixture(name));
const VM = '/subscriptions/s-1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/web-1';

describe('wizParser issues export', () => {
  it('maps resources to cloud resource assets', async () => {
    const report = await parseFixtureFile('wiz-issues.csv');
    expect(report.metadata).toEqual({ format: 'wiz', source: 'Wiz' });
    expect(report.assets.map((asset) => asset.name)).toEqual([
      VM,
      '/subscriptions/s-1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/data/blobservices/default/containers/public',
      'k8s/user/cluster-1/admin',
    ]);
    expect(report.assets[0]).toMatchObject({ kind: 'cloud_resource', os: 'Linux', cloudInstanceId: VM });
    expect(report.assets[0]?.raw).toMatchObject({ 'Resource Name': 'web-1', 'Resource Region': 'eastus', 'Resource original JSON': { id: VM }, 'Resource Tags': { env: 'prod' } });
    expect(report.assets[1]?.cloudInstanceId).toBeUndefined();
    expect(report.assets[1]?.raw?.['Resource original JSON']).toBe('{not json');
  });

  it('maps an issue to a misconfiguration', async () => {
    const report = await parseFixtureFile('wiz-issues.csv');
    expect(report.findings[0]).toMatchObject({
      assetKey: VM,
      type: 'misconfiguration',
      vendorId: 'wc-id-1',
      sourceFindingId: 'issue-1',
      title: 'Publicly exposed VM with a critical vulnerability',
      severity: 5,
      resource: VM,
      description: '#### Description\nThe VM is reachable from the internet.',
      solution: 'Patch the VM.',
      firstSeen: new Date('2024-03-01T08:00:00Z'),
      references: ["https://app.wiz.io/issues#~(issue~'issue-1)"],
      raw: { Status: 'OPEN', 'Resource Type': 'Microsoft.Compute/virtualMachines' },
    });
  });

  it('flags ignored issues as suppressed', async () => {
    const report = await parseFixtureFile('wiz-issues.csv');
    const ignored = report.findings.find((finding) => finding.sourceFindingId === 'issue-2');
    expect(ignored).toMatchObject({ severity: 3, raw: { suppressed: true, Status: 'IGNORED', Note: 'Accepted risk' } });
  });

  it('keeps the resource of a resolved issue without a finding', async () => {
    const report = await parseFixtureFile('wiz-issues.csv');
    expect(report.findings.map((finding) => finding.sourceFindingId)).toEqual(['issue-1', 'issue-2', 'issue-4']);
    expect(report.assets.map((asset) => asset.name)).toContain('k8s/user/cluster-1/admin');
  });
});

describe('wizParser vulnerability findings export', () => {
  it('maps a vulnerable package', async () => {
    const report = await parseFixtureFile('wiz-vulnerabilities.csv');
    const arn = 'arn:aws:ec2:us-east-1:123456789012:instance/i-0abc';
    expect(report.assets[0]).toMatchObject({ name: arn, kind: 'cloud_resource', cloudInstanceId: arn, hostname: 'app-vm-1', os: 'Linux', ipv4: ['10.0.0.5'] });
    expect(report.findings[0]).toMatchObject({
      type: 'vulnerability',
      vendorId: 'CVE-2021-44228',
      cveId: 'CVE-2021-44228',
      sourceFindingId: 'f-1',
      title: 'CVE-2021-44228 in org.apache.logging.log4j:log4j-core',
      severity: 5,
      technology: { product: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', path: '/opt/app/lib/log4j-core-2.14.1.jar' },
      fixedVersion: '2.15.0',
      solution: 'Upgrade log4j-core',
      vulnerabilities: [{ cveId: 'CVE-2021-44228', kev: {} }],
      firstSeen: new Date('2024-05-01T00:00:00Z'),
      lastSeen: new Date('2024-05-10T00:00:00Z'),
      raw: { HasExploit: 'true', DetectionMethod: 'Library', FindingStatus: 'Open' },
    });
  });

  it('maps an advisory without CVE', async () => {
    const report = await parseFixtureFile('wiz-vulnerabilities.csv');
    const finding = report.findings.find((candidate) => candidate.sourceFindingId === 'f-2');
    expect(finding).toMatchObject({ vendorId: 'GHSA-jfh8-c2jp-5v3q', severity: 4, lastSeen: new Date('2024-05-10T00:00:00Z'), raw: { LastDetected: '2024-05-01T00:00:00Z' } });
    expect(finding?.cveId).toBeUndefined();
  });

  it('keeps the asset of a resolved finding without a finding', async () => {
    const report = await parseFixtureFile('wiz-vulnerabilities.csv');
    expect(report.assets.map((asset) => asset.name)).toContain('a-2');
    expect(report.findings.map((finding) => finding.sourceFindingId)).toEqual(['f-1', 'f-2']);
  });
});

describe('wizParser errors', () => {
  it('rejects another CSV header', async () => {
    const error = await parseError(wizParser, 'a,b\n1,2\n');
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('not a Wiz export');
  });

  it('rejects an unknown severity', async () => {
    const text = 'Title,Severity,Status,Resource external ID,Control ID\nX,SEVERE,OPEN,r-1,c-1\n';
    const error = await parseError(wizParser, text);
    expect(error.code).toBe('invalid_field');
    expect(error.position).toEqual({ line: 2, field: 'Severity' });
  });

  it('rejects a row without resource', async () => {
    const text = 'Title,Severity,Status,Resource external ID,Control ID\nX,LOW,OPEN,,c-1\n';
    const error = await parseError(wizParser, text);
    expect(error.position).toEqual({ line: 2, field: 'Resource external ID' });
  });

  it('rejects a header without rows', async () => {
    const error = await parseError(wizParser, 'Title,Severity,Status,Resource external ID,Control ID\n');
    expect(error.code).toBe('empty');
  });

  it('rejects unbalanced quotes', async () => {
    const error = await parseError(wizParser, 'Title,Severity,Status,Resource external ID,Control ID\n"X,LOW,OPEN,r,c\n');
    expect(error.code).toBe('malformed');
  });
});
