import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { queryRows } from '../../../db/execute';
import { displayName, type StoredAsset } from '../asset-matcher';
import type { AssetRecord } from '../model';
import { textArray, toJson } from './sql-params';

// Reads and writes of the assets table for the import writer, a batch of records at a time.

export async function loadAssetCandidates(tx: Tx, records: AssetRecord[]): Promise<StoredAsset[]> {
  const agentIds = records.flatMap((record) => (record.agentId ? [record.agentId] : []));
  const cloudIds = records.flatMap((record) => (record.cloudInstanceId ? [record.cloudInstanceId] : []));
  const fqdns = records.flatMap((record) => (record.fqdn ? [record.fqdn.toLowerCase()] : []));
  const hostnames = records.flatMap((record) => (record.hostname ? [record.hostname.toLowerCase()] : []));
  const ips = records.flatMap((record) => [...(record.ipv4 ?? []), ...(record.ipv6 ?? [])]);
  const names = records.flatMap((record) => (record.kind !== 'host' ? [record.name] : []));

  const rows = await queryRows<StoredAssetRow>(
    tx,
    sql`
      select id, kind, name, fqdn, hostname, ipv4, ipv6, mac, os, cloud_instance_id, agent_id, internet_facing, first_seen, last_seen
      from assets
      where id in (
        -- One indexed lookup per identifier kind; a single OR over all of them would scan the table.
        select id from assets where agent_id in (select jsonb_array_elements_text(${toJson(agentIds)}::jsonb))
        union select id from assets where cloud_instance_id in (select jsonb_array_elements_text(${toJson(cloudIds)}::jsonb))
        union select id from assets where lower(fqdn) in (select jsonb_array_elements_text(${toJson(fqdns)}::jsonb))
        union select id from assets where lower(hostname) in (select jsonb_array_elements_text(${toJson(hostnames)}::jsonb))
        union select id from assets where ipv4 && ${textArray(ips)} or ipv6 && ${textArray(ips)}
        union select id from assets where kind <> 'host' and name in (select jsonb_array_elements_text(${toJson(names)}::jsonb))
      )
    `,
  );

  return rows.map(storedAssetOf);
}

/** The columns of an assets row that matching reads, as the drivers return them. */
export interface StoredAssetRow {
  id: number;
  kind: string;
  name: string;
  fqdn: string | null;
  hostname: string | null;
  ipv4: string[] | null;
  ipv6: string[] | null;
  mac: string[] | null;
  os: string | null;
  cloud_instance_id: string | null;
  agent_id: string | null;
  internet_facing: boolean;
  first_seen: string | Date;
  last_seen: string | Date;
}

/** Converts a row to the asset matching works on; array columns that are NULL become empty. */
export function storedAssetOf(row: StoredAssetRow): StoredAsset {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    fqdn: row.fqdn,
    hostname: row.hostname,
    ipv4: row.ipv4 ?? [],
    ipv6: row.ipv6 ?? [],
    mac: row.mac ?? [],
    os: row.os,
    cloudInstanceId: row.cloud_instance_id,
    agentId: row.agent_id,
    internetFacing: row.internet_facing,
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
  };
}

/**
 * Takes ids from the assets sequence up front, so each new asset's id is known before the
 * insert and no reliance on the order of RETURNING rows is needed.
 */
export async function allocateAssetIds(tx: Tx, count: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`select nextval(pg_get_serial_sequence('assets', 'id'))::int as id from generate_series(1, ${count})`,
  );
  return rows.map((row) => row.id);
}

/**
 * Inserts new assets and returns the ids inserted. An asset whose agent id or cloud instance id
 * is already on another asset (one a concurrent import may just have committed) is left out, so
 * the caller matches its record again.
 */
export async function insertAssets(tx: Tx, inserts: StoredAsset[]): Promise<Set<number>> {
  if (inserts.length === 0) return new Set();
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`
      insert into assets (id, kind, name, fqdn, hostname, ipv4, ipv6, mac, os, cloud_instance_id, agent_id, internet_facing, first_seen, last_seen)
      overriding system value
      select x.id, x.kind::asset_kind, x.name, x.fqdn, x.hostname, coalesce(x.ipv4, '{}'), coalesce(x.ipv6, '{}'), coalesce(x.mac, '{}'), x.os,
        x.cloud_instance_id, x.agent_id, x.internet_facing, x.first_seen, x.last_seen
      from json_to_recordset(${toJson(inserts.map(assetRow))}::json) as x(
        id int, kind text, name text, fqdn text, hostname text, ipv4 text[], ipv6 text[], mac text[], os text,
        cloud_instance_id text, agent_id text, internet_facing boolean, first_seen timestamptz, last_seen timestamptz)
      order by x.id
      on conflict do nothing
      returning id
    `,
  );
  return new Set(rows.map((row) => row.id));
}

