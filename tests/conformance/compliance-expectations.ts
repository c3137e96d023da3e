// Independent readings of kube-bench, Checkov, Prowler and Wazuh reports for the conformance
// suite: each function counts the assets and findings an import must store, from JSON.parse or
// csv-parse output, without any code of lib/ingest. Repeats on one asset are one finding, keyed
// as the product identifies findings: a misconfiguration by its check id and resource, a package
// vulnerability by its CVE, package and version. The repeat with the higher severity is kept.

import type { ReportExpectation } from './report-expectations';

class Tally {
  private readonly assets = new Set<string>();
  private readonly findings = new Map<string, { asset: string; severity: number }>();

  addAsset(asset: string): void {
    this.assets.add(asset);
  }

  addFinding(asset: string, identity: string, severity: number): void {
    this.assets.add(asset);
    const key = `${asset}\u0000${identity}`;
    const previous = this.findings.get(key);
    if (!previous || severity > previous.severity) this.findings.set(key, { asset, severity });
  }

  result(): ReportExpectation {
    const findingsByAsset = new Map<string, number>();
    const findingsBySeverity = new Map<number, number>();
    for (const { asset, severity } of this.findings.values()) {
      findingsByAsset.set(asset, (findingsByAsset.get(asset) ?? 0) + 1);
      findingsBySeverity.set(severity, (findingsBySeverity.get(severity) ?? 0) + 1);
    }
    return { assetNames: new Set(this.assets), assets: this.assets.size, findings: this.findings.size, findingsByAsset, findingsBySeverity };
  }
}

/** Returns the file name without its last extension, which names the asset of a report that names none. */
export function stemOf(fileName: string): string {
  const base = fileName.split('/').pop() ?? fileName;
  return base.slice(0, base.lastIndexOf('.'));
}

function cvssBand(score: number): number {
  if (score === 0) return 1;
  if (score < 4) return 2;
  if (score < 7) return 3;
  if (score < 9) return 4;
  return 5;
}

// kube-bench

export interface KubeBenchResult {
  test_number: string;
  test_desc: string;
  status: string;
  scored: boolean;
  remediation?: string;
}
export interface KubeBenchControl {
  id: string;
  version: string;
  node_type: string;
  tests: { section: string; results: KubeBenchResult[] | null }[];
}

/** Returns the controls of any of kube-bench's three layouts. */
export function kubeBenchControls(report: unknown): KubeBenchControl[] {
  if (Array.isArray(report)) return report as KubeBenchControl[];
  const object = report as { Controls?: KubeBenchControl[] };
  return object.Controls ?? [report as KubeBenchControl];
}

/** FAIL scored is high, FAIL not scored medium, WARN informational; PASS and INFO are no findings. */
export function kubeBenchSeverity(result: KubeBenchResult): number | undefined {
  if (result.status === 'WARN') return 1;
  if (result.status === 'FAIL') return result.scored ? 4 : 3;
  return undefined;
}

/** kube-bench JSON: one host named after the file; each failed or warned check on a node type is one finding. */
export function expectKubeBench(report: unknown, fileName: string): ReportExpectation {
  const tally = new Tally();
  const host = stemOf(fileName);
  tally.addAsset(host);
  for (const control of kubeBenchControls(report)) {
    for (const group of control.tests) {
      for (const result of group.results ?? []) {
        const severity = kubeBenchSeverity(result);
        if (severity !== undefined) tally.addFinding(host, `${result.test_number}|${control.node_type}`, severity);
      }
    }
  }
  return tally.result();
}

// Checkov

export interface CheckovCheck {
  check_id: string;
  check_name: string;
  file_path: string;
  resource: string;
  severity: string | null;
  vulnerability_details?: { id: string; package_name: string; package_version: string } | null;
}
export interface CheckovRunner {
  check_type: string;
  results: { passed_checks?: CheckovCheck[]; failed_checks?: CheckovCheck[]; skipped_checks?: CheckovCheck[] };
  url?: string;
  repo_id?: string;
}

const CHECKOV_SEVERITIES: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };

