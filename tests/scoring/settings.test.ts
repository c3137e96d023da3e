import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { appSettings } from '../../db/schema';
import { DEFAULT_SCORING_SETTINGS, getScoringSettings, saveScoringSettings, SCORING_SETTINGS_KEY } from '../../lib/scoring/settings';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDb();
});

afterAll(async () => {
  await handle.close();
});

describe('scoring settings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_SCORING_SETTINGS).toEqual({
      displayedVersion: 'v2',
      assetRiskV2: { bandWeights: { critical: 150, high: 40, medium: 8, low: 0.5 }, maxMultipliers: { critical: 1.3, high: 1.1, other: 1 }, externalMultiplier: 1.2 },
      aggregateV2: { spread: 100 },
    });
  });

  it('reads defaults without a stored row', async () => {
    expect(await getScoringSettings(handle.db)).toEqual(DEFAULT_SCORING_SETTINGS);
  });

  it('stores a partial setting with defaults filled', async () => {
    await saveScoringSettings(handle.db, { displayedVersion: 'v1', aggregateV2: { spread: 40 } });
    const stored = await getScoringSettings(handle.db);
    expect(stored.displayedVersion).toBe('v1');
    expect(stored.aggregateV2.spread).toBe(40);
    expect(stored.assetRiskV2).toEqual(DEFAULT_SCORING_SETTINGS.assetRiskV2);
  });

  it('rejects invalid settings', async () => {
    await expect(saveScoringSettings(handle.db, { displayedVersion: 'v3' })).rejects.toThrow(/displayedVersion/);
    await expect(saveScoringSettings(handle.db, { aggregateV2: { spread: 0 } })).rejects.toThrow(/spread/);
  });

  it('reports a corrupt stored row', async () => {
    await handle.db.update(appSettings).set({ value: '{"displayedVersion": 7}' });
    await expect(getScoringSettings(handle.db)).rejects.toThrow(new RegExp(SCORING_SETTINGS_KEY));
  });
});
