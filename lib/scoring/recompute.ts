import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { DETECTION_SCORE_BANDS, type Band } from './bands';
import { assetRiskScoreV1, type BandSummary } from './asset-risk';

/** Ids per statement, so one array parameter stays small on very large imports. */
const CHUNK = 5000;

/**
 * Recomputes the stored Risk Score of the given assets from their open findings. Fixed findings
 * do not count. Callers pass only the assets an import touched, so the cost follows the size of
 * the change, not of the estate.
 */
export async function recomputeAssetRiskScores(db: Db | Tx, assetIds: readonly number[]): Promise<void> {
  for (let start = 0; start < assetIds.length; start += CHUNK) {
    const ids = assetIds.slice(start, start + CHUNK);
    await recomputeChunk(db, ids);
  }
}

async function recomputeChunk(db: Db | Tx, ids: number[]): Promise<void> {
  const idList = sql.raw(`'{${ids.map((id) => Math.trunc(id)).join(',')}}'::int[]`);
  const rows = await queryRows<{ asset_id: number; criticality: number; band: Band | null; count: number; score_sum: number }>(db, sql`
    select a.id as asset_id, a.criticality_score as criticality, s.band, coalesce(s.count, 0)::int as count, coalesce(s.score_sum, 0)::float8 as score_sum
    from assets a
    left join (
      select f.asset_id,
        case
          when f.detection_score >= ${DETECTION_SCORE_BANDS.critical} then 'critical'
          when f.detection_score >= ${DETECTION_SCORE_BANDS.high} then 'high'
          when f.detection_score >= ${DETECTION_SCORE_BANDS.medium} then 'medium'
          else 'low'
        end as band,
        count(*) as count,
        sum(f.detection_score) as score_sum
      from findings f
      where f.asset_id = any(${idList}) and f.status <> 'fixed'
      group by 1, 2
    ) s on s.asset_id = a.id
    where a.id = any(${idList})
  `);

  const perAsset = new Map<number, { criticality: number; bands: Record<Band, BandSummary> }>();
  for (const row of rows) {
    let entry = perAsset.get(row.asset_id);
    if (!entry) {
      entry = { criticality: row.criticality, bands: emptyBands() };
      perAsset.set(row.asset_id, entry);
    }
    if (row.band) entry.bands[row.band] = { count: Number(row.count), scoreSum: Number(row.score_sum) };
  }

  const updates = [...perAsset].map(([id, input]) => ({ id, risk_score: assetRiskScoreV1(input) }));
  if (updates.length === 0) return;
  await db.execute(sql`
    update assets a set risk_score = u.risk_score
    from json_to_recordset(${JSON.stringify(updates)}::json) as u(id int, risk_score real)
    where a.id = u.id and a.risk_score is distinct from u.risk_score
  `);
}

function emptyBands(): Record<Band, BandSummary> {
  return { critical: { count: 0, scoreSum: 0 }, high: { count: 0, scoreSum: 0 }, medium: { count: 0, scoreSum: 0 }, low: { count: 0, scoreSum: 0 } };
}
