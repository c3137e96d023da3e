import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { findings } from '../../db/schema';
import { DEFAULT_MERGE_RULES } from '../../lib/identification/merge-rules';
import { reidentifyJob } from '../../lib/identification/reidentify-job';
import { DEFAULT_RULES } from '../../lib/identification/rules';
import { getIdentificationSettings, previewRules, reidentificationStatus, saveIdentificationSettings } from '../../lib/identification/settings';
import { JobWorker } from '../../lib/jobs/job-worker';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { HOST, writeRecords } from './write-records';

describe(`identification settings on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
    await writeRecords(db, 'ScannerA', new Date('2026-03-02T08:00:00Z'), [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '20', title: 'TLS 1.0 enabled', severity: 2 }]);
    await writeRecords(db, 'ScannerB', new Date('2026-03-03T08:00:00Z'), [HOST], [{ assetKey: 'h', type: 'vulnerability', vendorId: '7', title: 'TLS 1.0 Enabled', severity: 3 }]);
  });

  afterAll(async () => {
    await handle?.close();
  });

  const titleFirst = { ...DEFAULT_RULES, vulnerability: [{ attributes: ['title' as const], enabled: true }, ...DEFAULT_RULES.vulnerability.filter((rule) => rule.attributes.join('+') !== 'title')] };

  it('lists the rules, merge rules, window and known sources', async () => {
    const settings = await getIdentificationSettings(db);
    expect(settings.rules.vulnerability).toHaveLength(9);
    expect(settings.rules.vulnerability.every((rule) => rule.builtin)).toBe(true);
    expect(settings.sources).toEqual(['ScannerA', 'ScannerB']);
    expect(settings.ipWindowDays).toBe(30);
    expect(settings.job).toBeUndefined();
  });

  it('previews edited rules and rejects invalid ones', async () => {
    expect(await previewRules(db, titleFirst)).toMatchObject({ findingsBefore: 2, findingsAfter: 1, findingsMerged: 1 });
    await expect(previewRules(db, { vulnerability: [{ attributes: [], enabled: true }], misconfiguration: [] })).rejects.toThrow(/at least one attribute/);
  });

  it('refuses to delete a default rule', async () => {
    const withoutCve = { ...DEFAULT_RULES, vulnerability: DEFAULT_RULES.vulnerability.filter((rule) => rule.attributes.join('+') !== 'cve') };
    await expect(saveIdentificationSettings(db, { rules: withoutCve, mergeRules: DEFAULT_MERGE_RULES, ipWindowDays: 30 })).rejects.toThrow(/disabled but not deleted/);
  });

  it('saves, queues a re-identification and runs it in the background', async () => {
    const unchanged = await saveIdentificationSettings(db, { rules: DEFAULT_RULES, mergeRules: DEFAULT_MERGE_RULES, ipWindowDays: 14 });
    expect(unchanged.jobId).toBeUndefined();
    expect((await getIdentificationSettings(db)).ipWindowDays).toBe(14);

    const { jobId } = await saveIdentificationSettings(db, { rules: titleFirst, mergeRules: DEFAULT_MERGE_RULES, ipWindowDays: 14 });
    expect(jobId).toBeTypeOf('number');
    expect(await reidentificationStatus(db)).toMatchObject({ jobId, status: 'queued' });

    const worker = new JobWorker(db, { kinds: [reidentifyJob], persistProgress: true, soleProcess: true });
    expect(await worker.runOnce()).toBe(true);
    const status = await reidentificationStatus(db);
    expect(status).toMatchObject({ jobId, status: 'succeeded', detectionsDone: 2, detectionsTotal: 2 });
    expect(status?.result).toMatchObject({ findingsMerged: 1 });
    expect(await db.select().from(findings)).toHaveLength(1);
  });
});
