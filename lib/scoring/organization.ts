import type { Db } from '../../db/client';
import { riskBand, type Band } from './bands';
import { getScoringSettings } from './settings';
import { organizationParts, scoresFromParts } from './snapshots';

export interface OrganizationRiskScore {
  score: number;
  band: Band;
  assetCount: number;
}

/**
 * Computes the organization's Risk Score (0–1000) in the version the scoring settings choose:
 * v2 (default), the riskiest asset plus breadth, or v1, the mean of all assets' v1 scores. Rounded
 * to a whole number; docs/scoring.md defines both.
 */
export async function organizationRiskScore(db: Db): Promise<OrganizationRiskScore> {
  const settings = await getScoringSettings(db);
  const parts = await organizationParts(db);
  const scores = scoresFromParts(parts, settings.aggregateV2.spread);
  const score = Math.round(settings.displayedVersion === 'v1' ? scores.v1 : scores.v2);
  return { score, band: riskBand(score), assetCount: parts.assetCount };
}
