import { describe, expect, it } from 'vitest';
import { kubeBenchParser } from '../../lib/ingest/formats/kube-bench';
import { policyName } from '../../lib/ingest/formats/kube-bench-findings';
import { findingOf, parseError, parseText, readFixture } from './parse-report';

const parse = (name: string, chunkSize = 97) => parseText(kubeBenchParser, readFixture(`kube-bench/${name}`), chunkSize, { fileName: `scans/${name}` });

describe('kube-bench parser', () => {
  it('names the host after the file', async () => {
    const report = await parse('controls.json');
    expect(report.assets).toHaveLength(1);
    expect(report.assets[0]).toMatchObject({ reportKey: 'node', name: 'controls', kind: 'host', hostname: 'controls' });
    expect(report.metadata).toMatchObject({ format: 'kube-bench', source: 'kube-bench', title: 'controls' });
  });

  it('turns FAIL and WARN into findings', async () => {
    const report = await parse('controls.json');
    expect(report.findings.map((finding) => finding.vendorId)).toEqual(['1.1.1', '1.2.1', '1.2.2', '5.1.1']);
    expect(report.findings.every((finding) => finding.type === 'misconfiguration')).toBe(true);
  });

  it('maps a scored failure', async () => {
    const finding = findingOf(await parse('controls.json'), 'node', '1.1.1');
    expect(finding.severity).toBe(4);
    expect(finding.title).toBe('Ensure that the API server pod specification file permissions are set to 600 or more restrictive (Automated)');
    expect(finding.resource).toBe('master');
    expect(finding.solution).toBe('Run chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml on the control plane node.');
    expect(finding.description).toBe('Expected: permissions has permissions 644, expected 600 or more restrictive\nFound: permissions=644');
    expect(finding.sourceFindingId).toBe('cis-1.7:master:1.1.1');
    expect(finding.raw).toMatchObject({
      policy: 'CIS Kubernetes Benchmark 1.7',
      benchmarkVersion: 'cis-1.7',
      detectedVersion: '1.27',
      controlId: '1',
      controlText: 'Control Plane Security Configuration',
      nodeType: 'master',
      section: '1.1',
      sectionDescription: 'Control Plane Node Configuration Files',
      status: 'FAIL',
      scored: true,
      audit: "/bin/sh -c 'stat -c permissions=%a /etc/kubernetes/manifests/kube-apiserver.yaml'",
    });
    expect(finding.raw.manualCheck).toBeUndefined();
  });

  it('maps an unscored failure to medium', async () => {
    const finding = findingOf(await parse('controls.json'), 'node', '1.2.2');
    expect(finding.severity).toBe(3);
    expect(finding.description).toBe("Expected: '--token-auth-file' is not present\nFound: --token-auth-file=/etc/tokens.csv");
  });

  it('maps a warning to informational', async () => {
    const report = await parse('controls.json');
    const warning = findingOf(report, 'node', '1.2.1');
    expect(warning.severity).toBe(1);
    expect(warning.raw.manualCheck).toBe(true);
    expect(warning.description).toBe('Test marked as a manual test');
    expect(findingOf(report, 'node', '5.1.1').resource).toBe('policies');
  });

  it('reads the older array shape', async () => {
    const report = await parse('legacy-array.json');
    const finding = findingOf(report, 'node', '4.2.1');
    expect(report.findings).toHaveLength(1);
    expect(finding.severity).toBe(4);
    expect(finding.raw.policy).toBe('CIS Kubernetes Benchmark 1.5');
    expect(finding.raw.section).toBe('4.2');
  });

  it('reads one control with its fields last', async () => {
    const report = await parse('single-control.json', 13);
    const finding = findingOf(report, 'node', '2.1');
    expect(report.findings).toHaveLength(1);
    expect(finding.resource).toBe('etcd');
    expect(finding.raw).toMatchObject({ policy: 'CIS Kubernetes Benchmark 1.7', controlId: '2', section: '2', sectionDescription: 'Etcd Node Configuration' });
  });

  it('emits the host of a clean report', async () => {
    const report = await parse('all-passed.json');
    expect(report.assets.map((asset) => asset.name)).toEqual(['all-passed']);
    expect(report.findings).toEqual([]);
  });

  it('makes an IP file name the host address', async () => {
    const report = await parseText(kubeBenchParser, readFixture('kube-bench/legacy-array.json'), 97, { fileName: '10.0.0.5.json' });
    expect(report.assets[0]).toMatchObject({ name: '10.0.0.5', ipv4: ['10.0.0.5'] });
    expect(report.assets[0]?.hostname).toBeUndefined();
  });
});

describe('kube-bench errors', () => {
  const context = { fileName: 'node-1.json' };

  it('rejects an unknown status', async () => {
    const text = '{"Controls": [{"id": "1", "node_type": "master", "tests": [{"section": "1.1", "results": [{"test_number": "1.1.1", "status": "BROKEN"}]}]}]}';
    const error = await parseError(kubeBenchParser, text, context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('Controls[0].tests[0].results[0].status');
    expect(error.message).toContain('"BROKEN"');
  });

  it('rejects a result without a test number', async () => {
    const text = '[{"id": "1", "node_type": "master", "tests": [{"section": "1.1", "results": [{"status": "FAIL"}]}]}]';
    const error = await parseError(kubeBenchParser, text, context);
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('[0].tests[0].results[0].test_number');
  });

  it('rejects results that are not an array', async () => {
    const error = await parseError(kubeBenchParser, '{"Controls": [{"id": "1", "tests": [{"results": {"a": 1}}]}]}', context);
    expect(error.code).toBe('malformed');
    expect(error.position.field).toBe('Controls[0].tests[0].results');
  });

  it('rejects truncated JSON', async () => {
    const text = readFixture('kube-bench/controls.json');
    const error = await parseError(kubeBenchParser, text.slice(0, text.length / 2), context);
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('truncated');
  });

  it('rejects an object without controls', async () => {
    const error = await parseError(kubeBenchParser, '{"name": "x"}', context);
    expect(error.code).toBe('empty');
  });

  it('rejects a report without a file name', async () => {
    const error = await parseError(kubeBenchParser, readFixture('kube-bench/legacy-array.json'));
    expect(error.code).toBe('invalid_field');
    expect(error.message).toContain('no file name');
  });
});

describe('policyName', () => {
  it.each([
    ['1.6', 'CIS Kubernetes Benchmark 1.6'],
    ['cis-1.7', 'CIS Kubernetes Benchmark 1.7'],
    ['eks-1.2.0', 'kube-bench eks-1.2.0'],
    ['', undefined],
  ])('names %s', (version, name) => {
    expect(policyName(version)).toBe(name);
  });
});
