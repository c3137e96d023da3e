import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client';
import { appSettings } from '../../db/schema';
import { AppError, formatIssues } from '../http/app-error';

/** Key of the scoring settings row in app_settings. */
export const SCORING_SETTINGS_KEY = 'scoring';

const bandWeightsSchema = z.object({
  critical: z.number().min(0),
  high: z.number().min(0),
  medium: z.number().min(0),
  low: z.number().min(0),
});

/**
 * The organization's scoring settings, stored as JSON in app_settings. Every field has a default,
 * so a missing row or a row written by an older version still parses. docs/scoring.md explains
 * each default.
 */
export const scoringSettingsSchema = z.object({
  /** Version of the tag, business entity and organization Risk Score shown as the headline. */
  displayedVersion: z.enum(['v1', 'v2']).default('v2'),
  assetRiskV2: z
    .object({
      /** W_band: points per open finding in each Detection Score band. */
      bandWeights: bandWeightsSchema.default({ critical: 150, high: 40, medium: 8, low: 0.5 }),
      /** g(maxDS): multiplier of the highest Detection Score, by that score's band. */
      maxMultipliers: z
        .object({ critical: z.number().min(0), high: z.number().min(0), other: z.number().min(0) })
        .default({ critical: 1.3, high: 1.1, other: 1 }),
      /** Multiplier for internet-facing assets. */
      externalMultiplier: z.number().min(1).default(1.2),
    })
    .prefault({}),
  aggregateV2: z
    .object({
      /** K: how much summed member risk closes about 63% of the gap between the maximum and 1000. */
      spread: z.number().positive().default(100),
    })
    .prefault({}),
});

export type ScoringSettings = z.output<typeof scoringSettingsSchema>;

export const DEFAULT_SCORING_SETTINGS: ScoringSettings = scoringSettingsSchema.parse({});

/** Reads the scoring settings, falling back to the defaults when none are stored. */
export async function getScoringSettings(db: Db | Tx): Promise<ScoringSettings> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, SCORING_SETTINGS_KEY)).limit(1);
  if (!row) return DEFAULT_SCORING_SETTINGS;

  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    throw new AppError('internal', `app_settings row ${SCORING_SETTINGS_KEY} is not valid JSON; fix or delete the row to use the defaults`);
  }
  const parsed = scoringSettingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('internal', `app_settings row ${SCORING_SETTINGS_KEY} is invalid (${formatIssues(parsed.error)}); fix or delete the row to use the defaults`);
  }
  return parsed.data;
}

/** Validates and stores scoring settings; fields left out take their defaults. */
export async function saveScoringSettings(db: Db | Tx, input: unknown): Promise<ScoringSettings> {
  const parsed = scoringSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_input', `invalid scoring settings: ${formatIssues(parsed.error)}`);
  }
  const value = JSON.stringify(parsed.data);
  await db
    .insert(appSettings)
    .values({ key: SCORING_SETTINGS_KEY, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
  return parsed.data;
}
