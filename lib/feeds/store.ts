import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { toJson } from '../ingest/store/sql-params';
import type { CveEntry, EpssEntry, KevEntry } from './model';

/**
 * Creates the per-transaction list of CVEs whose catalog row a feed changed. Every store function
 * below adds to it, and `rescoreChangedFindings` reads it, so the changed ids never pass through
 * JavaScript memory (an EPSS file changes most of its 300,000 rows every day).
 */
export async function createChangedCveTable(tx: Tx): Promise<void> {
  await tx.execute(sql`create temp table if not exists feed_changed_cves (cve_id text primary key) on commit drop`);
  // Findings to rescore for a reason other than their CVEs, such as a technology's new lifecycle.
  await tx.execute(sql`create temp table if not exists feed_rescore_findings (finding_id int primary key) on commit drop`);
}

/**
 * Marks the entries as KEV-listed and stores their dates, ransomware use, vendor and product.
 *
 * NOTE: a CVE that CISA removes from the catalog (rare, but it happens) stays marked as KEV-listed
 * here, because CVE records and reports can also set the flag and nothing tells them apart yet.
 */
export async function storeKevEntries(tx: Tx, entries: KevEntry[]): Promise<void> {
  const rows = entries.map((entry) => ({
    cve_id: entry.cveId,
    date_added: entry.dateAdded,
    due_date: entry.dueDate,
    ransomware: entry.ransomwareUse,
    vendor_project: entry.vendorProject,
    product: entry.product,
  }));
  await tx.execute(sql`
    with changed as (
      insert into vulnerabilities as v (cve_id, is_kev, kev_date_added, kev_due_date, kev_ransomware_use, kev_vendor_project, kev_product)
      select x.cve_id, true, x.date_added, x.due_date, x.ransomware, x.vendor_project, x.product
      from json_to_recordset(${toJson(rows)}::json) as x(cve_id text, date_added date, due_date date, ransomware boolean, vendor_project text, product text)
      on conflict (cve_id) do update set
        is_kev = true,
        kev_date_added = excluded.kev_date_added,
        kev_due_date = excluded.kev_due_date,
        kev_ransomware_use = excluded.kev_ransomware_use,
        kev_vendor_project = excluded.kev_vendor_project,
        kev_product = excluded.kev_product,
        updated_at = now()
      where (v.is_kev, v.kev_date_added, v.kev_due_date, v.kev_ransomware_use, v.kev_vendor_project, v.kev_product)
        is distinct from (true, excluded.kev_date_added, excluded.kev_due_date, excluded.kev_ransomware_use, excluded.kev_vendor_project, excluded.kev_product)
      returning v.cve_id
    )
    insert into feed_changed_cves select cve_id from changed on conflict do nothing
  `);
}

/** Days back the EPSS trend compares against. */
export const EPSS_TREND_DAYS = 30;

/**
 * Stores each CVE's EPSS score and percentile, replacing what a report or an older file gave.
 * With the file's score date, it also records the score in `epss_history` (only when it differs
 * from the CVE's latest earlier row) and sets the catalog's `epss_trend`, see `storeEpssTrend`.
 */
export async function storeEpssEntries(tx: Tx, entries: EpssEntry[], scoreDate?: string): Promise<void> {
  const rows = entries.map((entry) => ({ cve_id: entry.cveId, score: entry.score, percentile: entry.percentile }));
  await tx.execute(sql`
    with changed as (
      insert into vulnerabilities as v (cve_id, epss_score, epss_percentile)
      select x.cve_id, x.score, x.percentile
      from json_to_recordset(${toJson(rows)}::json) as x(cve_id text, score real, percentile real)
      on conflict (cve_id) do update set epss_score = excluded.epss_score, epss_percentile = excluded.epss_percentile, updated_at = now()
      where (v.epss_score, v.epss_percentile) is distinct from (excluded.epss_score, excluded.epss_percentile)
      returning v.cve_id
    )
    insert into feed_changed_cves select cve_id from changed on conflict do nothing
  `);
  const day = scoreDate?.slice(0, 10);
  if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) await storeEpssTrend(tx, rows, day);
}

/**
 * Records the day's scores in `epss_history` and sets each CVE's `epss_trend` to
 * `0.5 + 2 × (scaled EPSS today − scaled EPSS 30 days earlier)`, clamped to 0–1, with EPSS scaled
 * as the Detection Score scales it (log10, 0.25 per factor of ten). So 0.5 is no change and a
 * tenfold rise is 1. A CVE without a score 30 or more days old keeps its trend unknown (null).
 */
