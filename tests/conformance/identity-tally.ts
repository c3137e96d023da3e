// Counts of distinct findings by asset and identity key, for the conformance readings of the
// Nexpose, SARIF and npm audit reports. A finding the report repeats keeps its highest severity,
// as the import does when it merges repeats.

import type { ReportExpectation } from './report-expectations';

export class IdentityTally {
  private readonly assets = new Set<string>();
  private readonly findings = new Map<string, { asset: string; severity: number }>();

  addAsset(asset: string): void {
    this.assets.add(asset);
  }

  addFinding(asset: string, identity: string, severity: number): void {
    this.assets.add(asset);
    const key = `${asset}\u0000${identity.toLowerCase()}`;
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

/** Returns the product's 1–5 severity of a 0–10 score by the CVSS v3 rating bands (0 is informational). */
export function bandOf(score: number): number {
  if (score === 0) return 1;
  if (score < 4) return 2;
  if (score < 7) return 3;
  if (score < 9) return 4;
  return 5;
}
