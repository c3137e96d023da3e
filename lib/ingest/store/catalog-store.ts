import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { queryRows } from '../../../db/execute';
import type { FindingRecord, VulnerabilityFacts } from '../model';
import { toJson } from './sql-params';

const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;

export interface CatalogScores {
  is_kev: boolean;
  kev_ransomware_use: boolean | null;
  epss_score: number | null;
  epss_trend: number | null;
  threat_actors: string[] | null;
  cvss: number | null;
}

/**
 * Cache of what one import has already written to and read from the catalog. A report repeats the same
 * CVE facts on every host that has the weakness, so each distinct fact is written once and each
 * CVE's scores are read once per import.
 */
export class CatalogCache {
  readonly writtenFacts = new Set<string>();
  readonly scores = new Map<string, CatalogScores | undefined>();
}

/** Adds the CVEs this batch mentions to the catalog; values already there (from feeds) win. */
export async function upsertCatalog(tx: Tx, records: FindingRecord[], cache: CatalogCache): Promise<void> {
  const facts = new Map<string, VulnerabilityFacts>();
  for (const record of records) {
    for (const fact of catalogFacts(record)) {
      const key = factKey(fact);
      if (cache.writtenFacts.has(key)) continue;
      cache.writtenFacts.add(key);
      if (!facts.has(fact.cveId)) facts.set(fact.cveId, fact);
    }
  }
  if (facts.size === 0) return;

  const rows = [...facts.values()].map((fact) => ({
    cve_id: fact.cveId,
    cvss2_vector: fact.cvss2Vector ?? null,
    cvss2_base_score: fact.cvss2BaseScore ?? null,
    cvss3_vector: fact.cvss3Vector ?? null,
    cvss3_base_score: fact.cvss3BaseScore ?? null,
    cvss4_vector: fact.cvss4Vector ?? null,
    cvss4_base_score: fact.cvss4BaseScore ?? null,
    cwe_ids: fact.cweIds ?? [],
    published_at: fact.publishedAt?.toISOString() ?? null,
    epss_score: fact.epssScore ?? null,
    epss_percentile: fact.epssPercentile ?? null,
    is_kev: fact.kev !== undefined,
    kev_date_added: isoDay(fact.kev?.dateAdded),
    kev_due_date: isoDay(fact.kev?.dueDate),
    kev_ransomware_use: fact.kev?.ransomwareUse ?? null,
    kev_vendor_project: fact.kev?.vendorProject ?? null,
    kev_product: fact.kev?.product ?? null,
    references: fact.references ?? [],
  }));

  // Postgres locks every row ON CONFLICT DO UPDATE meets, even when its WHERE leaves the row
  // alone, so two imports naming the same CVEs would queue behind each other. CVEs whose row
  // already has every value a fact would fill are therefore left out before the insert, and
  // the rest go in cve_id order, so two imports take the locks in one order.
  await tx.execute(sql`
    with x as (
      select * from json_to_recordset(${toJson(rows)}::json) as x(cve_id text, cvss2_vector text, cvss2_base_score real, cvss3_vector text,
        cvss3_base_score real, cvss4_vector text, cvss4_base_score real, cwe_ids text[], published_at timestamptz,
        epss_score real, epss_percentile real, is_kev boolean, kev_date_added date, kev_due_date date, kev_ransomware_use boolean,
        kev_vendor_project text, kev_product text, "references" jsonb)
    )
    insert into vulnerabilities as v (cve_id, cvss2_vector, cvss2_base_score, cvss3_vector, cvss3_base_score, cvss4_vector, cvss4_base_score,
      cwe_ids, published_at, epss_score, epss_percentile, is_kev, kev_date_added, kev_due_date, kev_ransomware_use,
      kev_vendor_project, kev_product, "references")
    select x.cve_id, x.cvss2_vector, x.cvss2_base_score, x.cvss3_vector, x.cvss3_base_score, x.cvss4_vector, x.cvss4_base_score,
      coalesce(x.cwe_ids, '{}'), x.published_at, x.epss_score, x.epss_percentile, x.is_kev, x.kev_date_added, x.kev_due_date,
      x.kev_ransomware_use, x.kev_vendor_project, x.kev_product, coalesce(x."references", '[]'::jsonb)
    from x
    where not exists (
      select 1 from vulnerabilities s
      where s.cve_id = x.cve_id
        and not ${fillsMissing(sql.raw('s'), sql.raw('x'))}
    )
    order by x.cve_id
    on conflict (cve_id) do update set
      cvss2_vector = coalesce(v.cvss2_vector, excluded.cvss2_vector),
      cvss2_base_score = coalesce(v.cvss2_base_score, excluded.cvss2_base_score),
      cvss3_vector = coalesce(v.cvss3_vector, excluded.cvss3_vector),
      cvss3_base_score = coalesce(v.cvss3_base_score, excluded.cvss3_base_score),
      cvss4_vector = coalesce(v.cvss4_vector, excluded.cvss4_vector),
      cvss4_base_score = coalesce(v.cvss4_base_score, excluded.cvss4_base_score),
      cwe_ids = case when cardinality(v.cwe_ids) = 0 then excluded.cwe_ids else v.cwe_ids end,
      published_at = coalesce(v.published_at, excluded.published_at),
      epss_score = coalesce(v.epss_score, excluded.epss_score),
      epss_percentile = coalesce(v.epss_percentile, excluded.epss_percentile),
      is_kev = v.is_kev or excluded.is_kev,
      kev_date_added = coalesce(v.kev_date_added, excluded.kev_date_added),
      kev_due_date = coalesce(v.kev_due_date, excluded.kev_due_date),
      kev_ransomware_use = coalesce(v.kev_ransomware_use, excluded.kev_ransomware_use),
      kev_vendor_project = coalesce(v.kev_vendor_project, excluded.kev_vendor_project),
      kev_product = coalesce(v.kev_product, excluded.kev_product),
      "references" = case when jsonb_array_length(v."references") = 0 then excluded."references" else v."references" end,
      updated_at = now()
    where ${fillsMissing(sql.raw('v'), sql.raw('excluded'))}
  `);
}

