import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import type { ImportCounts } from '../../db/schema';
import { queryRows } from '../../db/execute';
import { ImportWriter } from '../ingest/writer';
import { toJson } from '../ingest/store/sql-params';
import { logger } from '../log';
import { loadLifecycleIndex, type LifecycleIndex } from '../scoring/lifecycle-match';
import { EOL_CHECK_SOURCE, eolFindingRecord, findEndOfLife, type SupportedCycle } from './eol-findings';
import { isEolCheckEnabled } from './settings';

const log = logger.child({ module: 'end-of-life' });

export interface EolCheckResult {
  /** Assets the check scanned. */
  assets: number;
  /** End-of-life findings derived, new or seen again. */
  findings: number;
  /** Findings of this check found new. */
  findingsNew: number;
  /** End-of-life findings closed because nothing on their asset is past its end of life any more. */
  findingsFixed: number;
  /** Assets whose findings the check wrote or closed; their Risk Scores need a recompute. */
  touchedAssetIds: number[];
  /** The import pipeline's counts of the check's scan, as an import log row shows them. */
  counts?: ImportCounts;
}

export interface EolCheckInput {
  /** Import the check's scans, detections and status changes are recorded under. */
  importId: number;
  /** Assets to check; all assets when absent (after a lifecycle feed import). */
  assetIds?: readonly number[];
  /** Day the end of life is evaluated on; today when absent. */
  day?: Date;
}

interface AssetRow {
  id: number;
  os: string | null;
  scanned_at: string | Date;
}

const EMPTY: EolCheckResult = { assets: 0, findings: 0, findingsNew: 0, findingsFixed: 0, touchedAssetIds: [] };

/**
 * Derives one misconfiguration per asset and release cycle past its end of life, from the asset's
 * operating system and the technologies on its open findings. The findings go through the import
 * pipeline as a scan of each asset by the source "Riskboard end-of-life check", so they follow the
 * identification rules and the lifecycle: a finding the check no longer derives (the asset was
 * upgraded) becomes fixed.
 *
 * Each asset's scan is dated at its last sighting by a scanner, or one millisecond after the
 * check's previous scan of it when that is later (a feed import re-checks assets no scanner saw
 * since). A report imported next, scanned after the asset's last sighting, is then the newest
 * scan and needs no recompute of the lifecycle.
 *
 * Does nothing when the check is turned off or no lifecycle data is imported.
 */
export async function deriveEolFindings(tx: Tx, input: EolCheckInput): Promise<EolCheckResult> {
  if (input.assetIds?.length === 0) return EMPTY;
  if (!(await isEolCheckEnabled(tx))) return EMPTY;
  const index = await loadLifecycleIndex(tx);
  if (index.cycles.size === 0) return EMPTY;

  const started = Date.now();
  const day = input.day ?? new Date();
  const assets = await loadCheckedAssets(tx, input.assetIds);
  if (assets.length === 0) return EMPTY;
  const assetIds = assets.map((asset) => asset.id);
  const technologies = await loadTechnologies(tx, assetIds);
  const matches = findEndOfLife(assets, technologies, index, day);
  const supported = await loadSupportedCycles(tx, index, [...new Set(matches.map((match) => match.cycle.product))], day);

  const writer = new ImportWriter(tx, { importId: input.importId, source: EOL_CHECK_SOURCE, observedAt: day });
  const scannedAt = new Map<number, Date>();
  for (const asset of assets) {
    const at = new Date(asset.scanned_at);
    scannedAt.set(asset.id, at);
    writer.addStoredAsset(assetKey(asset.id), asset.id, at);
  }
  for (const match of matches) {
    const at = scannedAt.get(match.assetId) ?? day;
    await writer.addFinding(eolFindingRecord(match, assetKey(match.assetId), supported.get(match.cycle.product), at));
  }
  const counts = await writer.finish();

  const fixed = await fixedByThisCheck(tx, input.importId, assetIds);
  const touched = new Set([...matches.map((match) => match.assetId), ...fixed.assetIds]);
  const result: EolCheckResult = {
    assets: assets.length,
    findings: counts.findingsNew + counts.findingsUpdated + counts.findingsUnchanged,
    findingsNew: counts.findingsNew,
    findingsFixed: fixed.count,
    touchedAssetIds: [...touched],
    counts: { ...counts, findingsFixed: fixed.count },
  };
  const durationMs = Date.now() - started;
  log.info({ importId: input.importId, assets: result.assets, findings: result.findings, fixed: result.findingsFixed, durationMs }, 'derived end-of-life findings');
  return result;
}

