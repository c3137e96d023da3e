import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import type { Severity } from '../ingest/model';
import type { ExploitMaturity } from './cvss';
import { scoreInputsFromCatalog } from './catalog-inputs';
import { computeDetectionScore, EXPLOIT_MATURITY_VALUES, exploitFactsFromRaw, type DetectionScore } from './detection-score';
import { lifecycleStatus, loadLifecycleIndex, matchLifecycle } from './lifecycle-match';

export interface DetectionScoreExplanation {
  /** The score stored on the finding, computed when it was last imported. */
  stored: number;
  /** The score rebuilt now from the finding, its CVEs in the catalog and its detections. */
  current: DetectionScore;
}

interface FindingScoreRow {
  type: 'vulnerability' | 'misconfiguration';
  severity: number;
  cvss2_base_score: number | null;
  cvss3_base_score: number | null;
  cvss3_vector: string | null;
  cve_ids: string[];
  detection_score: number;
  tech_vendor: string | null;
  tech_product: string | null;
  tech_version: string | null;
  tech_cpe: string | null;
}

interface CatalogRow {
  is_kev: boolean;
  kev_ransomware_use: boolean | null;
  epss_score: number | null;
  epss_trend: number | null;
  threat_actors: string[] | null;
  cvss2_vector: string | null;
  cvss3_vector: string | null;
  cvss4_vector: string | null;
  best_score: number | null;
}

/**
 * Rebuilds the Detection Score of a finding with its factors, from the same inputs as the feeds'
 * rescore (lib/feeds/rescore.ts). The stored score differs when the import scored the finding
 * with less (the import does not pass the catalog's CVSS vectors yet), and
 * when a technology's end of life was reached or an EPSS trend moved since the last rescore.
 */
export async function explainDetectionScore(db: Db, findingId: number): Promise<DetectionScoreExplanation | undefined> {
  const [finding] = await queryRows<FindingScoreRow>(
    db,
    sql`select f.type, f.severity, f.cvss2_base_score, f.cvss3_base_score, f.cvss3_vector, f.cve_ids, f.detection_score,
          t.vendor as tech_vendor, t.product as tech_product, t.version as tech_version, t.cpe as tech_cpe
        from findings f left join technologies t on t.id = f.technology_id and f.type = 'misconfiguration'
        where f.id = ${findingId}`,
  );
  if (!finding) return undefined;

  const cves = finding.cve_ids ?? [];
  const catalog =
    cves.length === 0
      ? []
      : await queryRows<CatalogRow>(
          db,
          sql`select is_kev, kev_ransomware_use, epss_score, epss_trend, threat_actors, cvss2_vector, cvss3_vector, cvss4_vector,
                coalesce(cvss4_base_score, cvss3_base_score, cvss2_base_score) as best_score
              from vulnerabilities where cve_id in (select jsonb_array_elements_text(${JSON.stringify(cves)}::jsonb))`,
        );
  const raws = await queryRows<{ raw: Record<string, unknown> }>(db, sql`select raw from detections where finding_id = ${findingId}`);

  let exploitMaturity: ExploitMaturity | undefined;
  let usedByMalware = false;
  for (const { raw } of raws) {
    const facts = exploitFactsFromRaw(raw ?? {});
    if (facts.exploitMaturity && (!exploitMaturity || EXPLOIT_MATURITY_VALUES[facts.exploitMaturity] > EXPLOIT_MATURITY_VALUES[exploitMaturity])) {
      exploitMaturity = facts.exploitMaturity;
    }
    if (facts.usedByMalware) usedByMalware = true;
  }

  const stated = finding.cvss3_base_score ?? finding.cvss2_base_score ?? maxOf(catalog.map((entry) => entry.best_score));
  const cycle = finding.tech_product === null
    ? undefined
    : matchLifecycle({ vendor: finding.tech_vendor, product: finding.tech_product, version: finding.tech_version, cpe: finding.tech_cpe }, await loadLifecycleIndex(db));
  const current = computeDetectionScore({
    type: finding.type,
    severity: Math.min(5, Math.max(1, Number(finding.severity))) as Severity,
    cvssBaseScore: stated ?? undefined,
    cvssVectors: [finding.cvss3_vector, ...catalog.flatMap((entry) => [entry.cvss4_vector, entry.cvss3_vector, entry.cvss2_vector])],
    ...scoreInputsFromCatalog(catalog),
    usedByMalware,
    exploitMaturity,
    ...(cycle ? { lifecycle: lifecycleStatus(cycle) } : {}),
  });
  return { stored: Number(finding.detection_score), current };
}

function maxOf(values: (number | null)[]): number | null {
  let best: number | null = null;
  for (const value of values) {
    if (value !== null && (best === null || Number(value) > best)) best = Number(value);
  }
  return best;
}
