// The remediation plan as computed before it indexed findings by CVE and walked sorted lists:
// every CVE candidate scanned every loaded asset's findings, and each fix re-scored the affected
// assets from scratch. Kept unchanged as the reference that lib/scoring/prioritization.ts must
// match exactly; only the imports and the names below differ.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { aggregateFromParts, memberMass } from '../../lib/scoring/aggregate';
import { assetRiskScoreV2 } from '../../lib/scoring/asset-risk';
import { detectionScoreBand, type Band } from '../../lib/scoring/bands';
import { getScoringSettings, type ScoringSettings } from '../../lib/scoring/settings';
import { organizationParts } from '../../lib/scoring/snapshots';
import { findingCountsTowardRisk } from '../../lib/scoring/scored-findings';

/** Findings considered as single fixes: the highest Detection Scores on the riskiest assets. */
const FINDING_CANDIDATES = 300;
/** CVEs considered as fixes across assets: those with the highest summed Detection Score. */
const CVE_CANDIDATES = 60;

type RemediationItem =
  | { kind: 'finding'; findingId: number; title: string; assetId: number; assetName: string; detectionScore: number; drop: number; uncappedDrop: number }
  | { kind: 'cve'; cveId: string; findingCount: number; assetCount: number; maxDetectionScore: number; drop: number; uncappedDrop: number };

interface RemediationPlan {
  /** The organization's current v2 Risk Score, unrounded. */
  score: number;
  items: RemediationItem[];
}

interface AssetState {
  id: number;
  name: string;
  criticality: number;
  internetFacing: boolean;
  score: number;
  counts: Record<Band, number>;
  /** Open findings; `title` is empty except for the candidate findings. */
  findings: { id: number; cveId: string | null; detectionScore: number; title: string }[];
}

/**
 * Ranks fixes by how much each would lower the organization's v2 Risk Score, then by how far it
 * would lower the affected assets' v2 before the cap: single findings and CVEs across every asset
 * they affect. Each drop is exact: the affected assets' v2 scores are
 * re-evaluated without the fixed findings, and the organization score from the new maximum and
 * summed mass, so no fix costs more than a pass over the affected assets' findings.
 */
export async function referenceRemediationPlan(db: Db, limit = 50): Promise<RemediationPlan> {
  const settings = await getScoringSettings(db);
  const spread = settings.aggregateV2.spread;
  const parts = await organizationParts(db);
  const score = aggregateFromParts(parts.maxV2, parts.mass, spread);

  const findingRows = await queryRows<{ id: number; asset_id: number }>(
    db,
    sql`select f.id, f.asset_id from findings f join assets a on a.id = f.asset_id
        where ${findingCountsTowardRisk('f')} order by a.risk_score_v2 desc, f.detection_score desc, f.id limit ${FINDING_CANDIDATES}`,
  );
  const cveRows = await queryRows<{ cve_id: string }>(
    db,
    sql`select cve_id from findings f where ${findingCountsTowardRisk('f')} and cve_id is not null
        group by cve_id order by sum(detection_score) desc, cve_id limit ${CVE_CANDIDATES}`,
  );
  const cveIds = cveRows.map((row) => row.cve_id);

  const assets = await loadAssetStates(db, findingRows.map((row) => Number(row.asset_id)), findingRows.map((row) => Number(row.id)), cveIds);
  // The riskiest assets, enough that one outside any candidate's changed set is always among them.
  const ranking = await queryRows<{ id: number; risk_score_v2: number }>(
    db,
    sql`select id, risk_score_v2 from assets order by risk_score_v2 desc, id limit ${assets.size + 1}`,
  );

  // Evaluates the organization without the removed findings, and how far the affected assets'
  // v2 falls before the 1000 cap, which still ranks fixes while a capped asset saturates the score.
  const evaluate = (removed: Map<number, Set<number>>): { drop: number; uncappedDrop: number } => {
    let mass = parts.mass;
    let max = 0;
    let uncappedDrop = 0;
    for (const [assetId, findingIds] of removed) {
      const asset = assets.get(assetId);
      if (!asset) continue;
      const before = scoreWithout(asset, new Set(), settings);
      const after = scoreWithout(asset, findingIds, settings);
      mass += memberMass(after.score) - memberMass(asset.score);
      max = Math.max(max, after.score);
      uncappedDrop += before.uncapped - after.uncapped;
    }
    const unchanged = ranking.find((row) => !removed.has(Number(row.id)));
    if (unchanged) max = Math.max(max, Number(unchanged.risk_score_v2));
    return { drop: score - aggregateFromParts(max, Math.max(0, mass), spread), uncappedDrop };
  };

  const items: RemediationItem[] = [];
  for (const row of findingRows) {
    const asset = assets.get(Number(row.asset_id));
    const finding = asset?.findings.find((entry) => entry.id === Number(row.id));
    if (!asset || !finding) continue;
    const { drop, uncappedDrop } = evaluate(new Map([[asset.id, new Set([finding.id])]]));
    items.push({ kind: 'finding', findingId: finding.id, title: finding.title, assetId: asset.id, assetName: asset.name, detectionScore: finding.detectionScore, drop, uncappedDrop });
  }
  for (const cveId of cveIds) {
    const removed = new Map<number, Set<number>>();
    let findingCount = 0;
    let maxDetectionScore = 0;
    for (const asset of assets.values()) {
      const matching = asset.findings.filter((finding) => finding.cveId === cveId);
      if (matching.length === 0) continue;
      removed.set(asset.id, new Set(matching.map((finding) => finding.id)));
      findingCount += matching.length;
      maxDetectionScore = Math.max(maxDetectionScore, ...matching.map((finding) => finding.detectionScore));
    }
    if (removed.size === 0) continue;
    items.push({ kind: 'cve', cveId, findingCount, assetCount: removed.size, maxDetectionScore, ...evaluate(removed) });
  }

  items.sort((a, b) => b.drop - a.drop || b.uncappedDrop - a.uncappedDrop);
  return { score, items: items.filter((item) => item.drop > 0 || item.uncappedDrop > 0).slice(0, limit) };
}

