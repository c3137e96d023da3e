import { desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { assetMatches, imports } from '../../db/schema';
import { toJson } from '../ingest/store/sql-params';

export const MATCH_RULE_LABELS: Record<string, string> = {
  agent_id: 'agent ID',
  cloud_instance_id: 'cloud instance ID',
  fqdn: 'FQDN',
  hostname: 'hostname',
  ip: 'IP address',
  name: 'kind and name',
  new: 'new asset',
};

/** Records, per asset of an import, the rule that matched it (or `new`); the first record of an asset in the import wins. */
export async function recordAssetMatches(tx: Tx, importId: number, matchedBy: ReadonlyMap<number, string>): Promise<void> {
  if (matchedBy.size === 0) return;
  const rows = [...matchedBy].map(([asset_id, matched_by]) => ({ asset_id, matched_by }));
  await tx.execute(sql`
    insert into asset_matches (asset_id, import_id, matched_by)
    select x.asset_id, ${importId}, x.matched_by from json_to_recordset(${toJson(rows)}::json) as x(asset_id int, matched_by text)
    on conflict (asset_id, import_id) do nothing
  `);
}

export interface AssetIdentification {
  matchedBy: string;
  label: string;
  importId: number;
  fileName: string;
  source: string | null;
  matchedAt: Date;
}

/** How the latest import that reported an asset identified it, for the asset page's "Identified by" line. */
export async function latestAssetMatch(db: Db, assetId: number): Promise<AssetIdentification | undefined> {
  const [row] = await db
    .select({ matchedBy: assetMatches.matchedBy, importId: assetMatches.importId, matchedAt: assetMatches.matchedAt, fileName: imports.fileName, source: imports.source })
    .from(assetMatches)
    .innerJoin(imports, eq(imports.id, assetMatches.importId))
    .where(eq(assetMatches.assetId, assetId))
    .orderBy(desc(assetMatches.matchedAt), desc(assetMatches.importId))
    .limit(1);
  if (!row) return undefined;
  return { ...row, label: MATCH_RULE_LABELS[row.matchedBy] ?? row.matchedBy };
}
