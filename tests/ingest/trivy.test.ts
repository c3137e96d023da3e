import { describe, expect, it } from 'vitest';
import { trivyParser } from '../../lib/ingest/formats/trivy';
import { assetOf, findingOf, parseError, parseFixture, parseText, readFixture } from './parse-report';

/** Re-serializes JSON with every object's keys sorted, as `jq -S` does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

describe('trivyParser image report', () => {
  const FIXTURE = 'trivy-image.json';

  it('maps the image asset', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    expect(report.metadata).toEqual({
      format: 'trivy',
      source: 'Trivy',
      title: 'registry.example.test/shop/api:1.4.2',
      scannedAt: new Date('2024-03-04T09:15:00.123Z'),
    });
    expect(report.assets).toEqual([
      {
        reportKey: 'artifact',
        name: 'registry.example.test/shop/api:1.4.2',
        kind: 'container_image',
        os: 'debian 12.5',
        raw: {
          artifactType: 'container_image',
          imageId: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
          repoTags: ['registry.example.test/shop/api:1.4.2'],
          repoDigests: ['registry.example.test/shop/api@sha256:2222222222222222222222222222222222222222222222222222222222222222'],
        },
      },
    ]);
  });

  it('maps an OS package vulnerability', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    const finding = findingOf(report, 'artifact', 'CVE-2024-0727');
    expect(finding).toMatchObject({
      type: 'vulnerability',
      cveId: 'CVE-2024-0727',
      cveIds: ['CVE-2024-0727'],
      title: 'openssl: denial of service via null dereference',
      description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash.',
      severity: 3,
      fixedVersion: '3.0.13-1',
      technology: { product: 'libssl3', version: '3.0.11-1', cpe: 'cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*' },
      cweIds: ['CWE-476'],
      references: ['https://www.openssl.org/news/secadv/20240125.txt'],
      cvss3BaseScore: 5.5,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
      sourceFindingId: 'CVE-2024-0727:libssl3@3.0.11-1:registry.example.test/shop/api:1.4.2 (debian 12.5)',
      position: { field: 'Results[0].Vulnerabilities[0]' },
    });
    expect(finding.cvss2BaseScore).toBeUndefined();
    expect(finding.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2024-0727',
        cvss3BaseScore: 5.5,
        cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H',
        cweIds: ['CWE-476'],
        publishedAt: new Date('2024-01-26T09:15:00Z'),
        references: [{ url: 'https://www.openssl.org/news/secadv/20240125.txt' }],
      },
    ]);
    expect(finding.raw).toMatchObject({
      target: 'registry.example.test/shop/api:1.4.2 (debian 12.5)',
      class: 'os-pkgs',
      type: 'debian',
      Layer: { DiffID: 'sha256:3333333333333333333333333333333333333333333333333333333333333333' },
      SeveritySource: 'debian',
      LastModifiedDate: '2024-02-08T10:15:00Z',
      Status: 'fixed',
    });
    expect(finding.raw.CVSS).toBeDefined();
  });

  it('maps UNKNOWN severity and missing title', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    const finding = findingOf(report, 'artifact', 'CVE-2023-99999');
    expect(finding.severity).toBe(1);
    expect(finding.title).toBe('CVE-2023-99999');
    expect(finding.fixedVersion).toBeUndefined();
  });

  it('maps a non-CVE language package vulnerability', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    const finding = findingOf(report, 'artifact', 'GHSA-jfh8-c2jp-5v3q');
    expect(finding.cveId).toBeUndefined();
    expect(finding.vulnerabilities).toBeUndefined();
    expect(finding.severity).toBe(5);
    // No NVD entry, so the scores come from the SeveritySource entry.
    expect(finding.cvss3BaseScore).toBe(10);
    expect(finding.technology).toEqual({
      product: 'org.apache.logging.log4j:log4j-core',
      version: '2.14.1',
      path: 'app/lib/app.jar/BOOT-INF/lib/log4j-core-2.14.1.jar',
    });
    expect(finding.raw.target).toBe('app/lib/app.jar');
    expect(report.findings).toHaveLength(3);
  });
});

describe('trivyParser filesystem report', () => {
  const FIXTURE = 'trivy-filesystem.json';

  it('maps a failed misconfiguration', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    expect(report.assets).toEqual([{ reportKey: 'artifact', name: 'shop-api', kind: 'repository', raw: { artifactType: 'repository' } }]);
    const finding = findingOf(report, 'artifact', 'DS002');
    expect(finding).toMatchObject({
      type: 'misconfiguration',
      title: "Image user should not be 'root'",
      description: 'Running containers as root can lead to a container escape.',
      solution: "Add 'USER <non root user name>' line to the Dockerfile",
      severity: 4,
      references: ['https://docs.docker.example.test/best-practices/'],
      sourceFindingId: 'DS002:Dockerfile:1',
    });
    expect(finding.raw).toMatchObject({
      target: 'Dockerfile',
      class: 'config',
      type: 'dockerfile',
      Message: 'Specify at least 1 USER command in Dockerfile with non-root user as argument',
      AVDID: 'AVD-DS-0002',
      CauseMetadata: { Provider: 'Dockerfile', StartLine: 1, EndLine: 9 },
    });
  });

  it('drops passed checks', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['DS002', 'aws-access-key-id']);
  });

  it('maps a secret', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    const finding = findingOf(report, 'artifact', 'aws-access-key-id');
    expect(finding).toMatchObject({
      type: 'misconfiguration',
      title: 'AWS Access Key ID',
      severity: 5,
      sourceFindingId: 'aws-access-key-id:deploy/.env:3',
    });
    expect(finding.raw).toMatchObject({
      target: 'deploy/.env',
      class: 'secret',
      Category: 'AWS',
      StartLine: 3,
      EndLine: 3,
      Match: 'AWS_ACCESS_KEY_ID=********************',
    });
  });

  it('reads reports with sorted keys', async () => {
    const sorted = JSON.stringify(sortKeys(JSON.parse(readFixture(FIXTURE))), null, 1);
    const original = await parseFixture(trivyParser, FIXTURE);
    const report = await parseText(trivyParser, sorted);
    expect(report.assets).toEqual(original.assets);
    expect(report.findings.map((finding) => [finding.sourceFindingId, finding.raw.target])).toEqual([
      ['DS002:Dockerfile:1', 'Dockerfile'],
      ['aws-access-key-id:deploy/.env:3', 'deploy/.env'],
    ]);
  });
});

describe('trivyParser older schema', () => {
  it('names the asset after the first target', async () => {
    const report = await parseFixture(trivyParser, 'trivy-legacy.json');
    expect(report.assets).toEqual([{ reportKey: 'artifact', name: 'alpine:3.10', kind: 'container_image', raw: {} }]);
    const finding = findingOf(report, 'artifact', 'CVE-2019-14697');
    expect(finding.severity).toBe(4);
    expect(finding.fixedVersion).toBe('1.1.22-r3');
    expect(finding.raw).toMatchObject({ target: 'alpine:3.10 (alpine 3.10.2)', type: 'alpine' });
    expect(report.findings).toHaveLength(1);
  });
});

describe('trivyParser Kubernetes report', () => {
  const FIXTURE = 'trivy-kubernetes.json';

  it('maps images and resources', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    expect(report.metadata.title).toBe('prod-eu-1');
    expect(report.assets).toEqual([
      {
        reportKey: 'image:registry.example.test/shop/cart:2.0.1',
        name: 'registry.example.test/shop/cart:2.0.1',
        kind: 'container_image',
        raw: { cluster: 'prod-eu-1', namespace: 'shop', kind: 'Deployment', name: 'cart' },
      },
      {
        reportKey: 'resource:shop/Deployment/cart',
        name: 'shop/Deployment/cart',
        kind: 'cloud_resource',
        raw: { cluster: 'prod-eu-1', namespace: 'shop', kind: 'Deployment', name: 'cart' },
      },
      {
        reportKey: 'resource:ClusterRole/cart-reader',
        name: 'ClusterRole/cart-reader',
        kind: 'cloud_resource',
        raw: { cluster: 'prod-eu-1', kind: 'ClusterRole', name: 'cart-reader' },
      },
    ]);
  });

  it('puts image vulnerabilities on the image', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    const image = 'image:registry.example.test/shop/cart:2.0.1';
    expect(findingOf(report, image, 'CVE-2023-5363')).toMatchObject({ severity: 4, cvss3BaseScore: 7.5 });
    const binary = findingOf(report, image, 'CVE-2023-44487');
    expect(binary.raw).toMatchObject({ target: 'usr/local/bin/cart', class: 'lang-pkgs', namespace: 'shop', kind: 'Deployment', name: 'cart' });
  });

  it('puts misconfigurations on the resource', async () => {
    const report = await parseFixture(trivyParser, FIXTURE);
    const finding = findingOf(report, 'resource:shop/Deployment/cart', 'KSV001');
    expect(finding.type).toBe('misconfiguration');
    expect(finding.severity).toBe(3);
    expect(finding.sourceFindingId).toBe('KSV001:Deployment/cart:120');
    expect(report.findings).toHaveLength(3);
    expect(assetOf(report, 'resource:ClusterRole/cart-reader').kind).toBe('cloud_resource');
  });
});

describe('trivyParser Kubernetes resources report', () => {
  it('maps the Resources layout', async () => {
    const json = JSON.stringify({
      ClusterName: 'staging',
      Resources: [
        {
          Namespace: 'web',
          Kind: 'DaemonSet',
          Name: 'agent',
          Results: [
            { Target: 'registry.example.test/agent:3 (debian 12.1)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: [{ VulnerabilityID: 'CVE-2023-4911', PkgName: 'libc6', Severity: 'HIGH' }] },
            { Target: 'DaemonSet/agent', Class: 'config', Type: 'kubernetes', Misconfigurations: [{ ID: 'KSV017', Title: 'Privileged', Severity: 'HIGH', Status: 'FAIL' }] },
          ],
        },
      ],
    });
    const report = await parseText(trivyParser, json);
    expect(report.assets.map((asset) => [asset.reportKey, asset.kind])).toEqual([
      ['image:registry.example.test/agent:3', 'container_image'],
      ['resource:web/DaemonSet/agent', 'cloud_resource'],
    ]);
    expect(findingOf(report, 'image:registry.example.test/agent:3', 'CVE-2023-4911').severity).toBe(4);
    expect(findingOf(report, 'resource:web/DaemonSet/agent', 'KSV017').type).toBe('misconfiguration');
  });
});

describe('trivyParser bad input', () => {
  const vulnerability = (fields: string) => `{"ArtifactName": "a", "Results": [{"Target": "t", "Vulnerabilities": [{${fields}}]}]}`;
  const cases: [string, string, string][] = [
    ['empty file', '', 'empty'],
    ['empty object', '{}', 'empty'],
    ['empty array', '[]', 'empty'],
    ['null', 'null', 'malformed'],
    ['a number', '42', 'malformed'],
    ['truncated file', readFixture('trivy-image.json').slice(0, 1500), 'malformed'],
    ['invalid JSON', '{"ArtifactName": "a", "Results": [}', 'malformed'],
    ['Results as an object', '{"ArtifactName": "a", "Results": {"Target": "t"}}', 'malformed'],
    ['ArtifactName as a number', '{"ArtifactName": 5}', 'invalid_field'],
    ['unknown severity', vulnerability('"VulnerabilityID": "CVE-2020-1", "Severity": "EXTREME"'), 'invalid_field'],
    ['numeric VulnerabilityID', vulnerability('"VulnerabilityID": 7'), 'invalid_field'],
    ['CVSS score above 10', vulnerability('"VulnerabilityID": "CVE-2020-1", "CVSS": {"nvd": {"V3Score": 11}}'), 'invalid_field'],
  ];

  it.each(cases)('rejects %s', async (_name, text, code) => {
    const error = await parseError(trivyParser, text);
    expect(error.code).toBe(code);
  });

  it('names the field of a truncation', async () => {
    const error = await parseError(trivyParser, readFixture('trivy-image.json').slice(0, 1500));
    expect(error.position.field).toMatch(/^Results\[0\]\.Vulnerabilities\[0\]/);
  });

  it('names the field of an invalid value', async () => {
    const error = await parseError(trivyParser, vulnerability('"VulnerabilityID": 7'));
    expect(error.position.field).toBe('Results[0].Vulnerabilities[0].VulnerabilityID');
  });
});