/** Deletes assets this import created and then found to be another asset; they have no findings yet. */
export async function deleteCreatedAssets(tx: Tx, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`delete from assets where id in (select value::int from json_array_elements_text(${toJson(ids)}::json))`);
}

/** One report record to merge into a stored asset, seen at `seenAt`. */
export interface AssetUpdate {
  id: number;
  record: AssetRecord;
  seenAt: Date;
}

/**
 * Merges records into stored assets in SQL, against the row as it is when the update runs, and
 * returns the ids of the assets that changed. The merge follows `mergeAsset`
 * (lib/ingest/asset-matcher.ts): addresses are unioned, the seen dates widen, agent and cloud ids
 * fill in when missing, and FQDN, hostname and OS come from the record when it is at least as new
 * as the asset. Under READ COMMITTED, Postgres evaluates SET again on the newest version of a row
 * another transaction updated meanwhile, so two imports that update one asset keep both changes.
 * Rows that would not change are neither written nor locked.
 *
 * Several records of one asset are applied one after another, a statement per round, so the
 * result is the same as merging them in report order.
 */
export async function updateAssets(tx: Tx, updates: AssetUpdate[]): Promise<Set<number>> {
  const changed = new Set<number>();
  for (const round of updateRounds(updates)) {
    for (const id of await updateAssetRound(tx, round)) changed.add(id);
  }
  return changed;
}

/** Splits updates into rounds with at most one record per asset, in the order given, each sorted by id. */
function updateRounds(updates: AssetUpdate[]): AssetUpdate[][] {
  const rounds: AssetUpdate[][] = [];
  const seen = new Map<number, number>();
  for (const update of updates) {
    const index = seen.get(update.id) ?? 0;
    seen.set(update.id, index + 1);
    (rounds[index] ??= []).push(update);
  }
  // One id order in every import makes two imports lock shared rows in the same order.
  for (const round of rounds) round.sort((a, b) => a.id - b.id);
  return rounds;
}

async function updateAssetRound(tx: Tx, round: AssetUpdate[]): Promise<number[]> {
  const rows = round.map(({ id, record, seenAt }) => ({
    id,
    display_name: displayName(record),
    fqdn: record.fqdn || null,
    hostname: record.hostname || null,
    os: record.os || null,
    ipv4: record.ipv4 ?? [],
    ipv6: record.ipv6 ?? [],
    mac: record.mac ?? [],
    agent_id: record.agentId ?? null,
    cloud_instance_id: record.cloudInstanceId ?? null,
    internet_facing: record.internetFacing === true,
    first_seen: (record.firstSeen ?? seenAt).toISOString(),
    last_seen: seenAt.toISOString(),
  }));

  // Every expression reads the target row `a`, never a second read of assets, so a re-evaluation
  // on a concurrently updated row merges into that newest version.
  const pick = (column: 'fqdn' | 'hostname' | 'os') =>
    sql`case when x.${sql.raw(column)} is not null and (x.last_seen >= a.last_seen or coalesce(a.${sql.raw(column)}, '') = '') then x.${sql.raw(column)} else a.${sql.raw(column)} end`;
  const union = (column: 'ipv4' | 'ipv6' | 'mac') =>
    sql`a.${sql.raw(column)} || array(select v from unnest(x.${sql.raw(column)}) with ordinality as u(v, n) where v <> all(a.${sql.raw(column)}) group by v order by min(n))`;
  const merged = {
    name: sql`case when a.kind = 'host' and (a.name = any(a.ipv4) or a.name = any(a.ipv6)) then x.display_name else a.name end`,
    fqdn: pick('fqdn'),
    hostname: pick('hostname'),
    os: pick('os'),
    ipv4: union('ipv4'),
    ipv6: union('ipv6'),
    mac: union('mac'),
    agentId: sql`coalesce(a.agent_id, x.agent_id)`,
    cloudInstanceId: sql`coalesce(a.cloud_instance_id, x.cloud_instance_id)`,
    internetFacing: sql`(a.internet_facing or x.internet_facing)`,
    firstSeen: sql`least(a.first_seen, x.first_seen)`,
    lastSeen: sql`greatest(a.last_seen, x.last_seen)`,
  };

  const changed = await queryRows<{ id: number }>(
    tx,
    sql`
      update assets a set
        name = ${merged.name}, fqdn = ${merged.fqdn}, hostname = ${merged.hostname}, os = ${merged.os},
        ipv4 = ${merged.ipv4}, ipv6 = ${merged.ipv6}, mac = ${merged.mac},
        agent_id = ${merged.agentId}, cloud_instance_id = ${merged.cloudInstanceId}, internet_facing = ${merged.internetFacing},
        first_seen = ${merged.firstSeen}, last_seen = ${merged.lastSeen}, updated_at = now()
      from json_to_recordset(${toJson(rows)}::json) as x(
        id int, display_name text, fqdn text, hostname text, os text, ipv4 text[], ipv6 text[], mac text[],
        agent_id text, cloud_instance_id text, internet_facing boolean, first_seen timestamptz, last_seen timestamptz)
      where a.id = x.id
        and (a.name, a.fqdn, a.hostname, a.os, a.ipv4, a.ipv6, a.mac, a.agent_id, a.cloud_instance_id, a.internet_facing, a.first_seen, a.last_seen)
          is distinct from (${merged.name}, ${merged.fqdn}, ${merged.hostname}, ${merged.os}, ${merged.ipv4}, ${merged.ipv6}, ${merged.mac},
            ${merged.agentId}, ${merged.cloudInstanceId}, ${merged.internetFacing}, ${merged.firstSeen}, ${merged.lastSeen})
      returning a.id
    `,
  );
  return changed.map((row) => row.id);
}

