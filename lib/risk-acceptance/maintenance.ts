import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { riskAcceptanceRuns } from '../../db/schema';
import { logger } from '../log';
import { recomputeAssetRiskScores } from '../scoring/recompute';
import { mailTransportFromEnv, sendExpiryNotices } from './expiry';
import { refreshRiskAcceptanceRules } from './materialize';

const log = logger.child({ module: 'risk-acceptance' });

export interface MaintenanceResult {
  rulesRefreshed: number;
  assetsRecomputed: number;
  noticesSent: number;
}

/**
 * The daily risk acceptance step. Rules are active by their dates when scores are read, but the
 * stored asset Risk Scores only follow when recomputed, so this step:
 * 1. recomputes the members of every live rule (findings imported since, date-relative queries);
 * 2. recomputes the assets of every rule that started or ended since the last run (or ever, on
 *    the first run), which also upserts today's snapshots of their tags and business entities;
 * 3. sends the expiry notices that are due;
 * and records the run, whose time bounds the next run's window.
 */
export async function runRiskAcceptanceMaintenance(db: Db, now = new Date(), mail = mailTransportFromEnv()): Promise<MaintenanceResult> {
  const [last] = await db.select({ ranAt: riskAcceptanceRuns.ranAt }).from(riskAcceptanceRuns).orderBy(desc(riskAcceptanceRuns.ranAt)).limit(1);
  const since = last?.ranAt ?? new Date(0);

  const refreshed = await refreshRiskAcceptanceRules(db, now);

  const crossed = await queryRows<{ asset_id: number }>(
    db,
    sql`select distinct f.asset_id from risk_acceptance_rules r
        join finding_risk_acceptances m on m.rule_id = r.id
        join findings f on f.id = m.finding_id
        where r.revoked_at is null
          and ((r.start_date > ${since.toISOString()}::timestamptz and r.start_date <= ${now.toISOString()}::timestamptz)
            or (r.end_date > ${since.toISOString()}::timestamptz and r.end_date <= ${now.toISOString()}::timestamptz))`,
  );
  const assetIds = crossed.map((row) => Number(row.asset_id)).filter((id) => !refreshed.assetIds.includes(id));
  await db.transaction(async (tx) => recomputeAssetRiskScores(tx, assetIds));

  const noticesSent = await sendExpiryNotices(db, now, mail);
  const result = { rulesRefreshed: refreshed.rulesRefreshed, assetsRecomputed: refreshed.assetIds.length + assetIds.length, noticesSent };
  await db.insert(riskAcceptanceRuns).values({ ranAt: now, ...result });
  log.info(result, 'risk acceptance maintenance finished');
  return result;
}

/** Whether a maintenance run is due: none ran yet on this UTC day. */
export async function maintenanceDue(db: Db, now = new Date()): Promise<boolean> {
  const [last] = await db.select({ ranAt: riskAcceptanceRuns.ranAt }).from(riskAcceptanceRuns).orderBy(desc(riskAcceptanceRuns.ranAt)).limit(1);
  return !last || last.ranAt.toISOString().slice(0, 10) < now.toISOString().slice(0, 10);
}