function assetKey(assetId: number): string {
  return `asset:${assetId}`;
}

/**
 * Loads the assets the check can evaluate: those with an OS string or a technology on an open
 * finding. The latter includes every asset with an open end-of-life finding.
 */
async function loadCheckedAssets(tx: Tx, assetIds: readonly number[] | undefined): Promise<AssetRow[]> {
  const scope = assetIds ? sql`a.id in (select value::int from json_array_elements_text(${toJson(assetIds)}::json))` : sql`true`;
  return queryRows<AssetRow>(
    tx,
    sql`
      select a.id, a.os,
        greatest(a.last_seen, (select max(s.scanned_at) + interval '1 millisecond' from asset_scans s where s.asset_id = a.id and s.source = ${EOL_CHECK_SOURCE})) as scanned_at
      from assets a
      where ${scope}
        and (a.os is not null
          or exists (select 1 from findings f where f.asset_id = a.id and f.technology_id is not null and f.status <> 'fixed'))
    `,
  );
}

/** Loads the distinct technologies on the assets' open findings, except those of this check's own findings. */
async function loadTechnologies(tx: Tx, assetIds: number[]) {
  const rows = await queryRows<{ asset_id: number; vendor: string | null; product: string; version: string | null; cpe: string | null }>(
    tx,
    sql`
      select distinct f.asset_id, t.vendor, t.product, t.version, t.cpe
      from findings f join technologies t on t.id = f.technology_id
      where f.asset_id in (select value::int from json_array_elements_text(${toJson(assetIds)}::json))
        and f.status <> 'fixed'
        and f.sources <> array[${EOL_CHECK_SOURCE}]::text[]
    `,
  );
  return rows.map((row) => ({ assetId: row.asset_id, vendor: row.vendor, product: row.product, version: row.version, cpe: row.cpe }));
}

/** Loads the newest cycle, by release date, of each product that is supported on `day`. */
async function loadSupportedCycles(tx: Tx, index: LifecycleIndex, products: string[], day: Date): Promise<Map<string, SupportedCycle>> {
  if (products.length === 0) return new Map();
  const today = day.toISOString().slice(0, 10);
  const rows = await queryRows<{ product: string; cycle: string; latest_version: string | null }>(
    tx,
    sql`
      select distinct on (product) product, cycle, latest_version
      from technology_lifecycles
      where product in (select jsonb_array_elements_text(${toJson(products)}::jsonb))
        and (eol_date > ${today}::date or (eol_date is null and eol_flag is not true))
      order by product, release_date desc nulls last, cycle desc
    `,
  );
  const supported = new Map<string, SupportedCycle>();
  for (const row of rows) {
    const label = index.cycles.get(row.product)?.[0]?.label ?? row.product;
    supported.set(row.product, { cycle: row.cycle, label, latestVersion: row.latest_version });
  }
  return supported;
}

/** Counts the check's findings on the assets that this import closed, and returns their assets. */
async function fixedByThisCheck(tx: Tx, importId: number, assetIds: number[]): Promise<{ count: number; assetIds: number[] }> {
  const rows = await queryRows<{ asset_id: number }>(
    tx,
    sql`
      select f.asset_id from findings f
      where f.asset_id in (select value::int from json_array_elements_text(${toJson(assetIds)}::json))
        and f.sources = array[${EOL_CHECK_SOURCE}]::text[]
        and f.status = 'fixed'
        and exists (select 1 from finding_status_history h where h.finding_id = f.id and h.import_id = ${importId} and h.to_status = 'fixed')
    `,
  );
  return { count: rows.length, assetIds: [...new Set(rows.map((row) => row.asset_id))] };
}
