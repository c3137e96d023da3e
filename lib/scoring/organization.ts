import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { riskBand, type Band } from './bands';

export interface OrganizationRiskScore {
  score: number;
  band: Band;
  assetCount: number;
}

/**
 * Computes the organization's Risk Score, first version: the mean of all assets' Risk Scores
 * (0–1000), rounded to a whole number.
 *
 * TODO: the mean falls when a low-risk asset is added and rises when a minor finding is fixed;
 * the risk-averse aggregate that never scores below the riskiest asset replaces it as default.
 */
export async function organizationRiskScore(db: Db): Promise<OrganizationRiskScore> {
  const [row] = await queryRows<{ score: number | null; asset_count: number }>(
    db,
    sql`select avg(risk_score)::float8 as score, count(*)::int as asset_count from assets`,
  );
  const score = Math.round(row?.score ?? 0);
  return { score, band: riskBand(score), assetCount: Number(row?.asset_count ?? 0) };
}
