import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { getOrganizationTimeZone } from '../../lib/query/settings';
import { getScoringSettings } from '../../lib/scoring/settings';
import { getOrganizationSettings, saveOrganizationSettings } from '../../lib/settings/organization-settings';
import { createTestDb } from '../helpers/test-db';

describe('organization settings', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
  });

  afterAll(async () => {
    await handle.close();
  });

  it('defaults to UTC and v2', async () => {
    expect(await getOrganizationSettings(handle.db)).toEqual({ timeZone: 'UTC', displayedVersion: 'v2', endOfLifeCheck: true });
  });

  it('saves the time zone and version, keeping other scoring settings', async () => {
    const before = await getScoringSettings(handle.db);
    await saveOrganizationSettings(handle.db, { timeZone: 'Europe/Berlin', displayedVersion: 'v1' });

    expect(await getOrganizationTimeZone(handle.db)).toBe('Europe/Berlin');
    const after = await getScoringSettings(handle.db);
    expect(after.displayedVersion).toBe('v1');
    expect(after.assetRiskV2).toEqual(before.assetRiskV2);
  });

  it('turns the end-of-life check off and on', async () => {
    await saveOrganizationSettings(handle.db, { timeZone: 'UTC', displayedVersion: 'v2', endOfLifeCheck: false });
    expect((await getOrganizationSettings(handle.db)).endOfLifeCheck).toBe(false);

    await saveOrganizationSettings(handle.db, { timeZone: 'UTC', displayedVersion: 'v2' });
    expect((await getOrganizationSettings(handle.db)).endOfLifeCheck).toBe(false);

    await saveOrganizationSettings(handle.db, { timeZone: 'Europe/Berlin', displayedVersion: 'v1', endOfLifeCheck: true });
    expect((await getOrganizationSettings(handle.db)).endOfLifeCheck).toBe(true);
  });

  it('rejects an unknown time zone', async () => {
    await expect(saveOrganizationSettings(handle.db, { timeZone: 'Mars/Olympus', displayedVersion: 'v2' })).rejects.toThrow(/IANA time zone/);
    expect(await getOrganizationTimeZone(handle.db)).toBe('Europe/Berlin');
  });
});