async function storeEpssTrend(tx: Tx, rows: { cve_id: string; score: number }[], day: string): Promise<void> {
  const input = toJson(rows.map((row) => ({ cve_id: row.cve_id, score: row.score })));
  await tx.execute(sql`
    insert into epss_history (cve_id, day, score)
    select x.cve_id, ${day}::date, x.score
    from json_to_recordset(${input}::json) as x(cve_id text, score real)
    left join lateral (
      select h.score from epss_history h where h.cve_id = x.cve_id and h.day <= ${day}::date order by h.day desc limit 1
    ) previous on true
    where previous.score is distinct from x.score
    on conflict (cve_id, day) do update set score = excluded.score
  `);
  await tx.execute(sql`
    with trend as (
      select x.cve_id,
        round(least(1, greatest(0, 0.5 + 2 * (
          greatest(0, least(1, (log(greatest(x.score::float8, 0.0001)) + 4) / 4))
          - greatest(0, least(1, (log(greatest(old.score::float8, 0.0001)) + 4) / 4))
        )))::numeric, 4)::real as value
      from json_to_recordset(${input}::json) as x(cve_id text, score real)
      join lateral (
        select h.score from epss_history h
        where h.cve_id = x.cve_id and h.day <= ${day}::date - ${EPSS_TREND_DAYS}::int
        order by h.day desc limit 1
      ) old on true
    ),
    changed as (
      update vulnerabilities v set epss_trend = trend.value, updated_at = now()
      from trend where v.cve_id = trend.cve_id and v.epss_trend is distinct from trend.value
      returning v.cve_id
    )
    insert into feed_changed_cves select cve_id from changed on conflict do nothing
  `);
}

/** Catalog columns an NVD item or CVE record sets; a value the feed has replaces the stored one. */
const CVE_COLUMNS = [
  'description',
  'cvss2_vector',
  'cvss2_base_score',
  'cvss3_vector',
  'cvss3_base_score',
  'cvss4_vector',
  'cvss4_base_score',
  'published_at',
  'ssvc',
] as const;

/**
 * Stores NVD items or CVE JSON 5 records. Values the feed has win over what reports said; an
 * absent value keeps the stored one, and an empty CWE or reference list keeps the stored list.
 * An NVD item older than the stored NVD `lastModified` is ignored, so replaying an old page
 * cannot undo a newer one. A KEV date from NVD (`cisaExploitAdd`) or CISA's ADP container marks
 * the CVE as KEV-listed but never replaces the KEV catalog's own date.
 */
export async function storeCveEntries(tx: Tx, entries: CveEntry[], source: 'nvd' | 'cve5'): Promise<void> {
  const rows = entries.map((entry) => ({
    cve_id: entry.cveId,
    description: entry.description,
    cvss2_vector: entry.cvss2Vector,
    cvss2_base_score: entry.cvss2BaseScore,
    cvss3_vector: entry.cvss3Vector,
    cvss3_base_score: entry.cvss3BaseScore,
    cvss4_vector: entry.cvss4Vector,
    cvss4_base_score: entry.cvss4BaseScore,
    cwe_ids: entry.cweIds,
    published_at: entry.publishedAt,
    references: entry.references,
    ssvc: entry.ssvc,
    kev_date_added: entry.kevDateAdded,
    nvd_last_modified: source === 'nvd' ? entry.lastModified : null,
  }));

  // The column names are fixed constants above, never input.
  const columns = sql.raw(CVE_COLUMNS.join(', '));
  const merged = CVE_COLUMNS.map((column) => `coalesce(excluded.${column}, v.${column})`);
  const assignments = sql.raw(CVE_COLUMNS.map((column, index) => `${column} = ${merged[index]}`).join(',\n        '));
  const current = sql.raw(`(${CVE_COLUMNS.map((column) => `v.${column}`).join(', ')})`);
  const next = sql.raw(`(${merged.join(', ')})`);

  await tx.execute(sql`
    with changed as (
      insert into vulnerabilities as v (cve_id, ${columns}, cwe_ids, "references", is_kev, kev_date_added, nvd_last_modified)
      select x.cve_id, ${sql.raw(CVE_COLUMNS.map((column) => `x.${column}`).join(', '))},
        coalesce(x.cwe_ids, '{}'), coalesce(x."references", '[]'::jsonb), x.kev_date_added is not null, x.kev_date_added, x.nvd_last_modified
      from json_to_recordset(${toJson(rows)}::json) as x(cve_id text, description text, cvss2_vector text, cvss2_base_score real,
        cvss3_vector text, cvss3_base_score real, cvss4_vector text, cvss4_base_score real, published_at timestamptz, ssvc jsonb,
        cwe_ids text[], "references" jsonb, kev_date_added date, nvd_last_modified timestamptz)
      on conflict (cve_id) do update set
        ${assignments},
        cwe_ids = case when cardinality(excluded.cwe_ids) > 0 then excluded.cwe_ids else v.cwe_ids end,
        "references" = case when jsonb_array_length(excluded."references") > 0 then excluded."references" else v."references" end,
        is_kev = v.is_kev or excluded.is_kev,
        kev_date_added = coalesce(v.kev_date_added, excluded.kev_date_added),
        nvd_last_modified = coalesce(excluded.nvd_last_modified, v.nvd_last_modified),
        updated_at = now()
      where (v.nvd_last_modified is null or excluded.nvd_last_modified is null or excluded.nvd_last_modified >= v.nvd_last_modified)
        and (${current}, v.cwe_ids, v."references", v.is_kev, v.kev_date_added, v.nvd_last_modified) is distinct from (${next},
          case when cardinality(excluded.cwe_ids) > 0 then excluded.cwe_ids else v.cwe_ids end,
          case when jsonb_array_length(excluded."references") > 0 then excluded."references" else v."references" end,
          v.is_kev or excluded.is_kev, coalesce(v.kev_date_added, excluded.kev_date_added),
          coalesce(excluded.nvd_last_modified, v.nvd_last_modified))
      returning v.cve_id
    )
    insert into feed_changed_cves select cve_id from changed on conflict do nothing
  `);
}
