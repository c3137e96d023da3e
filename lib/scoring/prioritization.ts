import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { aggregateFromParts, memberMass } from './aggregate';
import { assetRiskScoreV2 } from './asset-risk';
import { detectionScoreBand, type Band } from './bands';
import { getScoringSettings, type ScoringSettings } from './settings';
import { organizationParts } from './snapshots';
import { findingCountsTowardRisk } from './scored-findings';

/** Findings considered as single fixes: the highest Detection Scores on the riskiest assets. */
const FINDING_CANDIDATES = 300;
/** CVEs considered as fixes across assets: those with the highest summed Detection Score. */
const CVE_CANDIDATES = 60;

export type RemediationItem =
  | { kind: 'finding'; findingId: number; title: string; assetId: number; assetName: string; detectionScore: number; drop: number; uncappedDrop: number }
  | { kind: 'cve'; cveId: string; findingCount: number; assetCount: number; maxDetectionScore: number; drop: number; uncappedDrop: number };

export interface RemediationPlan {
  /** The organization's current v2 Risk Score, unrounded. */
  score: number;
  items: RemediationItem[];
}

/** An open finding of an asset in the plan, with its Detection Score band worked out once. */
interface ScoredFinding {
  id: number;
  cveId: string | null;
  detectionScore: number;
  band: Band;
}

interface AssetState {
  id: number;
  name: string;
  criticality: number;
  internetFacing: boolean;
  score: number;
  /** v2 before the cap with every open finding counted. */
  uncapped: number;
  counts: Record<Band, number>;
  /** Open findings, highest Detection Score first (ties by id), so the highest remaining one is found by a short walk. */
  findings: ScoredFinding[];
}

/**
 * Ranks fixes by how much each would lower the organization's v2 Risk Score, then by how far it
 * would lower the affected assets' v2 before the cap: single findings and CVEs across every asset
 * they affect. Each drop is exact: the affected assets' v2 scores are
 * re-evaluated without the fixed findings, and the organization score from the new maximum and
 * summed mass. A candidate costs one pass over its own fixed findings and a short walk down each
 * affected asset's findings, which are indexed by CVE once, so no candidate rescans every asset.
 */
export async function remediationPlan(db: Db, limit = 50): Promise<RemediationPlan> {
  const settings = await getScoringSettings(db);
  const spread = settings.aggregateV2.spread;
  const parts = await organizationParts(db);
  const score = aggregateFromParts(parts.maxV2, parts.mass, spread);

  // The two candidate queries each read every open finding, so on Postgres they run side by side.
  const [findingRows, cveRows] = await Promise.all([
    queryRows<{ id: number; asset_id: number }>(
      db,
      sql`select f.id, f.asset_id from findings f join assets a on a.id = f.asset_id
          where ${findingCountsTowardRisk('f')} order by a.risk_score_v2 desc, f.detection_score desc, f.id limit ${FINDING_CANDIDATES}`,
    ),
    queryRows<{ cve_id: string }>(
      db,
      sql`select cve_id from findings f where ${findingCountsTowardRisk('f')} and cve_id is not null
          group by cve_id order by sum(detection_score) desc, cve_id limit ${CVE_CANDIDATES}`,
    ),
  ]);
  const cveIds = cveRows.map((row) => row.cve_id);
  const candidateFindingIds = findingRows.map((row) => Number(row.id));

  const assets = await loadAssetStates(db, findingRows.map((row) => Number(row.asset_id)), cveIds, settings);
  const titles = await loadTitles(db, candidateFindingIds);
  // The riskiest assets, enough that one outside any candidate's changed set is always among them.
  const ranking = await queryRows<{ id: number; risk_score_v2: number }>(
    db,
    sql`select id, risk_score_v2 from assets order by risk_score_v2 desc, id limit ${assets.size + 1}`,
  );

  // Evaluates the organization without the fixed findings, and how far the affected assets'
  // v2 falls before the 1000 cap, which still ranks fixes while a capped asset saturates the score.
  const evaluate = (fixed: Map<number, ScoredFinding[]>): { drop: number; uncappedDrop: number } => {
    let mass = parts.mass;
    let max = 0;
    let uncappedDrop = 0;
    for (const [assetId, fixedFindings] of fixed) {
      const asset = assets.get(assetId);
      if (!asset) continue;
      const after = scoreWithout(asset, fixedFindings, settings);
      mass += memberMass(after.score) - memberMass(asset.score);
      max = Math.max(max, after.score);
      uncappedDrop += asset.uncapped - after.uncapped;
    }
    const unchanged = ranking.find((row) => !fixed.has(Number(row.id)));
    if (unchanged) max = Math.max(max, Number(unchanged.risk_score_v2));
    return { drop: score - aggregateFromParts(max, Math.max(0, mass), spread), uncappedDrop };
  };

  const items: RemediationItem[] = [];
  for (const row of findingRows) {
    const asset = assets.get(Number(row.asset_id));
    const finding = asset?.findings.find((entry) => entry.id === Number(row.id));
    if (!asset || !finding) continue;
    const { drop, uncappedDrop } = evaluate(new Map([[asset.id, [finding]]]));
    items.push({ kind: 'finding', findingId: finding.id, title: titles.get(finding.id) ?? '', assetId: asset.id, assetName: asset.name, detectionScore: finding.detectionScore, drop, uncappedDrop });
  }

  const findingsByCve = indexFindingsByCve(assets, cveIds);
  for (const cveId of cveIds) {
    const fixed = findingsByCve.get(cveId);
    if (!fixed || fixed.size === 0) continue;
    let findingCount = 0;
    let maxDetectionScore = 0;
    for (const matching of fixed.values()) {
      findingCount += matching.length;
      for (const finding of matching) maxDetectionScore = Math.max(maxDetectionScore, finding.detectionScore);
    }
    items.push({ kind: 'cve', cveId, findingCount, assetCount: fixed.size, maxDetectionScore, ...evaluate(fixed) });
  }

  items.sort((a, b) => b.drop - a.drop || b.uncappedDrop - a.uncappedDrop);
  return { score, items: items.filter((item) => item.drop > 0 || item.uncappedDrop > 0).slice(0, limit) };
}

