import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { queryRows } from '../../../db/execute';
import type { StoredObservation } from '../../identification/observation';
import type { SightingTable } from './sighting-table';
import { toJson } from './sql-params';

export interface FindingRow {
  asset_id: number;
  type: string;
  identity_key: string;
  cve_id: string | null;
  cve_ids: string[];
  vendor_id: string | null;
  title: string;
  description: string | null;
  solution: string | null;
  severity: number;
  port: number | null;
  protocol: string | null;
  technology: TechnologyKey | null;
  technology_id: number | null;
  fixed_version: string | null;
  cwe_ids: string[];
  cvss2: number | null;
  cvss3: number | null;
  cvss3_vector: string | null;
  references: string[];
  cvss_best: number | null;
  first_found: string;
  last_found: string;
  detection_score: number;
  source_finding_id: string;
  raw: Record<string, unknown>;
  /** Identification attributes and observed fields (lib/identification/observation.ts). */
  observation: StoredObservation;
  repeats: number;
}

export interface TechnologyKey {
  asset_id: number;
  vendor: string | null;
  product: string;
  version: string | null;
  path: string | null;
  cpe: string | null;
}

export interface FindingWriteCounts {
  findingsNew: number;
  findingsUpdated: number;
  findingsUnchanged: number;
  detections: number;
  /** Findings that existed and were reported by this source for the first time. */
  findingsMerged: number;
  /** Ids of every finding the batch observed, new, updated or unchanged. */
  findingIds: number[];
  /** Findings this import had already seen in an earlier batch: the report lists them twice. */
  repeatedIds: number[];
  /** Findings the batch changed that existed before. */
  updatedIds: number[];
}

export async function resolveTechnologies(tx: Tx, rows: FindingRow[]): Promise<void> {
  const unique = new Map<string, TechnologyKey>();
  for (const row of rows) {
    if (row.technology) unique.set(technologyKey(row.technology), row.technology);
  }
  if (unique.size === 0) return;

  const json = toJson([...unique.values()]);
  await tx.execute(sql`
    insert into technologies (asset_id, vendor, product, version, path, cpe)
    select x.asset_id, x.vendor, x.product, x.version, x.path, x.cpe
    from json_to_recordset(${json}::json) as x(asset_id int, vendor text, product text, version text, path text, cpe text)
    on conflict (asset_id, coalesce(vendor, ''), product, coalesce(version, ''), coalesce(path, '')) do nothing
  `);
  const stored = await queryRows<TechnologyKey & { id: number }>(
    tx,
    sql`
      select t.id, t.asset_id, t.vendor, t.product, t.version, t.path, t.cpe
      from technologies t
      join json_to_recordset(${json}::json) as x(asset_id int, vendor text, product text, version text, path text)
        on t.asset_id = x.asset_id and coalesce(t.vendor, '') = coalesce(x.vendor, '') and t.product = x.product
        and coalesce(t.version, '') = coalesce(x.version, '') and coalesce(t.path, '') = coalesce(x.path, '')
    `,
  );

  const ids = new Map(stored.map((technology) => [technologyKey(technology), technology.id]));
  for (const row of rows) {
    if (row.technology) row.technology_id = ids.get(technologyKey(row.technology)) ?? null;
  }
}

/**
 * Upserts a batch of findings and their detections in one statement, and records each finding in
 * the import's sighting table. The rows travel as one JSON
 * parameter that Postgres parses once. The detections take the finding ids from the upsert's
 * RETURNING, or from the findings table for findings the upsert left unchanged. A statement's
 * CTEs see the table as it was when the statement began, so no row is missed.
 */
