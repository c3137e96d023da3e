import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import type { Severity } from '../ingest/model';
import { toJson } from '../ingest/store/sql-params';
import { computeDetectionScore, exploitFactsFromRaw } from '../scoring/detection-score';

/**
 * Recomputes the Detection Score of findings whose displayed severity or CVSS a merge changed,
 * with the inputs an import uses: the finding's CVSS (else the catalog's), KEV, the highest
 * EPSS score and the exploit facts of its detections. Returns the assets whose findings changed.
 */
export async function rescoreFindings(tx: Tx, findingIds: readonly number[]): Promise<Set<number>> {
  const assets = new Set<number>();
  if (findingIds.length === 0) return assets;
  const rows = await queryRows<{
    id: number;
    asset_id: number;
    type: 'vulnerability' | 'misconfiguration';
    severity: number;
    detection_score: number;
    cvss3_vector: string | null;
    report_cvss: number | null;
    catalog_cvss: number | null;
    is_kev: boolean;
    epss: number | null;
    raws: Record<string, unknown>[] | null;
  }>(
    tx,
    sql`
      select f.id, f.asset_id, f.type, f.severity, f.detection_score, f.cvss3_vector,
        coalesce(f.cvss3_base_score, f.cvss2_base_score)::float8 as report_cvss,
        (select max(coalesce(v.cvss3_base_score, v.cvss2_base_score))::float8 from vulnerabilities v where v.cve_id = any(f.cve_ids)) as catalog_cvss,
        coalesce((select bool_or(v.is_kev) from vulnerabilities v where v.cve_id = any(f.cve_ids)), false) as is_kev,
        (select max(v.epss_score)::float8 from vulnerabilities v where v.cve_id = any(f.cve_ids)) as epss,
        (select json_agg(d.raw) from detections d where d.finding_id = f.id) as raws
      from findings f
      where f.id in (select value::int from json_array_elements_text(${toJson([...findingIds])}::json))
    `,
  );
  const updates: { id: number; detection_score: number }[] = [];
  for (const row of rows) {
    let facts: ReturnType<typeof exploitFactsFromRaw> = {};
    for (const raw of row.raws ?? []) {
      const found = exploitFactsFromRaw(raw ?? {});
      facts = { exploitMaturity: facts.exploitMaturity ?? found.exploitMaturity, usedByMalware: facts.usedByMalware === true || found.usedByMalware === true };
    }
    const score = computeDetectionScore({
      type: row.type,
      severity: Math.min(5, Math.max(1, Number(row.severity))) as Severity,
      cvssBaseScore: row.report_cvss ?? row.catalog_cvss ?? undefined,
      cvssVectors: [row.cvss3_vector],
      isKev: row.is_kev,
      epssScore: row.epss ?? undefined,
      ...facts,
    }).score;
    if (score !== row.detection_score) {
      updates.push({ id: row.id, detection_score: score });
      assets.add(row.asset_id);
    }
  }
  if (updates.length > 0) {
    await tx.execute(sql`
      update findings f set detection_score = u.detection_score, updated_at = now()
      from json_to_recordset(${toJson(updates)}::json) as u(id int, detection_score int)
      where f.id = u.id
    `);
  }
  return assets;
}
