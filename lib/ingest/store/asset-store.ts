import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { queryRows } from '../../../db/execute';
import type { StoredAsset } from '../asset-matcher';
import type { AssetRecord } from '../model';
import { textArray, toJson } from './sql-params';

// Reads and writes of the assets table for the import writer, a batch of records at a time.

/** Key of the advisory lock that serializes asset matching between concurrent imports. */
const ASSET_MATCHING_LOCK = 7291045;

/**
 * Takes, until the transaction ends, the lock that lets one import at a time match and create
 * assets. Without it, two imports of the same new host would each find no match and create it
 * twice, because matching uses several identifiers and no single unique key can stop that.
 */
export async function lockAssetMatching(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ASSET_MATCHING_LOCK})`);
}

export async function loadAssetCandidates(tx: Tx, records: AssetRecord[]): Promise<StoredAsset[]> {
  const agentIds = records.flatMap((record) => (record.agentId ? [record.agentId] : []));
  const cloudIds = records.flatMap((record) => (record.cloudInstanceId ? [record.cloudInstanceId] : []));
  const fqdns = records.flatMap((record) => (record.fqdn ? [record.fqdn.toLowerCase()] : []));
  const hostnames = records.flatMap((record) => (record.hostname ? [record.hostname.toLowerCase()] : []));
  const ips = records.flatMap((record) => [...(record.ipv4 ?? []), ...(record.ipv6 ?? [])]);
  const names = records.flatMap((record) => (record.kind !== 'host' ? [record.name] : []));

  const rows = await queryRows<{
    id: number;
    kind: string;
    name: string;
    fqdn: string | null;
    hostname: string | null;
    ipv4: string[];
    ipv6: string[];
    mac: string[];
    os: string | null;
    cloud_instance_id: string | null;
    agent_id: string | null;
    internet_facing: boolean;
    first_seen: string | Date;
    last_seen: string | Date;
  }>(
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

  return rows.map((row) => ({
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
  }));
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

export async function insertAssets(tx: Tx, inserts: StoredAsset[]): Promise<void> {
  if (inserts.length === 0) return;
  await tx.execute(sql`
    insert into assets (id, kind, name, fqdn, hostname, ipv4, ipv6, mac, os, cloud_instance_id, agent_id, internet_facing, first_seen, last_seen)
    overriding system value
    select x.id, x.kind::asset_kind, x.name, x.fqdn, x.hostname, coalesce(x.ipv4, '{}'), coalesce(x.ipv6, '{}'), coalesce(x.mac, '{}'), x.os,
      x.cloud_instance_id, x.agent_id, x.internet_facing, x.first_seen, x.last_seen
    from json_to_recordset(${toJson(inserts.map(assetRow))}::json) as x(
      id int, kind text, name text, fqdn text, hostname text, ipv4 text[], ipv6 text[], mac text[], os text,
      cloud_instance_id text, agent_id text, internet_facing boolean, first_seen timestamptz, last_seen timestamptz)
  `);
}

export async function updateAssets(tx: Tx, updates: StoredAsset[]): Promise<void> {
  if (updates.length === 0) return;
  await tx.execute(sql`
    update assets a set
      name = x.name, fqdn = x.fqdn, hostname = x.hostname, ipv4 = coalesce(x.ipv4, '{}'), ipv6 = coalesce(x.ipv6, '{}'), mac = coalesce(x.mac, '{}'),
      os = x.os, cloud_instance_id = x.cloud_instance_id, agent_id = x.agent_id, internet_facing = x.internet_facing,
      first_seen = x.first_seen, last_seen = x.last_seen, updated_at = now()
    from json_to_recordset(${toJson(updates.map(assetRow))}::json) as x(
      id int, kind text, name text, fqdn text, hostname text, ipv4 text[], ipv6 text[], mac text[], os text,
      cloud_instance_id text, agent_id text, internet_facing boolean, first_seen timestamptz, last_seen timestamptz)
    where a.id = x.id
  `);
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
