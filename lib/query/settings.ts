import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { appSettings } from '../../db/schema';
import { AppError } from '../http/app-error';

/** `app_settings` key of the organization's time zone, in which query dates start and end. */
export const TIME_ZONE_SETTING = 'organization.timeZone';
export const DEFAULT_TIME_ZONE = 'UTC';

/** Checks that the runtime's time zone database has the IANA name, e.g. `Europe/Berlin`. */
export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Returns the organization's time zone, or UTC when none is set or the stored name is no longer known. */
export async function getOrganizationTimeZone(db: Db): Promise<string> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, TIME_ZONE_SETTING)).limit(1);
  return row && isValidTimeZone(row.value) ? row.value : DEFAULT_TIME_ZONE;
}

/** Stores the organization's time zone; throws AppError `invalid_input` for a name that is not an IANA time zone. */
export async function setOrganizationTimeZone(db: Db, name: string): Promise<void> {
  if (!isValidTimeZone(name)) {
    throw new AppError('invalid_input', `'${name}' is not a known IANA time zone; use a name such as UTC, Europe/Berlin or America/New_York`);
  }
  await db
    .insert(appSettings)
    .values({ key: TIME_ZONE_SETTING, value: name })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: name, updatedAt: new Date() } });
}