/**
 * Locks assets until the transaction ends, in id order. Both modes make a re-identification step,
 * which locks its assets FOR UPDATE NOWAIT, wait until this import has committed the findings it
 * writes on them. `update` (FOR NO KEY UPDATE) is for the assets an import matched, whose rows
 * and risk scores it updates later anyway. Taking all these locks at once, in id order, keeps two
 * imports that share assets from deadlocking on them within a batch. `share` (FOR KEY SHARE)
 * lets other imports update the rows meanwhile.
 */
export async function lockAssetsForImport(tx: Tx, ids: Iterable<number>, mode: 'update' | 'share'): Promise<void> {
  const list = [...new Set(ids)].sort((a, b) => a - b);
  if (list.length === 0) return;
  const strength = mode === 'update' ? sql.raw('no key update') : sql.raw('key share');
  await tx.execute(sql`
    select id from assets where id in (select value::int from json_array_elements_text(${toJson(list)}::json))
    order by id for ${strength}
  `);
}

/** A claim of an identifier by an asset, for the `asset_identifiers` registry. */
export interface IdentifierClaim {
  identifier: string;
  assetId: number;
}

/**
 * Registers identifiers for assets where no other asset has them, and returns the asset each
 * registered identifier went to. When one statement claims an identifier for two assets, the
 * first claim in the given order wins. When a concurrent transaction has inserted the same identifier, Postgres makes this
 * insert wait until that transaction ends. If it committed, the identifier is not returned.
 */
export async function claimIdentifiers(tx: Tx, claims: IdentifierClaim[]): Promise<Map<string, number>> {
  if (claims.length === 0) return new Map();
  // One identifier order in every import makes two imports wait on shared keys in the same order.
  const sorted = [...claims].sort((a, b) => compareText(a.identifier, b.identifier));
  const rows = sorted.map((claim) => ({ identifier: claim.identifier, asset_id: claim.assetId }));
  const won = await queryRows<{ identifier: string; asset_id: number }>(
    tx,
    sql`
      insert into asset_identifiers (identifier, asset_id)
      select x.identifier, x.asset_id
      from rows from (json_to_recordset(${toJson(rows)}::json) as (identifier text, asset_id int)) with ordinality as x(identifier, asset_id, n)
      order by x.n
      on conflict (identifier) do nothing
      returning identifier, asset_id
    `,
  );
  return new Map(won.map((row) => [row.identifier, row.asset_id]));
}

/** Returns the asset each identifier is registered to, as of this statement's snapshot. */
export async function identifierOwners(tx: Tx, identifiers: string[]): Promise<Map<string, number>> {
  if (identifiers.length === 0) return new Map();
  const rows = await queryRows<{ identifier: string; asset_id: number }>(
    tx,
    sql`select identifier, asset_id from asset_identifiers where identifier in (select jsonb_array_elements_text(${toJson(identifiers)}::jsonb))`,
  );
  return new Map(rows.map((row) => [row.identifier, row.asset_id]));
}

/**
 * Moves an identifier from the asset it was seen registered to onto another asset. Returns false
 * when the registry changed since (another import moved or deleted it), so the caller looks again.
 */
export async function transferIdentifier(tx: Tx, identifier: string, from: number, to: number): Promise<boolean> {
  const rows = await queryRows<{ identifier: string }>(
    tx,
    sql`update asset_identifiers set asset_id = ${to} where identifier = ${identifier} and asset_id = ${from} returning identifier`,
  );
  return rows.length > 0;
}

/** Orders strings by UTF-16 code units, the same way in every process. */
function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function assetRow(asset: StoredAsset) {
  return {
    id: asset.id,
    kind: asset.kind,
    name: asset.name,
    fqdn: asset.fqdn,
    hostname: asset.hostname,
    ipv4: asset.ipv4,
    ipv6: asset.ipv6,
    mac: asset.mac,
    os: asset.os,
    cloud_instance_id: asset.cloudInstanceId,
    agent_id: asset.agentId,
    internet_facing: asset.internetFacing,
    first_seen: asset.firstSeen.toISOString(),
    last_seen: asset.lastSeen.toISOString(),
  };
}