/** Computes an asset's v2 without the given findings, capped and before the cap. */
function scoreWithout(asset: AssetState, findingIds: Set<number>, settings: ScoringSettings): { score: number; uncapped: number } {
  const counts = { ...asset.counts };
  let max = 0;
  for (const finding of asset.findings) {
    if (findingIds.has(finding.id)) {
      counts[detectionScoreBand(finding.detectionScore)]--;
    } else if (finding.detectionScore > max) {
      max = finding.detectionScore;
    }
  }
  const result = assetRiskScoreV2({ criticality: asset.criticality, internetFacing: asset.internetFacing, maxDetectionScore: max, counts }, settings.assetRiskV2);
  return { score: result.score, uncapped: result.criticality * result.external * result.base };
}

/**
 * Loads the open findings of every asset a candidate touches. Titles are read only for the
 * candidate findings, because a CVE candidate can pull in hundreds of thousands of rows.
 */
async function loadAssetStates(db: Db, assetIds: number[], findingIds: number[], cveIds: string[]): Promise<Map<number, AssetState>> {
  const idList = sql.raw(`'{${[...new Set(assetIds)].map((id) => Math.trunc(id)).join(',')}}'::int[]`);
  const findingList = sql.raw(`'{${findingIds.map((id) => Math.trunc(id)).join(',')}}'::int[]`);
  const rows = await queryRows<{ asset_id: number; name: string; criticality_score: number; internet_facing: boolean; risk_score_v2: number; id: number; cve_id: string | null; detection_score: number; title: string | null }>(
    db,
    sql`select a.id as asset_id, a.name, a.criticality_score, a.internet_facing, a.risk_score_v2, f.id, f.cve_id, f.detection_score,
          case when f.id = any(${findingList}) then f.title end as title
        from assets a join findings f on f.asset_id = a.id and ${findingCountsTowardRisk('f')}
        where a.id = any(${idList})
           or a.id in (select asset_id from findings open_finding where ${findingCountsTowardRisk('open_finding')} and cve_id in (select jsonb_array_elements_text(${JSON.stringify(cveIds)}::jsonb)))`,
  );

  const assets = new Map<number, AssetState>();
  for (const row of rows) {
    const id = Number(row.asset_id);
    let asset = assets.get(id);
    if (!asset) {
      asset = {
        id,
        name: row.name,
        criticality: Number(row.criticality_score),
        internetFacing: Boolean(row.internet_facing),
        score: Number(row.risk_score_v2),
        counts: { critical: 0, high: 0, medium: 0, low: 0 },
        findings: [],
      };
      assets.set(id, asset);
    }
    const detectionScore = Number(row.detection_score);
    asset.counts[detectionScoreBand(detectionScore)]++;
    asset.findings.push({ id: Number(row.id), cveId: row.cve_id, detectionScore, title: row.title ?? '' });
  }
  return assets;
}
