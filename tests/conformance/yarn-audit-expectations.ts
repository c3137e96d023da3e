// Independent reading of yarn audit reports with JSON.parse, without lib/ingest. One application
// per report, named by the file name without extension.
// - yarn 1 lines (`auditAdvisory`) and npm 6-shaped JSON (`advisories`): one finding per distinct
//   advisory id and installed version of its module.
// - yarn 2+ lines (`value`, `children`): one finding per line and `Tree Versions` entry.
// As the default identification rules do, findings with a CVE are keyed by CVE, package and
// version. The others are keyed by their GHSA id (from the URL), else the advisory id.

import { defaultIdentity } from './identification-expectations';
import { IdentityTally } from './identity-tally';
import type { ReportExpectation } from './report-expectations';

export const YARN_SEVERITIES: Record<string, number> = { info: 1, low: 2, moderate: 3, high: 4, critical: 5 };

export interface YarnAdvisory {
  id: number;
  title: string;
  module_name: string;
  severity: string;
  cves?: string[];
  github_advisory_id?: string | null;
  patched_versions?: string;
  findings: { version: string }[];
}

export interface YarnBerryEntry {
  value: string;
  children: { ID: number | string; Issue: string; URL?: string; Severity: string; 'Vulnerable Versions'?: string; 'Tree Versions'?: string[] };
}

/** Returns the advisories of a yarn 1 report (first line per id) or of an npm 6-shaped report. */
export function yarnAdvisories(text: string): YarnAdvisory[] {
  const byId = new Map<number, YarnAdvisory>();
  for (const document of documents(text)) {
    const record = document as { type?: string; data?: { advisory?: YarnAdvisory }; advisories?: Record<string, YarnAdvisory> };
    const advisories = record.type === 'auditAdvisory' && record.data?.advisory ? [record.data.advisory] : Object.values(record.advisories ?? {});
    for (const advisory of advisories) if (!byId.has(advisory.id)) byId.set(advisory.id, advisory);
  }
  return [...byId.values()];
}

export function yarnBerryEntries(text: string): YarnBerryEntry[] {
  return documents(text).filter((line): line is YarnBerryEntry => typeof line === 'object' && line !== null && 'children' in line);
}

/** Parses the text as one JSON document, else as JSON lines. */
function documents(text: string): unknown[] {
  try {
    return [JSON.parse(text) as unknown];
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  }
}

export function berryVendorId(entry: YarnBerryEntry): string {
  return /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(entry.children.URL ?? '')?.[0] ?? String(entry.children.ID);
}

export function expectYarnAudit(text: string, assetName: string, source: string): ReportExpectation {
  const tally = new IdentityTally();
  tally.addAsset(assetName);
  for (const advisory of yarnAdvisories(text)) {
    const vendorId = advisory.github_advisory_id || String(advisory.id);
    for (const finding of advisory.findings) {
      const identity = defaultIdentity({ source, cve: advisory.cves?.[0], vendorId, title: advisory.title, product: advisory.module_name, version: finding.version });
      tally.addFinding(assetName, identity, YARN_SEVERITIES[advisory.severity] ?? 0);
    }
  }
  for (const entry of yarnBerryEntries(text)) {
    for (const version of entry.children['Tree Versions'] ?? ['']) {
      const identity = defaultIdentity({ source, vendorId: berryVendorId(entry), title: entry.children.Issue, product: entry.value, version });
      tally.addFinding(assetName, identity, YARN_SEVERITIES[entry.children.Severity] ?? 0);
    }
  }
  return tally.result();
}
