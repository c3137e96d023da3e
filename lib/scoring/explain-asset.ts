import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { BANDS, DETECTION_SCORE_BANDS, type Band } from './bands';
import { assetRiskScoreV1, assetRiskScoreV2, DEFAULT_BAND_WEIGHTS, DEFAULT_CRITICALITY, type AssetRiskV2, type RiskTerm } from './asset-risk';
import { emptyBands } from './recompute';
import { getScoringSettings } from './settings';
import { findingCountsTowardRisk } from './scored-findings';
import { acceptedFindingsSummary, type AcceptedFindingsSummary } from '../risk-acceptance/exclusions';

export interface AssetRiskExplanation {
  stored: { v1: number; v2: number };
  criticality: number;
  /** The tag that sets the criticality, or null for the default. */
  criticalityTag: string | null;
  internetFacing: boolean;
  v1: { score: number; terms: RiskTerm[] };
  v2: AssetRiskV2;
  /** Open findings left out because an active risk acceptance covers them, and the rules. */
  acceptedFindings: AcceptedFindingsSummary;
}

/** Rebuilds both versions of an asset's Risk Score, term by term, from its tags and open findings. */
export async function explainAssetRisk(db: Db, assetId: number): Promise<AssetRiskExplanation | undefined> {
  const [asset] = await queryRows<{ risk_score: number; risk_score_v2: number; internet_facing: boolean }>(
    db,
    sql`select risk_score, risk_score_v2, internet_facing from assets where id = ${assetId}`,
  );
  if (!asset) return undefined;

  const [tag] = await queryRows<{ name: string; criticality_score: number }>(
    db,
    sql`select t.name, t.criticality_score from asset_tags at join tags t on t.id = at.tag_id
        where at.asset_id = ${assetId} and t.criticality_score is not null
        order by t.criticality_score desc, t.name limit 1`,
  );
  const bandRows = await queryRows<{ band: Band; count: number; score_sum: number; max_score: number }>(
    db,
    sql`select case
          when detection_score >= ${DETECTION_SCORE_BANDS.critical} then 'critical'
          when detection_score >= ${DETECTION_SCORE_BANDS.high} then 'high'
          when detection_score >= ${DETECTION_SCORE_BANDS.medium} then 'medium'
          else 'low' end as band,
        count(*)::int as count, sum(detection_score)::float8 as score_sum, max(detection_score)::int as max_score
      from findings f where f.asset_id = ${assetId} and ${findingCountsTowardRisk('f')} group by 1`,
  );

  const criticality = tag ? Number(tag.criticality_score) : DEFAULT_CRITICALITY;
  const bands = emptyBands();
  let maxScore = 0;
  for (const row of bandRows) {
    bands[row.band] = { count: Number(row.count), scoreSum: Number(row.score_sum) };
    maxScore = Math.max(maxScore, Number(row.max_score));
  }

  const v1Terms: RiskTerm[] = BANDS.filter((band) => bands[band].count > 0).map((band) => {
    const { count, scoreSum } = bands[band];
    const mean = scoreSum / count;
    return {
      name: `${band} findings`,
      value: `${DEFAULT_BAND_WEIGHTS[band]} × mean ${mean.toFixed(1)} × ${count}^0.01`,
      points: DEFAULT_BAND_WEIGHTS[band] * mean * Math.pow(count, 0.01),
    };
  });
  const counts = Object.fromEntries(BANDS.map((band) => [band, bands[band].count])) as Record<Band, number>;
  const settings = await getScoringSettings(db);

  return {
    stored: { v1: Number(asset.risk_score), v2: Number(asset.risk_score_v2) },
    criticality,
    criticalityTag: tag?.name ?? null,
    internetFacing: Boolean(asset.internet_facing),
    v1: { score: assetRiskScoreV1({ criticality, bands }), terms: v1Terms },
    v2: assetRiskScoreV2({ criticality, internetFacing: Boolean(asset.internet_facing), maxDetectionScore: maxScore, counts }, settings.assetRiskV2),
    acceptedFindings: await acceptedFindingsSummary(db, [assetId]),
  };
}
