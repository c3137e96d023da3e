import type { Db } from '@/db/client';
import { organizationRiskScore, type OrganizationRiskScore } from '@/lib/scoring/organization';

export type RiskScoreData = OrganizationRiskScore;

export function loadRiskScore(db: Db): Promise<RiskScoreData> {
  return organizationRiskScore(db);
}