/**
 * Builds the condition that a fact (`incoming`) fills a value the stored CVE row (`stored`) lacks.
 * A NULL array in the fact counts as empty.
 */
function fillsMissing(stored: SQL, incoming: SQL): SQL {
  return sql`(
    (${stored}.cvss2_base_score is null and ${incoming}.cvss2_base_score is not null)
    or (${stored}.cvss3_base_score is null and ${incoming}.cvss3_base_score is not null)
    or (${stored}.cvss4_base_score is null and ${incoming}.cvss4_base_score is not null)
    or (${stored}.cvss3_vector is null and ${incoming}.cvss3_vector is not null)
    or (cardinality(${stored}.cwe_ids) = 0 and coalesce(cardinality(${incoming}.cwe_ids), 0) > 0)
    or (${stored}.published_at is null and ${incoming}.published_at is not null)
    or (${stored}.epss_score is null and ${incoming}.epss_score is not null)
    or (not ${stored}.is_kev and ${incoming}.is_kev)
    or (jsonb_array_length(${stored}."references") = 0 and coalesce(jsonb_array_length(${incoming}."references"), 0) > 0)
  )`;
}

/** Loads what the Detection Score needs from the catalog for the given CVEs, once per CVE and import. */
export async function loadCatalogScores(tx: Tx, cves: string[], cache: CatalogCache): Promise<Map<string, CatalogScores | undefined>> {
  const missing = cves.filter((cve) => !cache.scores.has(cve));
  if (missing.length > 0) {
    const entries = await queryRows<CatalogScores & { cve_id: string }>(
      tx,
      sql`select cve_id, is_kev, kev_ransomware_use, epss_score, epss_trend, threat_actors, coalesce(cvss4_base_score, cvss3_base_score, cvss2_base_score) as cvss
          from vulnerabilities where cve_id in (select jsonb_array_elements_text(${toJson(missing)}::jsonb))`,
    );
    for (const cve of missing) cache.scores.set(cve, undefined);
    for (const entry of entries) cache.scores.set(entry.cve_id, entry);
  }
  return cache.scores;
}

function factKey(fact: VulnerabilityFacts): string {
  return [fact.cveId, fact.cvss2BaseScore, fact.cvss3BaseScore, fact.cvss4BaseScore, fact.cvss3Vector, fact.cweIds?.join(','), fact.publishedAt?.getTime(), fact.epssScore, fact.kev?.dateAdded?.getTime() ?? (fact.kev ? 'kev' : ''), fact.references?.length].join('|');
}

/** Formats a date as `YYYY-MM-DD` for a `date` column. */
function isoDay(date: Date | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** Returns the CVE facts a finding carries: its own list, or its scores when it names exactly one CVE. */
function catalogFacts(record: FindingRecord): VulnerabilityFacts[] {
  const listed = (record.vulnerabilities ?? []).flatMap((fact) => normalizeCve(fact.cveId).map((cveId) => ({ ...fact, cveId })));
  if (listed.length > 0) return listed;

  const cves = [...new Set([record.cveId, ...(record.cveIds ?? [])].flatMap((id) => normalizeCve(id)))];
  if (cves.length === 1 && cves[0]) {
    return [
      {
        cveId: cves[0],
        cvss2Vector: record.cvss2Vector,
        cvss2BaseScore: record.cvss2BaseScore,
        cvss3Vector: record.cvss3Vector,
        cvss3BaseScore: record.cvss3BaseScore,
        cvss4Vector: record.cvss4Vector,
        cvss4BaseScore: record.cvss4BaseScore,
        cweIds: record.cweIds,
      },
    ];
  }
  return cves.map((cveId) => ({ cveId }));
}

/** Returns the CVE id in canonical form, or nothing when the value is not a CVE id. */
export function normalizeCve(value: string | undefined): string[] {
  if (!value) return [];
  const candidate = value.trim().toUpperCase();
  return CVE_PATTERN.test(candidate) ? [candidate] : [];
}