export async function upsertFindingsAndDetections(
  tx: Tx,
  rows: FindingRow[],
  context: { importId: number; source: string; sightings: SightingTable },
): Promise<FindingWriteCounts> {
  const { importId, source, sightings } = context;
  const json = toJson(rows.map(({ technology: _technology, ...row }) => row));
  const [result] = await queryRows<{ inserted: number; touched: number; detections: number; merged: number; finding_ids: number[]; repeated_ids: number[]; updated_ids: number[] }>(
    tx,
    sql`
      with x as materialized (
        select * from json_to_recordset(${json}::json) as x(type text, asset_id int, identity_key text, cve_id text, cve_ids text[],
          vendor_id text, title text, description text, solution text, severity int, port int, protocol text, technology_id int,
          fixed_version text, cwe_ids text[], cvss2 real, cvss3 real, cvss3_vector text, "references" text[], first_found timestamptz,
          last_found timestamptz, detection_score int, source_finding_id text, raw jsonb, observation jsonb)
      ),
      upserted as (
        insert into findings as f (type, asset_id, identity_key, cve_id, cve_ids, vendor_id, title, description, solution, severity, status,
          port, protocol, technology_id, fixed_version, cwe_ids, cvss2_base_score, cvss3_base_score, cvss3_vector, "references", sources,
          first_found, last_found, detection_score)
        select x.type::finding_type, x.asset_id, x.identity_key, x.cve_id, coalesce(x.cve_ids, '{}'), x.vendor_id, x.title, x.description,
          x.solution, x.severity, 'new', x.port, x.protocol, x.technology_id, x.fixed_version, coalesce(x.cwe_ids, '{}'), x.cvss2, x.cvss3,
          x.cvss3_vector, coalesce(x."references", '{}'), array[${source}]::text[], x.first_found, x.last_found, x.detection_score
        from x
        on conflict (asset_id, type, identity_key) do update set
          first_found = least(f.first_found, excluded.first_found),
          last_found = greatest(f.last_found, excluded.last_found),
          sources = case when excluded.sources[1] = any(f.sources) then f.sources else f.sources || excluded.sources end,
          status = case
            when excluded.last_found <= f.last_found then f.status
            when f.status = 'fixed' then 'reopened'::finding_status
            when f.status = 'new' then 'active'::finding_status
            else f.status end,
          fixed_at = case when f.status = 'fixed' and excluded.last_found > f.last_found then null else f.fixed_at end,
          cve_id = case when excluded.last_found >= f.last_found then excluded.cve_id else f.cve_id end,
          cve_ids = case when excluded.last_found >= f.last_found then excluded.cve_ids else f.cve_ids end,
          vendor_id = case when excluded.last_found >= f.last_found then excluded.vendor_id else f.vendor_id end,
          title = case when excluded.last_found >= f.last_found then excluded.title else f.title end,
          description = case when excluded.last_found >= f.last_found then excluded.description else f.description end,
          solution = case when excluded.last_found >= f.last_found then excluded.solution else f.solution end,
          severity = case when excluded.last_found >= f.last_found then excluded.severity else f.severity end,
          technology_id = case when excluded.last_found >= f.last_found then excluded.technology_id else f.technology_id end,
          fixed_version = case when excluded.last_found >= f.last_found then excluded.fixed_version else f.fixed_version end,
          cwe_ids = case when excluded.last_found >= f.last_found then excluded.cwe_ids else f.cwe_ids end,
          cvss2_base_score = case when excluded.last_found >= f.last_found then excluded.cvss2_base_score else f.cvss2_base_score end,
          cvss3_base_score = case when excluded.last_found >= f.last_found then excluded.cvss3_base_score else f.cvss3_base_score end,
          cvss3_vector = case when excluded.last_found >= f.last_found then excluded.cvss3_vector else f.cvss3_vector end,
          "references" = case when excluded.last_found >= f.last_found then excluded."references" else f."references" end,
          detection_score = case when excluded.last_found >= f.last_found then excluded.detection_score else f.detection_score end,
          updated_at = now()
        where excluded.last_found > f.last_found
          or excluded.first_found < f.first_found
          or not (excluded.sources[1] = any(f.sources))
          or (excluded.last_found = f.last_found and (
            f.cve_id, f.cve_ids, f.vendor_id, f.title, f.description, f.solution, f.severity, f.technology_id, f.fixed_version,
            f.cwe_ids, f.cvss2_base_score, f.cvss3_base_score, f.cvss3_vector, f."references", f.detection_score
          ) is distinct from (
            excluded.cve_id, excluded.cve_ids, excluded.vendor_id, excluded.title, excluded.description, excluded.solution,
            excluded.severity, excluded.technology_id, excluded.fixed_version, excluded.cwe_ids, excluded.cvss2_base_score,
            excluded.cvss3_base_score, excluded.cvss3_vector, excluded."references", excluded.detection_score))
        -- xmax = 0 only on a freshly inserted row. A subquery in RETURNING reads the table as the
        -- statement began, so it gives the status and sources before this update.
        returning f.id, f.asset_id, f.type, f.identity_key, (xmax = 0) as inserted, f.status, f.first_found, f.last_found,
          (select o.status from findings o where o.id = f.id) as old_status,
          coalesce((select ${source} = any(o.sources) from findings o where o.id = f.id), false) as had_source
      ),
      history as (
        insert into finding_status_history (finding_id, from_status, to_status, changed_at, import_id, reason)
        select u.id, u.old_status, u.status, case when u.old_status is null then u.first_found else u.last_found end, ${importId},
          case
            when u.old_status is null then ${`first found by ${source}`}
            when u.old_status = 'fixed' then ${`found again by ${source} after it was fixed`}
            else ${`found again by ${source}`} end
        from upserted u
        where u.old_status is distinct from u.status
      ),
      resolved as (
        select x.*,
          -- COALESCE evaluates the subquery only for findings the upsert left unchanged, as one
          -- index lookup each; a join would make the planner scan the whole findings table.
          coalesce(u.id, (
            select f.id from findings f
            where f.asset_id = x.asset_id and f.type = x.type::finding_type and f.identity_key = x.identity_key
          )) as finding_id
        from x
        left join upserted u on u.asset_id = x.asset_id and u.type = x.type::finding_type and u.identity_key = x.identity_key
      ),
      detected as (
        insert into detections as d (finding_id, source, source_finding_id, first_import_id, last_import_id, first_seen, last_seen, raw, observation)
        select r.finding_id, ${source}, r.source_finding_id, ${importId}, ${importId}, r.first_found, r.last_found, r.raw, r.observation
        from resolved r
        on conflict (finding_id, source, coalesce(source_finding_id, '')) do update set
          last_import_id = excluded.last_import_id,
          first_seen = least(d.first_seen, excluded.first_seen),
          last_seen = greatest(d.last_seen, excluded.last_seen),
          raw = case when excluded.last_seen >= d.last_seen then excluded.raw else d.raw end,
          observation = case when excluded.last_seen >= d.last_seen then excluded.observation else d.observation end
        where excluded.last_seen > d.last_seen
          or excluded.first_seen < d.first_seen
          or (excluded.last_seen = d.last_seen and (d.raw, d.observation) is distinct from (excluded.raw, excluded.observation))
        returning (xmax = 0) as inserted
      ),
      sighted as (
        insert into ${sightings.name} (finding_id, asset_id)
        select r.finding_id, r.asset_id from resolved r
        on conflict (finding_id) do nothing
        returning finding_id
      )
      select
        (select count(*) from upserted where inserted)::int as inserted,
        (select count(*) from upserted)::int as touched,
        (select count(*) from detected where inserted)::int as detections,
        (select count(*) from upserted where not inserted and not had_source)::int as merged,
        (select coalesce(json_agg(r.finding_id), '[]'::json) from resolved r where r.finding_id not in (select finding_id from sighted)) as repeated_ids,
        (select coalesce(json_agg(id), '[]'::json) from upserted where not inserted) as updated_ids,
        (select coalesce(json_agg(finding_id), '[]'::json) from resolved) as finding_ids
    `,
  );

  const inserted = result?.inserted ?? 0;
  const touched = result?.touched ?? 0;
  return {
    findingsNew: inserted,
    findingsUpdated: touched - inserted,
    // NOTE: a finding that a report repeats in two batches counts once as new and once as
    // updated or unchanged. Repeats inside one batch are merged before this point.
    findingsUnchanged: rows.length - touched,
    detections: result?.detections ?? 0,
    findingsMerged: result?.merged ?? 0,
    findingIds: result?.finding_ids ?? [],
    repeatedIds: result?.repeated_ids ?? [],
    updatedIds: result?.updated_ids ?? [],
  };
}

function technologyKey(technology: Pick<TechnologyKey, 'asset_id' | 'vendor' | 'product' | 'version' | 'path'>): string {
  return [technology.asset_id, technology.vendor ?? '', technology.product, technology.version ?? '', technology.path ?? ''].join('\u0001');
}
