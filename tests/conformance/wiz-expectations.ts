// Independent reading of Wiz CSV exports with csv-parse, without lib/ingest.
// Issues: one cloud resource per `Resource external ID`, resolved rows included. Every row that
// is not RESOLVED is a misconfiguration keyed by control id and resource under the default rules.
// Vulnerability findings: one cloud resource per `ProviderUniqueId` (else `AssetID`); every row
// that is not Resolved is a finding keyed by CVE, package and version, or by its advisory id.

import { parse } from 'csv-parse/sync';
import { defaultIdentity } from './identification-expectations';
import { IdentityTally } from './identity-tally';
import type { ReportExpectation } from './report-expectations';

export const WIZ_SEVERITIES: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

export type WizRow = Record<string, string>;

export function wizRows(text: string): WizRow[] {
  return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as WizRow[];
}

export function expectWizIssues(rows: WizRow[]): ReportExpectation {
  const tally = new IdentityTally();
  for (const row of rows) {
    const resource = (row['Resource external ID'] ?? '').trim();
    tally.addAsset(resource);
    if (row.Status?.toUpperCase() === 'RESOLVED') continue;
    const identity = defaultIdentity({ type: 'misconfiguration', source: 'Wiz', vendorId: row['Control ID'], title: row.Title ?? '', product: resource });
    tally.addFinding(resource, identity, WIZ_SEVERITIES[(row.Severity ?? '').toLowerCase()] ?? 0);
  }
  return tally.result();
}

export function wizVulnerabilityAsset(row: WizRow): string {
  return (row.ProviderUniqueId || row.AssetID || '').trim();
}

export function expectWizVulnerabilities(rows: WizRow[]): ReportExpectation {
  const tally = new IdentityTally();
  for (const row of rows) {
    const asset = wizVulnerabilityAsset(row);
    tally.addAsset(asset);
    if (row.FindingStatus?.toLowerCase() === 'resolved') continue;
    const name = row.Name ?? '';
    const cve = /^CVE-\d{4}-\d+$/i.test(name) ? name : undefined;
    const identity = defaultIdentity({ source: 'Wiz', cve, vendorId: name, title: name, product: row.DetailedName, version: row.Version });
    tally.addFinding(asset, identity, WIZ_SEVERITIES[(row.VendorSeverity || row.CVSSSeverity || '').toLowerCase()] ?? 0);
  }
  return tally.result();
}