export function checkovRunners(report: unknown): CheckovRunner[] {
  return Array.isArray(report) ? (report as CheckovRunner[]) : [report as CheckovRunner];
}

/** Returns the repository a Checkov report names (repo_id, or the `repository` of a platform URL), else the file stem. */
export function checkovRepository(runners: CheckovRunner[], fileName: string): string {
  for (const runner of runners) {
    if (runner.repo_id) return runner.repo_id;
    const match = /^https?:\/\/[^?]*\?(?:.*&)?repository=([^&]+)/.exec(runner.url ?? '');
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return stemOf(fileName);
}

/** Returns a failed check's resource: `file_path:resource`, or the resource when it contains the file path. */
export function checkovResource(check: CheckovCheck): string {
  return check.resource.includes(check.file_path) ? check.resource : `${check.file_path}:${check.resource}`;
}

/** Checkov JSON: one repository; each failed or skipped check on a resource is one finding, medium without a severity. */
export function expectCheckov(report: unknown, fileName: string): ReportExpectation {
  const tally = new Tally();
  const runners = checkovRunners(report);
  const repository = checkovRepository(runners, fileName);
  tally.addAsset(repository);
  for (const runner of runners) {
    for (const check of [...(runner.results.failed_checks ?? []), ...(runner.results.skipped_checks ?? [])]) {
      const severity = CHECKOV_SEVERITIES[check.severity?.toLowerCase() ?? ''] ?? 3;
      const details = check.vulnerability_details;
      const identity = details?.package_name ? `${details.id}|${details.package_name}|${details.package_version}` : `${check.check_id}|${checkovResource(check)}`;
      tally.addFinding(repository, identity, severity);
    }
  }
  return tally.result();
}

// Prowler

/** One result in the fields both Prowler outputs have. */
export interface ProwlerRow {
  provider: string;
  accountUid: string;
  checkId: string;
  status: string;
  severity: string;
  resourceUid: string;
  resourceName: string;
  resourceType: string;
  namespace?: string;
  region: string;
}

const PROWLER_SEVERITIES: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };
const ACCOUNT_LABELS: Record<string, string> = { aws: 'AWS account', azure: 'Azure subscription', gcp: 'GCP project', kubernetes: 'Kubernetes cluster' };

interface OcsfFinding {
  metadata: { event_code: string };
  status_code: string;
  severity: string;
  resources?: { uid?: string; name?: string; type?: string; region?: string; namespace?: string }[];
  cloud?: { provider?: string; region?: string; account?: { uid?: string } };
}

/** Returns the results of Prowler OCSF JSON, one per finding and resource. */
export function prowlerOcsfRows(findings: unknown): ProwlerRow[] {
  return (findings as OcsfFinding[]).flatMap((finding) =>
    (finding.resources?.length ? finding.resources : [{}]).map((resource) => ({
      provider: finding.cloud?.provider ?? (resource.namespace !== undefined ? 'kubernetes' : ''),
      accountUid: finding.cloud?.account?.uid ?? '',
      checkId: finding.metadata.event_code,
      status: finding.status_code,
      severity: finding.severity,
      resourceUid: resource.uid ?? '',
      resourceName: resource.name ?? '',
      resourceType: resource.type ?? '',
      region: resource.region ?? finding.cloud?.region ?? '',
      ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
    })),
  );
}

/** Returns the results of a Prowler 4 or 5 CSV export. */
export function prowlerCsvRows(rows: Record<string, string>[]): ProwlerRow[] {
  return rows.map((row) => ({
    provider: row.PROVIDER ?? '',
    accountUid: row.ACCOUNT_UID ?? '',
    checkId: row.CHECK_ID ?? '',
    status: row.STATUS ?? '',
    severity: row.SEVERITY ?? '',
    resourceUid: row.RESOURCE_UID ?? '',
    resourceName: row.RESOURCE_NAME ?? '',
    resourceType: row.RESOURCE_TYPE ?? '',
    region: row.REGION ?? '',
  }));
}

