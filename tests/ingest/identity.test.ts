import { describe, expect, it } from 'vitest';
import { identityKey } from '../../lib/ingest/identity';
import type { FindingRecord } from '../../lib/ingest/model';

function finding(fields: Partial<FindingRecord>): FindingRecord {
  return { assetKey: 'a', type: 'vulnerability', title: 'Weakness', severity: 3, raw: {}, ...fields };
}

describe('identityKey', () => {
  it('keys package findings by CVE and package', () => {
    const key = identityKey(finding({ cveId: 'CVE-2021-44228', technology: { product: 'log4j-core', version: '2.14.1', path: 'app/lib/log4j.jar' } }), 'Trivy');
    expect(key).toBe('package|cve-2021-44228|log4j-core|2.14.1|app/lib/log4j.jar');
  });

  it('separates the same CVE in two packages', () => {
    const first = identityKey(finding({ cveId: 'CVE-2023-0001', technology: { product: 'openssl', version: '1.1' } }), 'Trivy');
    const second = identityKey(finding({ cveId: 'CVE-2023-0001', technology: { product: 'libssl', version: '1.1' } }), 'Trivy');
    expect(first).not.toBe(second);
  });

  it('keys scanner findings by source, vendor id and port', () => {
    const key = identityKey(finding({ vendorId: '19506', port: 443, protocol: 'TCP' }), 'Nessus');
    expect(key).toBe('vendor|nessus|19506|443/tcp');
  });

  it('keeps equal vendor ids of two scanners apart', () => {
    const nessus = identityKey(finding({ vendorId: '100' }), 'Nessus');
    const qualys = identityKey(finding({ vendorId: '100' }), 'Qualys');
    expect(nessus).not.toBe(qualys);
  });

  it('falls back to CVE, then title', () => {
    expect(identityKey(finding({ cveId: 'CVE-2020-1472', port: 445, protocol: 'tcp' }), 'X')).toBe('cve|CVE-2020-1472|445/tcp');
    expect(identityKey(finding({ title: '  Weak   Cipher ' }), 'X')).toBe('title|weak cipher|');
  });

  it('folds case and whitespace', () => {
    const first = identityKey(finding({ vendorId: 'ABC', protocol: 'TCP', port: 1 }), 'Scanner');
    const second = identityKey(finding({ vendorId: ' abc ', protocol: 'tcp', port: 1 }), 'scanner');
    expect(first).toBe(second);
  });

  it('keys misconfigurations by check and resource', () => {
    const key = identityKey(finding({ type: 'misconfiguration', vendorId: 'AVD-KSV-0001', technology: { product: 'Deployment/web' } }), 'Trivy');
    expect(key).toBe('misconfig|trivy|avd-ksv-0001|deployment/web|');
  });

  it('separates one check in two files', () => {
    const dockerfile = identityKey(finding({ type: 'misconfiguration', vendorId: 'github-pat', resource: 'Dockerfile' }), 'Trivy');
    const secretFile = identityKey(finding({ type: 'misconfiguration', vendorId: 'github-pat', resource: 'secret.txt' }), 'Trivy');
    expect(dockerfile).not.toBe(secretFile);
  });
});
