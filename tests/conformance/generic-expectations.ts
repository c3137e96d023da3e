// Independent readings of DefectDojo's Generic Findings Import files, by JSON.parse and
// csv-parse, with no code of lib/ingest. Findings are keyed by the product's identity rules:
// [source, vendor id, port, protocol] when the finding has a vendor id, then [CVE, port,
// protocol], then [title, port, protocol], each on its asset.

import type { ReportExpectation } from './report-expectations';

/** DefectDojo's severities on the product's 1–5 scale. */
export const GENERIC_SEVERITIES: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };


const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

export interface GenericJsonFinding {
  title: string;
  severity: string;
  cve?: string;
  vuln_id_from_tool?: string;
  endpoints?: (string | { host: string; port?: number })[];
  [key: string]: unknown;
}

export interface GenericJsonReport {
  name?: string;
  findings: GenericJsonFinding[];
}

class Tally {
  private readonly assets = new Set<string>();
  private readonly findings = new Map<string, { asset: string; severity: number }>();

  add(asset: string, identity: string, severity: number): void {
    this.assets.add(asset);
    const key = `${asset}\u0000${identity}`;
    if (!this.findings.has(key)) this.findings.set(key, { asset, severity });
  }

  result(): ReportExpectation {
    const findingsByAsset = new Map<string, number>();
    const findingsBySeverity = new Map<number, number>();
    for (const { asset, severity } of this.findings.values()) {
      findingsByAsset.set(asset, (findingsByAsset.get(asset) ?? 0) + 1);
      findingsBySeverity.set(severity, (findingsBySeverity.get(severity) ?? 0) + 1);
    }
    return { assetNames: this.assets, findingsByAsset, findingsBySeverity, assets: this.assets.size, findings: this.findings.size };
  }
}

function identity(finding: { vendorId?: string; cve?: string; title: string }, port: number | undefined): string {
  const where = port === undefined ? '' : `${port}/tcp`;
  if (finding.vendorId) return `vendor|${finding.vendorId}|${where}`;
  if (finding.cve) return `cve|${finding.cve.toUpperCase()}|${where}`;
  return `title|${finding.title.toLowerCase()}|${where}`;
}

/** Returns the host and port of an endpoint URL, `host[:port]` string or `{ host, port }` object. */
export function endpointOf(endpoint: string | { host: string; port?: number }): { host: string; port?: number } {
  if (typeof endpoint !== 'string') return { host: endpoint.host.toLowerCase(), ...(endpoint.port === undefined ? {} : { port: endpoint.port }) };
  const url = new URL(endpoint.includes('://') ? endpoint : `none://${endpoint}`);
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  return { host: url.hostname.toLowerCase(), ...(port === undefined ? {} : { port }) };
}

/** `fileAsset` names the asset of findings without endpoints when the report has no name. */
export function expectGenericJson(report: GenericJsonReport, fileAsset: string): ReportExpectation {
  const tally = new Tally();
  const reportAsset = report.name?.trim() || fileAsset;
  for (const finding of report.findings) {
    const severity = GENERIC_SEVERITIES[finding.severity.toLowerCase()] ?? 0;
    const key = { vendorId: finding.vuln_id_from_tool, cve: finding.cve, title: finding.title };
    const endpoints = finding.endpoints ?? [];
    if (endpoints.length === 0) tally.add(reportAsset, identity(key, undefined), severity);
    for (const endpoint of endpoints) {
      const { host, port } = endpointOf(endpoint);
      tally.add(host, identity(key, port), severity);
    }
  }
  return tally.result();
}

/** Expectation of DefectDojo's generic CSV read with the preset profile: the asset is the Url host. */
export function expectGenericCsv(rows: Record<string, string>[]): ReportExpectation {
  const tally = new Tally();
  for (const row of rows) {
    const { host, port } = endpointOf(row.Url ?? '');
    tally.add(host, identity({ title: row.Title ?? '' }, port), GENERIC_SEVERITIES[(row.Severity ?? '').toLowerCase()] ?? 0);
  }
  return tally.result();
}
