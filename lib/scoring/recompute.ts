import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { BANDS, DETECTION_SCORE_BANDS, type Band } from './bands';
import { assetRiskScoreV1, assetRiskScoreV2, DEFAULT_CRITICALITY, type BandSummary } from './asset-risk';
import { getScoringSettings, type ScoringSettings } from './settings';
import { snapshotRiskScores } from './snapshots';
import { findingCountsTowardRisk } from './scored-findings';

/** Ids per statement, so one array parameter stays small on very large imports. */
const CHUNK = 5000;

/**
 * Recomputes the stored criticality and v1 and v2 Risk Scores of the given assets from their tags
 * and open findings, then upserts today's snapshot of the organization and of every tag and
 * business entity that has one of the changed assets as a member. Only findings that pass
 * `findingCountsTowardRisk` count. Callers pass only the assets an import touched, so the cost
 * follows the size of the change, not of the estate.
 */
export async function recomputeAssetRiskScores(db: Db | Tx, assetIds: readonly number[]): Promise<void> {
  if (assetIds.length === 0) return;
  const settings = await getScoringSettings(db);
  const changed: number[] = [];
  for (let start = 0; start < assetIds.length; start += CHUNK) {
    changed.push(...(await recomputeChunk(db, assetIds.slice(start, start + CHUNK), settings)));
  }
  // Groups none of whose members changed keep today's snapshot; the organization's is always upserted.
  // NOTE: this reads every member of every group with a changed member, which is most of the time
  // of a change spread over many assets (bench/RESULTS.md), and keeps that case over one second
  // on a loaded machine.
  await snapshotRiskScores(db, { assetIds: changed });
}

/** Recomputes every asset's scores and every snapshot of today; `riskboard scores recompute` runs it. */
export async function recomputeAllRiskScores(db: Db | Tx): Promise<{ assetCount: number }> {
  const settings = await getScoringSettings(db);
  let assetCount = 0;
  let after = 0;
  for (;;) {
    const rows = await queryRows<{ id: number }>(db, sql`select id from assets where id > ${after} order by id limit ${CHUNK}`);
    if (rows.length === 0) break;
    const ids = rows.map((row) => Number(row.id));
    await recomputeChunk(db, ids, settings);
    assetCount += ids.length;
    after = ids[ids.length - 1] ?? after;
  }
  await snapshotRiskScores(db, { all: true });
  return { assetCount };
}

interface ChunkRow {
  asset_id: number;
  internet_facing: boolean;
  criticality: number;
  band: Band | null;
  count: number;
  score_sum: number;
  max_score: number;
}

/** Recomputes one chunk of assets and returns the ids whose stored scores changed. */
async function recomputeChunk(db: Db | Tx, ids: number[], settings: ScoringSettings): Promise<number[]> {
  const idList = sql.raw(`'{${ids.map((id) => Math.trunc(id)).join(',')}}'::int[]`);
  const rows = await queryRows<ChunkRow>(db, sql`
    select a.id as asset_id, a.internet_facing,
      coalesce(c.criticality, ${DEFAULT_CRITICALITY})::int as criticality,
      s.band, coalesce(s.count, 0)::int as count, coalesce(s.score_sum, 0)::float8 as score_sum, coalesce(s.max_score, 0)::int as max_score
    from assets a
    left join (
      select at.asset_id, max(t.criticality_score) as criticality
      from asset_tags at join tags t on t.id = at.tag_id
      where at.asset_id = any(${idList})
      group by at.asset_id
    ) c on c.asset_id = a.id
    left join (
      select f.asset_id,
        case
          when f.detection_score >= ${DETECTION_SCORE_BANDS.critical} then 'critical'
          when f.detection_score >= ${DETECTION_SCORE_BANDS.high} then 'high'
          when f.detection_score >= ${DETECTION_SCORE_BANDS.medium} then 'medium'
          else 'low'
        end as band,
        count(*) as count,
        sum(f.detection_score) as score_sum,
        max(f.detection_score) as max_score
      from findings f
      where f.asset_id = any(${idList}) and ${findingCountsTowardRisk('f')}
      group by 1, 2
    ) s on s.asset_id = a.id
    where a.id = any(${idList})
  `);

  const updates = computeAssetScores(rows, settings);
  if (updates.length === 0) return [];
  const changed = await queryRows<{ id: number }>(db, sql`
    update assets a set risk_score = u.risk_score, risk_score_v2 = u.risk_score_v2, criticality_score = u.criticality_score
    from json_to_recordset(${JSON.stringify(updates)}::json) as u(id int, risk_score real, risk_score_v2 real, criticality_score int)
    where a.id = u.id
      and (a.risk_score, a.risk_score_v2, a.criticality_score) is distinct from (u.risk_score, u.risk_score_v2, u.criticality_score)
    returning a.id
  `);
  return changed.map((row) => Number(row.id));
}

interface AssetScoreState {
  criticality: number;
  internetFacing: boolean;
  bands: Record<Band, BandSummary>;
  maxScore: number;
}

function computeAssetScores(rows: ChunkRow[], settings: ScoringSettings) {
  const perAsset = new Map<number, AssetScoreState>();
  for (const row of rows) {
    let entry = perAsset.get(row.asset_id);
    if (!entry) {
      entry = { criticality: Number(row.criticality), internetFacing: Boolean(row.internet_facing), bands: emptyBands(), maxScore: 0 };
      perAsset.set(row.asset_id, entry);
    }
    if (row.band) {
      entry.bands[row.band] = { count: Number(row.count), scoreSum: Number(row.score_sum) };
      entry.maxScore = Math.max(entry.maxScore, Number(row.max_score));
    }
  }

  return [...perAsset].map(([id, state]) => {
    const counts = Object.fromEntries(BANDS.map((band) => [band, state.bands[band].count])) as Record<Band, number>;
    const v2 = assetRiskScoreV2({ criticality: state.criticality, internetFacing: state.internetFacing, maxDetectionScore: state.maxScore, counts }, settings.assetRiskV2);
    return { id, risk_score: assetRiskScoreV1(state), risk_score_v2: v2.score, criticality_score: state.criticality };
  });
}

export function emptyBands(): Record<Band, BandSummary> {
  return { critical: { count: 0, scoreSum: 0 }, high: { count: 0, scoreSum: 0 }, medium: { count: 0, scoreSum: 0 }, low: { count: 0, scoreSum: 0 } };
}
