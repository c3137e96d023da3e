import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import type { AliasTable } from './aliases';
import type { Observation } from './attributes';
import { identityKey, type IdentificationRules } from './rules';

/** Assets read per step when scanning stored detections, so memory stays bounded on a large estate. */
export const ASSETS_PER_STEP = 200;

/** One stored detection with the key the given rules give it. */
export interface KeyedDetection {
  detectionId: number;
  findingId: number;
  assetId: number;
  type: 'vulnerability' | 'misconfiguration';
  source: string;
  sourceFindingId: string | null;
  firstSeen: Date;
  lastSeen: Date;
  currentKey: string;
  newKey: string;
}

interface DetectionRow {
  detection_id: number;
  finding_id: number;
  asset_id: number;
  type: 'vulnerability' | 'misconfiguration';
  source: string;
  source_finding_id: string | null;
  first_seen: string | Date;
  last_seen: string | Date;
  identity_key: string;
  observation: Observation | null;
  cve_id: string | null;
  vendor_id: string | null;
  title: string;
  port: number | null;
  protocol: string | null;
  cpe: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
  path: string | null;
}

/**
 * Returns the ids of assets with findings after `afterAssetId`, at most `limit`, in id order:
 * the steps of a scan over stored detections.
 */
export async function nextAssetIds(db: Db | Tx, afterAssetId: number, limit = ASSETS_PER_STEP): Promise<number[]> {
  const rows = await queryRows<{ asset_id: number }>(
    db,
    sql`select distinct asset_id from findings where asset_id > ${afterAssetId} order by asset_id limit ${limit}`,
  );
  return rows.map((row) => row.asset_id);
}

/**
 * Reads the detections of the given assets and computes each one's key under `rules`. A
 * detection imported before observations were stored is read from its finding's columns and
 * technology (without policy name or resource, which only observations keep).
 */
export async function keyedDetections(db: Db | Tx, assetIds: readonly number[], rules: IdentificationRules, aliases: AliasTable): Promise<KeyedDetection[]> {
  if (assetIds.length === 0) return [];
  const rows = await queryRows<DetectionRow>(
    db,
    sql`
      select d.id as detection_id, d.finding_id, f.asset_id, f.type, d.source, d.source_finding_id, d.first_seen, d.last_seen,
        f.identity_key, d.observation, f.cve_id, f.vendor_id, f.title, f.port, f.protocol, t.cpe, t.vendor, t.product, t.version, t.path
      from findings f
      join detections d on d.finding_id = f.id
      left join technologies t on t.id = f.technology_id
      where f.asset_id in (select value::int from json_array_elements_text(${JSON.stringify(assetIds)}::json))
      order by f.asset_id, d.id
    `,
  );
  return rows.map((row) => {
    const observation = row.observation ?? fallbackObservation(row);
    return {
      detectionId: row.detection_id,
      findingId: row.finding_id,
      assetId: row.asset_id,
      type: row.type,
      source: row.source,
      sourceFindingId: row.source_finding_id,
      firstSeen: new Date(row.first_seen),
      lastSeen: new Date(row.last_seen),
      currentKey: row.identity_key,
      newKey: identityKey({ ...observation, type: row.type, source: observation.source ?? row.source }, rules[row.type], aliases),
    };
  });
}

function fallbackObservation(row: DetectionRow): Observation {
  return {
    type: row.type,
    source: row.source,
    ...(row.cve_id ? { cveId: row.cve_id } : {}),
    ...(row.cpe ? { cpe: row.cpe } : {}),
    ...(row.vendor ? { technologyVendor: row.vendor } : {}),
    ...(row.product ? { technologyName: row.product } : {}),
    ...(row.version ? { technologyVersion: row.version } : {}),
    ...(row.path ? { technologyPath: row.path } : {}),
    ...(row.port !== null ? { port: row.port } : {}),
    ...(row.protocol ? { protocol: row.protocol } : {}),
    ...(row.vendor_id ? { vendorId: row.vendor_id } : {}),
    title: row.title,
    ...(row.source_finding_id ? { sourceFindingId: row.source_finding_id } : {}),
  };
}

/** A finding after re-identification: its key and the current findings whose detections it gets. */
export interface TargetGroup {
  assetId: number;
  type: 'vulnerability' | 'misconfiguration';
  key: string;
  detections: KeyedDetection[];
  /** Current finding ids with detections in this group, most detections first, then lowest id. */
  findingIds: number[];
}

/** Groups keyed detections by (asset, type, new key). */
export function groupByNewKey(detections: readonly KeyedDetection[]): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const detection of detections) {
    const id = `${detection.assetId}\u0000${detection.type}\u0000${detection.newKey}`;
    let group = groups.get(id);
    if (!group) {
      group = { assetId: detection.assetId, type: detection.type, key: detection.newKey, detections: [], findingIds: [] };
      groups.set(id, group);
    }
    group.detections.push(detection);
  }
  for (const group of groups.values()) {
    const counts = new Map<number, number>();
    for (const detection of group.detections) counts.set(detection.findingId, (counts.get(detection.findingId) ?? 0) + 1);
    group.findingIds = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a - b);
  }
  return [...groups.values()];
}
