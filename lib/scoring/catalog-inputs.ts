import type { DetectionScoreInput } from './detection-score';

/** The vulnerability catalog columns of one CVE that feed a Detection Score. */
export interface CatalogThreatRow {
  is_kev: boolean;
  kev_ransomware_use: boolean | null;
  epss_score: number | null;
  epss_trend: number | null;
  threat_actors: string[] | null;
}

export type CatalogScoreInputs = Pick<DetectionScoreInput, 'isKev' | 'usedByRansomware' | 'threatActors' | 'epssScore' | 'trend'>;

/**
 * Combines the catalog rows of a finding's CVEs: a threat fact of any CVE counts, the threat
 * actors are the union, and EPSS and its trend are the highest of the CVEs. The import, the feed
 * rescore and the finding page's explanation all score through this one function.
 */
export function scoreInputsFromCatalog(rows: readonly CatalogThreatRow[]): CatalogScoreInputs {
  const inputs: CatalogScoreInputs = {
    isKev: rows.some((row) => row.is_kev),
    usedByRansomware: rows.some((row) => row.kev_ransomware_use === true),
  };
  const actors = [...new Set(rows.flatMap((row) => row.threat_actors ?? []))].sort();
  if (actors.length > 0) inputs.threatActors = actors;
  const epss = maxOf(rows.map((row) => row.epss_score));
  if (epss !== undefined) inputs.epssScore = epss;
  const trend = maxOf(rows.map((row) => row.epss_trend));
  if (trend !== undefined) inputs.trend = trend;
  return inputs;
}

function maxOf(values: readonly (number | null | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const value of values) {
    if (value !== null && value !== undefined && (best === undefined || Number(value) > best)) best = Number(value);
  }
  return best;
}
