// Independent reading of npm audit JSON with JSON.parse. One application per report, named by
// the file name without extension. npm 6: one finding per advisory and installed version of its
// module, keyed by the advisory's first CVE (else its GHSA or npm id), module and version.
// npm 7+: one finding per distinct advisory object in a package's `via`, keyed by the GHSA id
// in its URL (else its npm id) and the package. `via` entries that are package names add none.

import { IdentityTally } from './identity-tally';
import type { ReportExpectation } from './report-expectations';

export const NPM_SEVERITIES: Record<string, number> = { info: 1, low: 2, moderate: 3, high: 4, critical: 5 };

export interface Npm6Advisory {
  id: number;
  title: string;
  module_name: string;
  severity: string;
  cves?: string[];
  github_advisory_id?: string | null;
  patched_versions?: string;
  findings: { version: string; paths: string[] }[];
}

export interface Npm7Via {
  source: number;
  name: string;
  title: string;
  url: string;
  severity: string;
  range?: string;
}

export interface Npm7Vulnerability {
  name: string;
  via: (string | Npm7Via)[];
}

export interface NpmAuditJson {
  advisories?: Record<string, Npm6Advisory>;
  vulnerabilities?: Record<string, Npm7Vulnerability>;
}

/** Returns the vendor id of an npm 7+ advisory: the GHSA id of its URL, else the npm advisory number. */
export function npm7VendorId(via: Npm7Via): string {
  return /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(via.url)?.[0] ?? String(via.source);
}

export function expectNpmAudit(report: NpmAuditJson, assetName: string): ReportExpectation {
  const tally = new IdentityTally();
  tally.addAsset(assetName);
  for (const advisory of Object.values(report.advisories ?? {})) {
    const weakness = advisory.cves?.[0] ?? (advisory.github_advisory_id || String(advisory.id));
    for (const finding of advisory.findings) {
      tally.addFinding(assetName, `package|${weakness}|${advisory.module_name}|${finding.version}`, NPM_SEVERITIES[advisory.severity] ?? 0);
    }
  }
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string') continue;
      tally.addFinding(assetName, `package|${npm7VendorId(via)}|${vulnerability.name}|`, NPM_SEVERITIES[via.severity] ?? 0);
    }
  }
  return tally.result();
}