/**
 * Returns the asset of a result and the resource of its finding. The account is the asset when
 * the resource is the account (its uid, the IAM root ARN, or nothing), and then the finding's
 * resource names the region too. Kubernetes resources are `namespace/type/name`, others their uid.
 */
export function prowlerAssetOf(row: ProwlerRow): { asset: string; resource: string } {
  const isAccount = row.resourceUid ? row.resourceUid === row.accountUid || /^arn:[^:]+:iam::[^:]*:root$/.test(row.resourceUid) : !row.resourceName;
  if (isAccount) {
    const asset = `${ACCOUNT_LABELS[row.provider.toLowerCase()] ?? `${row.provider} account`} ${row.accountUid}`;
    const region = row.region && row.region !== 'global' ? ` (${row.region})` : '';
    return { asset, resource: region ? `${row.resourceUid || asset}${region}` : asset };
  }
  const kubernetes = row.provider === 'kubernetes' || row.namespace !== undefined;
  const asset = kubernetes && row.resourceName ? [row.namespace, row.resourceType, row.resourceName].filter((part) => part).join('/') : row.resourceUid || row.resourceName;
  return { asset, resource: asset };
}

/** Prowler: every resource is an asset; FAIL results are findings with their severity, MANUAL ones informational. */
export function expectProwler(rows: ProwlerRow[]): ReportExpectation {
  const tally = new Tally();
  for (const row of rows) {
    const { asset, resource } = prowlerAssetOf(row);
    tally.addAsset(asset);
    if (row.status === 'PASS') continue;
    const severity = row.status === 'MANUAL' ? 1 : (PROWLER_SEVERITIES[row.severity.toLowerCase()] ?? 0);
    tally.addFinding(asset, `${row.checkId}|${resource}`, severity);
  }
  return tally.result();
}

// Wazuh

export interface WazuhLegacyItem {
  cve: string;
  name: string;
  version: string;
  severity: string;
  cvss2_score?: number;
  cvss3_score?: number;
  agent_name?: string;
  agent_ip?: string;
}
export interface WazuhHit {
  _source: {
    agent?: { name?: string };
    wazuh?: { agent?: { name?: string; host?: { hostname?: string } } };
    package: { name: string; version: string };
    vulnerability: { id: string; severity: string; score?: { base?: number } };
  };
}
export interface WazuhReport {
  data?: { affected_items: WazuhLegacyItem[] };
  hits?: { hits: WazuhHit[] };
}

const WAZUH_SEVERITIES: Record<string, number> = { critical: 5, high: 4, medium: 3, low: 2 };

function wazuhSeverity(name: string | undefined, scores: (number | undefined)[]): number {
  const named = WAZUH_SEVERITIES[name?.toLowerCase() ?? ''];
  if (named) return named;
  const known = scores.filter((score): score is number => typeof score === 'number' && score > 0);
  return known.length > 0 ? cvssBand(Math.max(...known)) : 1;
}

/** Returns the host of an indexer hit: the agent's hostname, else its name. */
export function wazuhHitHost(hit: WazuhHit): string {
  const agent = hit._source.agent ?? hit._source.wazuh?.agent;
  return hit._source.wazuh?.agent?.host?.hostname ?? agent?.name ?? '';
}

/** Wazuh: one host per agent (or the file stem without one); each CVE in a package version is one finding. */
export function expectWazuh(report: WazuhReport, fileName: string): ReportExpectation {
  const tally = new Tally();
  for (const item of report.data?.affected_items ?? []) {
    const host = item.agent_name ?? item.agent_ip ?? stemOf(fileName);
    tally.addFinding(host, `${item.cve}|${item.name}|${item.version}`, wazuhSeverity(item.severity, [item.cvss3_score, item.cvss2_score]));
  }
  for (const hit of report.hits?.hits ?? []) {
    const { package: pkg, vulnerability } = hit._source;
    tally.addFinding(wazuhHitHost(hit), `${vulnerability.id}|${pkg.name}|${pkg.version}`, wazuhSeverity(vulnerability.severity, [vulnerability.score?.base]));
  }
  return tally.result();
}
