import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { computeDetectionScore, EXPLOIT_MATURITY_VALUES, exploitFactsFromRaw } from '../scoring/detection-score';
import type { ExploitMaturity } from '../scoring/cvss';
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
  cvss3_vector: string | null;
  report_cvss: number | null;
  catalog_cvss: number | null;
  catalog_vectors: string[] | null;
  epss: number | null;
  is_kev: boolean;
  ransomware: boolean;
}

interface ExploitFacts {
  exploitMaturity?: ExploitMaturity;
  usedByMalware: boolean;
}

export interface RescoreCounts {
  findingsRescored: number;
  assetsRescored: number;
}

/**
 * Recomputes the Detection Score of every finding that names a CVE in `feed_changed_cves` (see
 * `createChangedCveTable`), then the Risk Score of the assets whose findings changed. The
 * inputs are those `explainDetectionScore` in lib/scoring uses: the report's CVSS score and
 * vector, the catalog's vectors, KEV, ransomware use and the highest EPSS score, and the exploit
 * facts of the finding's detections.
 */
export async function rescoreChangedFindings(tx: Tx): Promise<RescoreCounts> {
  const changedAssets = new Set<number>();
  let findingsRescored = 0;
  let after = 0;

  for (;;) {
    const rows = await queryRows<FindingFacts>(tx, sql`
      select f.id, f.asset_id, f.type, f.severity, f.detection_score, f.cvss3_vector,
        coalesce(f.cvss3_base_score, f.cvss2_base_score)::float8 as report_cvss,
        max(coalesce(v.cvss4_base_score, v.cvss3_base_score, v.cvss2_base_score))::float8 as catalog_cvss,
        array_remove(array_agg(v.cvss4_vector) || array_agg(v.cvss3_vector) || array_agg(v.cvss2_vector), null) as catalog_vectors,
        max(v.epss_score)::float8 as epss,
        coalesce(bool_or(v.is_kev), false) as is_kev,
        coalesce(bool_or(v.kev_ransomware_use), false) as ransomware
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

    const exploitFacts = await loadExploitFacts(tx, rows.map((row) => row.id));
    const updates: { id: number; detection_score: number }[] = [];
    for (const row of rows) {
      const facts = exploitFacts.get(row.id);
      const score = computeDetectionScore({
        type: row.type,
        severity: Math.min(5, Math.max(1, Number(row.severity))) as Severity,
        cvssBaseScore: row.report_cvss ?? row.catalog_cvss ?? undefined,
        cvssVectors: [row.cvss3_vector, ...(row.catalog_vectors ?? [])],
        isKev: row.is_kev,
        usedByRansomware: row.ransomware,
        usedByMalware: facts?.usedByMalware ?? false,
        epssScore: row.epss ?? undefined,
        exploitMaturity: facts?.exploitMaturity,
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

/** Reads the strongest exploit maturity and malware use the detections' raw report data state. */
async function loadExploitFacts(tx: Tx, findingIds: number[]): Promise<Map<number, ExploitFacts>> {
  const rows = await queryRows<{ finding_id: number; raw: Record<string, unknown> | null }>(
    tx,
    sql`select finding_id, raw from detections where finding_id = any(${sql.raw(`'{${findingIds.map((id) => Math.trunc(id)).join(',')}}'::int[]`)})`,
  );
  const facts = new Map<number, ExploitFacts>();
  for (const row of rows) {
    const found = exploitFactsFromRaw(row.raw ?? {});
    const entry = facts.get(row.finding_id) ?? { usedByMalware: false };
    if (found.exploitMaturity && (!entry.exploitMaturity || EXPLOIT_MATURITY_VALUES[found.exploitMaturity] > EXPLOIT_MATURITY_VALUES[entry.exploitMaturity])) {
      entry.exploitMaturity = found.exploitMaturity;
    }
    if (found.usedByMalware) entry.usedByMalware = true;
    facts.set(row.finding_id, entry);
  }
  return facts;
}
