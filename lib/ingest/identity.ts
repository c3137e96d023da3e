import type { FindingRecord } from './model';

/**
 * Computes the key that decides whether an observation belongs to an existing finding on the
 * same asset. The first rule whose attributes are all present wins:
 *
 * - vulnerabilities: [CVE or vendor id, package, version, path] for software packages, because
 *   the same CVE in two packages are two fixes; then [source, vendor id, port, protocol], because
 *   a plugin id or QID is only unique within its scanner; then [CVE, port, protocol]; then
 *   [title, port, protocol];
 * - misconfigurations: [source, check id, affected resource or file]; then [title, resource].
 *
 * TODO: these rules are fixed; an ordered, user-editable rule list with cross-source matching
 * and CPE and vendor-alias normalization replaces them, and must keep these keys' meaning.
 */
export function identityKey(finding: FindingRecord, source: string): string {
  const where = endpoint(finding);

  if (finding.type === 'misconfiguration') {
    const resource = fold(finding.resource ?? finding.technology?.path ?? finding.technology?.product ?? '');
    if (finding.vendorId) return `misconfig|${fold(source)}|${fold(finding.vendorId)}|${resource}|${where}`;
    return `misconfig-title|${fold(finding.title)}|${resource}|${where}`;
  }

  const technology = finding.technology;
  const weakness = finding.cveId ?? finding.vendorId;
  if (technology && weakness) {
    return `package|${fold(weakness)}|${fold(technology.product)}|${fold(technology.version ?? '')}|${fold(technology.path ?? '')}`;
  }
  if (finding.vendorId) return `vendor|${fold(source)}|${fold(finding.vendorId)}|${where}`;
  if (finding.cveId) return `cve|${finding.cveId.toUpperCase()}|${where}`;
  return `title|${fold(finding.title)}|${where}`;
}

function endpoint(finding: FindingRecord): string {
  if (finding.port === undefined && !finding.protocol) return '';
  return `${finding.port ?? ''}/${fold(finding.protocol ?? '')}`;
}

/** Case and whitespace folding, so "OpenSSL " and "openssl" are one value. */
function fold(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
