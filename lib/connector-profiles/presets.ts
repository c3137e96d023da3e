// Built-in connector profile presets for CSV layouts of known tools. The profile editor offers
// them as a starting point; a preset becomes a profile only when someone saves it.

import type { ProfileInput } from './profile-schema';

export interface ProfilePreset {
  id: string;
  label: string;
  /** Columns of the files the preset reads, shown next to its name. */
  description: string;
  profile: ProfileInput;
}

export const PROFILE_PRESETS: readonly ProfilePreset[] = [
  {
    id: 'defectdojo-generic-csv',
    label: 'DefectDojo Generic Findings Import (CSV)',
    description: 'Date, Title, CweId, Url, Severity, Description, Mitigation, Impact, References, Active, Verified, FalsePositive, Duplicate',
    profile: {
      name: 'DefectDojo generic CSV',
      format: 'generic-csv',
      sourceName: 'Generic Findings Import',
      mapping: {
        Date: 'finding.firstSeen',
        Title: 'finding.title',
        CweId: 'finding.cwe',
        Url: 'asset.url',
        Severity: 'finding.severity',
        Description: 'finding.description',
        Mitigation: 'finding.solution',
        References: 'finding.references',
        FalsePositive: 'finding.falsePositive',
        CVE: 'finding.cve',
        CVSSV3: 'finding.cvss3Vector',
        CVSSV4: 'finding.cvss4Vector',
        CVSSV4_score: 'finding.cvss4Score',
        epss_score: 'finding.epss',
        fix_version: 'finding.fixedVersion',
      },
      // DefectDojo reads the Date column with dateutil, whose default order is month first;
      // its own sample files write day first (28/02/2021), which dateutil also accepts.
      csv: { delimiter: ',', skipLines: 0, hasHeaderRow: true, dateFormat: 'DD/MM/YYYY', severityMap: {} },
      keepAbsentFindings: false,
      defaultAssetKind: 'host',
    },
  },
];

/** Returns the preset's profile with only the mapped columns that the header has. */
export function presetForHeader(preset: ProfilePreset, columns: readonly string[]): ProfileInput {
  const present = new Set(columns);
  const mapping = Object.fromEntries(Object.entries(preset.profile.mapping).filter(([column]) => present.has(column)));
  return { ...preset.profile, mapping };
}
