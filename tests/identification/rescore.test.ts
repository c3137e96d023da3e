import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { findings, vulnerabilities } from '../../db/schema';
import { rescoreFindings } from '../../lib/identification/rescore';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { HOST, writeRecords } from './write-records';

const CVE = 'CVE-2024-3094';

describe(`rescore after a merge on ${testDbKind}`, () => {
  let handle: DbHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await createTestDb();
    db = handle.db;
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('keeps threat actor facts', async () => {
    await writeRecords(db, 'Scanner A', new Date('2026-03-02T08:00:00Z'), [HOST], [
      { assetKey: 'h', type: 'vulnerability', cveId: CVE, title: 'xz backdoor', severity: 3, cvss3BaseScore: 5.0 },
    ]);
    const [before] = await db.select().from(findings).where(eq(findings.cveId, CVE));
    if (!before) throw new Error('the finding was not written');

    // A named threat actor dominates the Detection Score, so a rescore that left it out would lower it.
    await db.update(vulnerabilities).set({ threatActors: ['APT28'] }).where(eq(vulnerabilities.cveId, CVE));
    const changedAssets = await db.transaction((tx) => rescoreFindings(tx, [before.id]));
    const [after] = await db.select().from(findings).where(eq(findings.id, before.id));

    expect(changedAssets).toEqual(new Set([before.assetId]));
    expect(after?.detectionScore).toBeGreaterThanOrEqual(90);

    // A second rescore with the same inputs changes nothing.
    const again = await db.transaction((tx) => rescoreFindings(tx, [before.id]));
    expect(again.size).toBe(0);
  });
});
