import type { FindingRecord, VulnerabilityFacts } from '../model';

/** Copies the CVSS 2, 3 and 4 vectors and base scores that a finding has into its CVE's facts for the vulnerability catalog. */
export function copyCvssScores(finding: FindingRecord, facts: VulnerabilityFacts): void {
  if (finding.cvss2Vector) facts.cvss2Vector = finding.cvss2Vector;
  if (finding.cvss2BaseScore !== undefined) facts.cvss2BaseScore = finding.cvss2BaseScore;
  if (finding.cvss3Vector) facts.cvss3Vector = finding.cvss3Vector;
  if (finding.cvss3BaseScore !== undefined) facts.cvss3BaseScore = finding.cvss3BaseScore;
  if (finding.cvss4Vector) facts.cvss4Vector = finding.cvss4Vector;
  if (finding.cvss4BaseScore !== undefined) facts.cvss4BaseScore = finding.cvss4BaseScore;
}
