import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { computeDetectionScore } from '../scoring/detection-score';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import type { Severity } from '../ingest/model';

/** Findings read and updated per statement, so memory stays bounded on a large estate. */
const CHUNK = 2000;

interface FindingFacts {
  id: number;
  asset_id: number;
  type: 'vulnerability' | 'misconfiguration';
  severity: number;
  detection_score: number;
  report_cvss: number | null;
  catalog_cvss: number | null;
  epss: number | null;
  is_kev: boolean;
}

export interface RescoreCounts {
  findingsRescored: number;
  assetsRescored: number;
}

/**
 * Recomputes the Detection Score of every finding that names a CVE in `feed_changed_cves` (see
 * `createChangedCveTable`), then the Risk Score of the assets whose findings changed. Inputs
 * match the import: the report's own CVSS score first, else the highest in the catalog, with
 * KEV and the highest EPSS score from the catalog.
 *
 * NOTE: findings keep only the report's CVSS v2 and v3 scores, so a report's CVSS v4 score is
 * replaced here by the catalog's best score.
 */
export async function rescoreChangedFindings(tx: Tx): Promise<RescoreCounts> {
  const changedAssets = new Set<number>();
  let findingsRescored = 0;
  let after = 0;

  for (;;) {
    const rows = await queryRows<FindingFacts>(tx, sql`
      select f.id, f.asset_id, f.type, f.severity, f.detection_score,
        coalesce(f.cvss3_base_score, f.cvss2_base_score)::float8 as report_cvss,
        max(coalesce(v.cvss4_base_score, v.cvss3_base_score, v.cvss2_base_score))::float8 as catalog_cvss,
        max(v.epss_score)::float8 as epss,
        coalesce(bool_or(v.is_kev), false) as is_kev
      from findings f
      join vulnerabilities v on v.cve_id = any(array_append(f.cve_ids, f.cve_id))
      where f.id > ${after}
        and exists (select 1 from feed_changed_cves c where c.cve_id = any(array_append(f.cve_ids, f.cve_id)))
      group by f.id
      order by f.id
      limit ${CHUNK}
    `);
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;

    const updates: { id: number; detection_score: number }[] = [];
    for (const row of rows) {
      const score = computeDetectionScore({
        type: row.type,
        severity: row.severity as Severity,
        cvssBaseScore: row.report_cvss ?? row.catalog_cvss ?? undefined,
        isKev: row.is_kev,
        epssScore: row.epss ?? undefined,
      }).score;
      if (score !== row.detection_score) {
        updates.push({ id: row.id, detection_score: score });
        changedAssets.add(row.asset_id);
      }
    }
    if (updates.length > 0) {
      await tx.execute(sql`
        update findings f set detection_score = u.detection_score, updated_at = now()
        from json_to_recordset(${JSON.stringify(updates)}::json) as u(id int, detection_score int)
        where f.id = u.id
      `);
      findingsRescored += updates.length;
    }
  }

  await recomputeAssetRiskScores(tx, [...changedAssets]);
  return { findingsRescored, assetsRescored: changedAssets.size };
}
