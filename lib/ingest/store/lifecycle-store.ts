import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { queryRows } from '../../../db/execute';
import type { SightingTable } from './sighting-table';
import { toJson } from './sql-params';

// The finding lifecycle. A finding's status follows from the scans of its asset by the sources
// that reported it (table asset_scans):
//
// - a scan by source S counts for a finding from the first scan in which S reported it;
// - fixed: a counted scan later than the last one that saw it; fixed_at is the first such scan;
// - reopened: otherwise, if a counted scan between the first and the last sighting missed it;
// - active: otherwise, if it was seen at two or more scan times; new: seen at one only.
//
// Imports in scan order keep this up to date step by step: the upsert turns fixed into reopened
// and new into active, and `fixAbsentFindings` fixes what a newer scan missed. An import that is
// not the newest scan of an asset (an older report imported late, or the same scan again) ends
// with `recomputeLifecycle` over that asset's findings, so any import order ends in the same
// statuses. Every change is written to finding_status_history by the statement that makes it.

/** One asset in one report and when it was scanned. The findings listed on it are in the import's sighting table. */
export interface AssetScanInput {
  assetId: number;
  scannedAt: Date;
}

export interface LifecycleContext {
  source: string;
  importId: number;
}

/** Returns the assets among `scans` that already have a scan, by any source, at or after this one's time. */
export async function assetsScannedSince(tx: Tx, scans: AssetScanInput[]): Promise<number[]> {
  if (scans.length === 0) return [];
  const rows = await queryRows<{ asset_id: number }>(
    tx,
    sql`
      select distinct x.asset_id
      from json_to_recordset(${toJson(scans.map(scanTime))}::json) as x(asset_id int, scanned_at timestamptz)
      where exists (select 1 from asset_scans s where s.asset_id = x.asset_id and s.scanned_at >= x.scanned_at)
    `,
  );
  return rows.map((row) => row.asset_id);
}

/**
 * Marks as fixed the findings of `source` on the scanned assets that this scan no longer lists and
 * that were last found before it, and records each change. A finding found after the scan stays
 * open, so an older report imported late cannot close what a newer one saw. Returns the count.
 *
 * NOTE: every asset in a report counts as fully scanned by its source. So a report of a partial
 * scan (a few plugins or QIDs) closes the source's other findings on those assets, unless the
 * import keeps absent findings open (a connector profile option).
 */
export async function fixAbsentFindings(tx: Tx, context: LifecycleContext & { scans: AssetScanInput[]; sightings: SightingTable }): Promise<number> {
  if (context.scans.length === 0) return 0;
  const [row] = await queryRows<{ fixed: number }>(
    tx,
    sql`
      with x as materialized (
        select * from json_to_recordset(${toJson(context.scans.map(scanTime))}::json) as x(asset_id int, scanned_at timestamptz)
      ),
      fixed as (
        update findings f set status = 'fixed', fixed_at = x.scanned_at, updated_at = now()
        from x
        where f.asset_id = x.asset_id
          and ${context.source} = any(f.sources)
          and f.status <> 'fixed'
          and f.last_found < x.scanned_at
          and not exists (select 1 from ${context.sightings.name} s where s.finding_id = f.id)
        -- A subquery in RETURNING reads the table as the statement began: the status before.
        returning f.id, x.scanned_at, (select o.status from findings o where o.id = f.id) as old_status
      ),
      history as (
        insert into finding_status_history (finding_id, from_status, to_status, changed_at, import_id, reason)
        select id, old_status, 'fixed', scanned_at, ${context.importId}, ${`not in a newer ${context.source} scan of its asset`} from fixed
      )
      select count(*)::int as fixed from fixed
    `,
  );
  return row?.fixed ?? 0;
}

/**
 * Stores this import's scans. The same scan imported again (same asset, source and time) keeps the
 * union of the findings both imports listed.
 */
export async function recordAssetScans(tx: Tx, context: LifecycleContext & { scans: AssetScanInput[]; sightings: SightingTable }): Promise<void> {
  if (context.scans.length === 0) return;
  await tx.execute(sql`
    with seen as (
      select t.asset_id, array_agg(t.finding_id order by t.finding_id) as finding_ids from ${context.sightings.name} t group by t.asset_id
    )
    insert into asset_scans as s (asset_id, source, scanned_at, finding_ids, import_id)
    select x.asset_id, ${context.source}, x.scanned_at, coalesce(seen.finding_ids, '{}'), ${context.importId}
    from json_to_recordset(${toJson(context.scans.map(scanTime))}::json) as x(asset_id int, scanned_at timestamptz)
    left join seen on seen.asset_id = x.asset_id
    on conflict (asset_id, source, scanned_at) do update set
      finding_ids = (select coalesce(array_agg(distinct id order by id), '{}') from unnest(s.finding_ids || excluded.finding_ids) as id),
      import_id = excluded.import_id
  `);
}

