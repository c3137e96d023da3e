import { z } from 'zod';
import type { Db } from '../../db/client';
import { parseOrThrow } from '../http/app-error';
import { getOrganizationTimeZone, setOrganizationTimeZone } from '../query/settings';
import { getScoringSettings, saveScoringSettings } from '../scoring/settings';
import { getEolCheckSetting, setEolCheckSetting } from '../end-of-life/settings';

/** The settings an admin changes on the organization settings page. */
export interface OrganizationSettings {
  /** IANA time zone in which query dates start and end, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Risk Score version shown as the headline and in asset lists. */
  displayedVersion: 'v1' | 'v2';
  /** Imports derive end-of-life findings (lib/end-of-life), unless RISKBOARD_EOL_CHECK=off overrides it. */
  endOfLifeCheck: boolean;
}

export const organizationSettingsSchema = z.object({
  timeZone: z.string().trim().min(1, 'choose a time zone'),
  displayedVersion: z.enum(['v1', 'v2']),
  /** Absent keeps the stored choice. */
  endOfLifeCheck: z.boolean().optional(),
});

export async function getOrganizationSettings(db: Db): Promise<OrganizationSettings> {
  const [timeZone, scoring, endOfLifeCheck] = await Promise.all([getOrganizationTimeZone(db), getScoringSettings(db), getEolCheckSetting(db)]);
  return { timeZone, displayedVersion: scoring.displayedVersion, endOfLifeCheck };
}

/**
 * Saves the organization settings. Throws AppError `invalid_input` for an unknown time zone;
 * the other scoring settings keep their values.
 */
export async function saveOrganizationSettings(db: Db, input: unknown): Promise<OrganizationSettings> {
  const parsed = parseOrThrow(organizationSettingsSchema, input);
  await setOrganizationTimeZone(db, parsed.timeZone);
  const scoring = await getScoringSettings(db);
  await saveScoringSettings(db, { ...scoring, displayedVersion: parsed.displayedVersion });
  if (parsed.endOfLifeCheck !== undefined) await setEolCheckSetting(db, parsed.endOfLifeCheck);
  return { timeZone: parsed.timeZone, displayedVersion: parsed.displayedVersion, endOfLifeCheck: parsed.endOfLifeCheck ?? (await getEolCheckSetting(db)) };
}
