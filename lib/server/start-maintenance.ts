import { getDb } from '../../db/client';
import { logger } from '../log';
import { maintenanceDue, runRiskAcceptanceMaintenance } from '../risk-acceptance/maintenance';

/** How often the server checks whether the daily maintenance is due. */
const CHECK_INTERVAL_MS = 60 * 60 * 1000;

let started = false;

/**
 * Runs the daily risk acceptance maintenance (lib/risk-acceptance/maintenance.ts) once per UTC day:
 * checked at start and every hour, so a server that was down catches up when it starts. With
 * several Postgres servers each may run it; the step is idempotent and notices are sent once.
 */
export function startDailyMaintenance(): void {
  if (started) return;
  started = true;
  const log = logger.child({ module: 'maintenance' });
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const db = await getDb();
      if (await maintenanceDue(db)) await runRiskAcceptanceMaintenance(db);
    } catch (error) {
      log.error({ err: error }, 'daily risk acceptance maintenance failed; it is tried again within the hour');
    } finally {
      running = false;
    }
  };
  setTimeout(() => void tick(), 30_000).unref();
  setInterval(() => void tick(), CHECK_INTERVAL_MS).unref();
}