/**
 * Sets the status and fixed date of every finding on `assetIds` to what follows from their scans (see the
 * top of this file) and records each change with `reason`. Findings without recorded scans
 * (imported before scans were kept) are left as they are. Returns how many findings changed.
 *
 * NOTE: the cost grows with the scans kept per asset, and it runs only for assets an import is not
 * the newest scan of. Scans store finding ids, so findings merged by re-identification later lose
 * the sightings recorded under the id that went away.
 */
export async function recomputeLifecycle(tx: Tx, context: LifecycleContext & { assetIds: number[]; reason: string }): Promise<number> {
  if (context.assetIds.length === 0) return 0;
  const [row] = await queryRows<{ changed: number }>(
    tx,
    sql`
      with fs as materialized (
        select f.id, f.asset_id, f.sources from findings f
        where f.asset_id in (select value::int from json_array_elements_text(${toJson(context.assetIds)}::json))
      ),
      per_source as materialized (
        select fs.id, s.source, s.scanned_at, fs.id = any(s.finding_ids) as seen
        from fs join asset_scans s on s.asset_id = fs.asset_id and s.source = any(fs.sources)
      ),
      first_by_source as (
        select id, source, min(scanned_at) filter (where seen) as first_seen from per_source group by id, source
      ),
      obs as materialized (
        select p.id, p.scanned_at, bool_or(p.seen) as seen
        from per_source p join first_by_source b on b.id = p.id and b.source = p.source
        where p.scanned_at >= b.first_seen
        group by p.id, p.scanned_at
      ),
      agg as (
        select id, min(scanned_at) filter (where seen) as first_seen, max(scanned_at) filter (where seen) as last_seen,
          count(*) filter (where seen) as sightings
        from obs group by id
      ),
      target as (
        select g.id, min(o.scanned_at) filter (where not o.seen and o.scanned_at > g.last_seen) as fixed_at,
          coalesce(bool_or(not o.seen and o.scanned_at > g.first_seen and o.scanned_at < g.last_seen), false) as gap,
          max(g.sightings) as sightings, max(g.last_seen) as last_seen
        from agg g join obs o on o.id = g.id
        where g.sightings > 0
        group by g.id
      ),
      wanted as (
        select t.id, t.fixed_at, t.last_seen,
          (case when t.fixed_at is not null then 'fixed' when t.gap then 'reopened' when t.sightings > 1 then 'active' else 'new' end)::finding_status as status
        from target t
      ),
      changed as (
        update findings f set status = w.status, fixed_at = w.fixed_at, updated_at = now()
        from wanted w
        where f.id = w.id and (f.status, f.fixed_at) is distinct from (w.status, w.fixed_at)
        returning f.id, w.status, coalesce(w.fixed_at, w.last_seen) as changed_at, (select o.status from findings o where o.id = f.id) as old_status
      ),
      history as (
        insert into finding_status_history (finding_id, from_status, to_status, changed_at, import_id, reason)
        select id, old_status, status, changed_at, ${context.importId}, ${context.reason} from changed where old_status is distinct from status
      )
      select count(*)::int as changed from changed where old_status is distinct from status
    `,
  );
  return row?.changed ?? 0;
}

/** Counts the findings this import left fixed or reopened, from the history it wrote. */
export async function countStatusChanges(tx: Tx, importId: number): Promise<{ fixed: number; reopened: number }> {
  const [row] = await queryRows<{ fixed: number; reopened: number }>(
    tx,
    sql`
      select count(*) filter (where f.status = 'fixed')::int as fixed, count(*) filter (where f.status = 'reopened')::int as reopened
      from findings f
      where f.id in (select h.finding_id from finding_status_history h where h.import_id = ${importId} and h.to_status in ('fixed', 'reopened'))
    `,
  );
  return { fixed: row?.fixed ?? 0, reopened: row?.reopened ?? 0 };
}

function scanTime(scan: AssetScanInput): { asset_id: number; scanned_at: string } {
  return { asset_id: scan.assetId, scanned_at: scan.scannedAt.toISOString() };
}
