import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { scoreInputsFromCatalog } from '../scoring/catalog-inputs';
import { computeDetectionScore, EXPLOIT_MATURITY_VALUES, exploitFactsFromRaw } from '../scoring/detection-score';
import type { ExploitMaturity } from '../scoring/cvss';
import { lifecycleStatus, loadLifecycleIndex, matchLifecycle, type LifecycleIndex } from '../scoring/lifecycle-match';
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
  epss_trend: number | null;
  is_kev: boolean;
  ransomware: boolean;
  threat_actors: string[] | null;
  tech_vendor: string | null;
  tech_product: string | null;
  tech_version: string | null;
  tech_cpe: string | null;
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
 * Recomputes the Detection Score of every finding that names a CVE in `feed_changed_cves` or is
 * listed in `feed_rescore_findings` (see `createChangedCveTable`), then the Risk Score of the
 * assets whose findings changed.
 */
export async function rescoreChangedFindings(tx: Tx): Promise<RescoreCounts> {
  const { findingsRescored, changedAssets } = await rescoreFindingsWhere(
    tx,
    sql`(exists (select 1 from feed_changed_cves c where c.cve_id = any(array_append(f.cve_ids, f.cve_id)))
      or exists (select 1 from feed_rescore_findings r where r.finding_id = f.id))`,
  );
  await recomputeAssetRiskScores(tx, [...changedAssets]);
  return { findingsRescored, assetsRescored: changedAssets.size };
}

/**
 * Recomputes the Detection Score of the findings the condition selects (over `findings f`). It
 * returns how many changed and the assets they are on, so the caller can recompute those assets.
 * The inputs are those `explainDetectionScore` in lib/scoring uses: the report's CVSS score and
 * vector, the catalog's vectors, KEV, ransomware use, threat actors, the highest EPSS score and
 * trend, the exploit facts of the finding's detections and, for a misconfiguration, the
 * lifecycle of its technology.
 */
export async function rescoreFindingsWhere(tx: Tx, condition: SQL): Promise<{ findingsRescored: number; changedAssets: Set<number> }> {
  const changedAssets = new Set<number>();
  let findingsRescored = 0;
  let after = 0;
  let lifecycles: LifecycleIndex | undefined;
  const today = new Date();

  for (;;) {
    const rows = await queryRows<FindingFacts>(tx, sql`
      select f.id, f.asset_id, f.type, f.severity, f.detection_score, f.cvss3_vector,
        coalesce(f.cvss3_base_score, f.cvss2_base_score)::float8 as report_cvss,
        max(coalesce(v.cvss4_base_score, v.cvss3_base_score, v.cvss2_base_score))::float8 as catalog_cvss,
        array_remove(array_agg(v.cvss4_vector) || array_agg(v.cvss3_vector) || array_agg(v.cvss2_vector), null) as catalog_vectors,
        max(v.epss_score) as epss,
        max(v.epss_trend) as epss_trend,
        coalesce(bool_or(v.is_kev), false) as is_kev,
        coalesce(bool_or(v.kev_ransomware_use), false) as ransomware,
        array(select distinct unnest(v2.threat_actors) from vulnerabilities v2 where v2.cve_id = any(array_append(f.cve_ids, f.cve_id))) as threat_actors,
        t.vendor as tech_vendor, t.product as tech_product, t.version as tech_version, t.cpe as tech_cpe
      from findings f
      left join vulnerabilities v on v.cve_id = any(array_append(f.cve_ids, f.cve_id))
      left join technologies t on t.id = f.technology_id and f.type = 'misconfiguration'
      where f.id > ${after} and ${condition}
      group by f.id, t.id
      order by f.id
      limit ${CHUNK}
    `);
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;

    const exploitFacts = await loadExploitFacts(tx, rows.map((row) => row.id));
    const updates: { id: number; detection_score: number }[] = [];
    if (!lifecycles && rows.some((row) => row.tech_product !== null)) lifecycles = await loadLifecycleIndex(tx);
    for (const row of rows) {
      const facts = exploitFacts.get(row.id);
      const cycle = row.tech_product !== null && lifecycles
        ? matchLifecycle({ vendor: row.tech_vendor, product: row.tech_product, version: row.tech_version, cpe: row.tech_cpe }, lifecycles)
        : undefined;
      const score = computeDetectionScore({
        type: row.type,
        severity: Math.min(5, Math.max(1, Number(row.severity))) as Severity,
        cvssBaseScore: row.report_cvss ?? row.catalog_cvss ?? undefined,
        cvssVectors: [row.cvss3_vector, ...(row.catalog_vectors ?? [])],
        ...scoreInputsFromCatalog([{ is_kev: row.is_kev, kev_ransomware_use: row.ransomware, epss_score: row.epss, epss_trend: row.epss_trend, threat_actors: row.threat_actors }]),
        usedByMalware: facts?.usedByMalware ?? false,
        exploitMaturity: facts?.exploitMaturity,
        ...(cycle ? { lifecycle: lifecycleStatus(cycle, today) } : {}),
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

  return { findingsRescored, changedAssets };
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
