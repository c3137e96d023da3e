import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { appSettings } from '../../db/schema';

/** `app_settings` key of the organization's choice; the value is `on` or `off`. */
const EOL_CHECK_SETTING = 'end_of_life_check';

/**
 * Returns whether the end-of-life check is disabled by the environment: RISKBOARD_EOL_CHECK set
 * to `off`, `false`, `no` or `0` turns it off for the whole installation, whatever the stored setting is.
 */
export function eolCheckDisabledByEnvironment(): boolean {
  const value = process.env.RISKBOARD_EOL_CHECK?.trim().toLowerCase();
  return value === 'off' || value === 'false' || value === 'no' || value === '0';
}

/** Returns the organization's setting for the end-of-life check; on unless an admin turned it off. */
export async function getEolCheckSetting(db: Db | Tx): Promise<boolean> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, EOL_CHECK_SETTING)).limit(1);
  return row?.value !== 'off';
}

export async function setEolCheckSetting(db: Db | Tx, enabled: boolean): Promise<void> {
  const value = enabled ? 'on' : 'off';
  await db
    .insert(appSettings)
    .values({ key: EOL_CHECK_SETTING, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
}

/** Returns whether imports and lifecycle feed imports derive end-of-life findings. */
export async function isEolCheckEnabled(db: Db | Tx): Promise<boolean> {
  if (eolCheckDisabledByEnvironment()) return false;
  return getEolCheckSetting(db);
}