/** Groups the open findings of each candidate CVE by asset, in one pass over the loaded findings. */
function indexFindingsByCve(assets: Map<number, AssetState>, cveIds: string[]): Map<string, Map<number, ScoredFinding[]>> {
  const index = new Map<string, Map<number, ScoredFinding[]>>(cveIds.map((cveId) => [cveId, new Map()]));
  for (const asset of assets.values()) {
    for (const finding of asset.findings) {
      if (finding.cveId === null) continue;
      const byAsset = index.get(finding.cveId);
      if (!byAsset) continue;
      const matching = byAsset.get(asset.id);
      if (matching) matching.push(finding);
      else byAsset.set(asset.id, [finding]);
    }
  }
  return index;
}

/**
 * Computes an asset's v2 without the given findings, capped and before the cap. The fixed findings
 * must be the asset's own, each listed once. The highest remaining Detection Score is that of the
 * first finding in the asset's descending list that is not fixed.
 */
function scoreWithout(asset: AssetState, fixed: readonly ScoredFinding[], settings: ScoringSettings): { score: number; uncapped: number } {
  const counts = { ...asset.counts };
  const fixedIds = new Set<number>();
  for (const finding of fixed) {
    counts[finding.band]--;
    fixedIds.add(finding.id);
  }
  let max = 0;
  for (const finding of asset.findings) {
    if (fixedIds.has(finding.id)) continue;
    max = Math.max(0, finding.detectionScore);
    break;
  }
  const result = assetRiskScoreV2({ criticality: asset.criticality, internetFacing: asset.internetFacing, maxDetectionScore: max, counts }, settings.assetRiskV2);
  return { score: result.score, uncapped: result.criticality * result.external * result.base };
}

/**
 * Loads the open findings of every asset a candidate touches: the candidate findings' assets and
 * every asset with an open finding of a candidate CVE. The assets are found first, so the findings
 * are read by asset id in one pass, and only four narrow columns per finding are read, because a
 * CVE candidate can pull in hundreds of thousands of rows.
 */
async function loadAssetStates(db: Db, assetIds: number[], cveIds: string[], settings: ScoringSettings): Promise<Map<number, AssetState>> {
  const assetRows = await queryRows<{ id: number; name: string; criticality_score: number; internet_facing: boolean; risk_score_v2: number }>(
    db,
    sql`select a.id, a.name, a.criticality_score, a.internet_facing, a.risk_score_v2 from assets a
        where a.id = any(${intArray(assetIds)})
           or a.id in (select asset_id from findings open_finding where ${findingCountsTowardRisk('open_finding')}
                         and cve_id in (select jsonb_array_elements_text(${JSON.stringify(cveIds)}::jsonb)))
        order by a.id`,
  );
  const findingRows = await queryRows<{ asset_id: number; id: number; cve_id: string | null; detection_score: number }>(
    db,
    sql`select f.asset_id, f.id, f.cve_id, f.detection_score from findings f
        where f.asset_id = any(${intArray(assetRows.map((row) => Number(row.id)))}) and ${findingCountsTowardRisk('f')}`,
  );

  const assets = new Map<number, AssetState>();
  for (const row of assetRows) {
    const id = Number(row.id);
    assets.set(id, {
      id,
      name: row.name,
      criticality: Number(row.criticality_score),
      internetFacing: Boolean(row.internet_facing),
      score: Number(row.risk_score_v2),
      uncapped: 0,
      counts: { critical: 0, high: 0, medium: 0, low: 0 },
      findings: [],
    });
  }
  for (const row of findingRows) {
    const asset = assets.get(Number(row.asset_id));
    if (!asset) continue;
    const detectionScore = Number(row.detection_score);
    const band = detectionScoreBand(detectionScore);
    asset.counts[band]++;
    asset.findings.push({ id: Number(row.id), cveId: row.cve_id, detectionScore, band });
  }

  // No fix touches an asset without open findings, which happens when its last one was fixed between the two queries.
  for (const [id, asset] of assets) {
    if (asset.findings.length === 0) {
      assets.delete(id);
      continue;
    }
    asset.findings.sort((a, b) => b.detectionScore - a.detectionScore || a.id - b.id);
    asset.uncapped = scoreWithout(asset, [], settings).uncapped;
  }
  return assets;
}

/** Reads the titles of the candidate findings, the only findings the plan shows by name. */
async function loadTitles(db: Db, findingIds: number[]): Promise<Map<number, string>> {
  if (findingIds.length === 0) return new Map();
  const rows = await queryRows<{ id: number; title: string }>(db, sql`select id, title from findings where id = any(${intArray(findingIds)})`);
  return new Map(rows.map((row) => [Number(row.id), row.title]));
}

/** Renders ids as an SQL integer array literal. The ids come from the database, and truncation keeps the literal numeric. */
function intArray(ids: readonly number[]): SQL {
  return sql.raw(`'{${[...new Set(ids)].map((id) => Math.trunc(id)).join(',')}}'::int[]`);
}
