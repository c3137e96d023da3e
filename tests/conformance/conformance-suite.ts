// Shared steps of the conformance suite: find the shared scanner reports beside the checkout,
// import one report into a fresh database three times, and compare what was stored with the
// independent reading in report-expectations.ts.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { assets, detections, findings, imports } from '../../db/schema';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import type { ReportFormat } from '../../lib/ingest/model';
import { createTestDb } from '../helpers/test-db';
import type { ReportExpectation } from './report-expectations';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder of public scanner reports beside the checkout. */
export const SCANS_DIR = path.resolve(repositoryRoot, '..', 'shared', 'fixtures', 'scans');

/**
 * Declares a conformance suite that needs the shared reports. Without them it is skipped with a
 * notice, except under CI=true, where their absence fails the run.
 */
export function describeWithScans(title: string, body: () => void): void {
  if (existsSync(SCANS_DIR)) {
    describe(title, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('finds the shared scanner reports', () => {
        expect.fail(`${SCANS_DIR} is missing; CI runs the conformance suite on the shared scanner reports`);
      });
    });
    return;
  }
  console.log(`NOTICE: ${SCANS_DIR} is absent, so the conformance suite "${title}" is skipped.`);
  describe.skip(title, body);
}

/** What the spot checks of one report can read, filled in before the first test runs. */
export interface ImportedReport {
  db: Db;
  text: string;
  first: ImportSummary;
}

interface ReportCase {
  /** Path below SCANS_DIR. */
  file: string;
  format: ReportFormat;
  expectation: (text: string) => ReportExpectation;
  /** Declares the format's spot checks of mapped fields; `report()` returns the imported state. */
  spotChecks?: (report: () => ImportedReport) => void;
}

/**
 * Declares the tests of one report: its first import stores exactly the expected assets,
 * findings and detections, and two more imports of the same file change nothing.
 */
export function describeReport({ file, format, expectation, spotChecks }: ReportCase): void {
  describe(file, () => {
    let handle: DbHandle | undefined;
    let state: ImportedReport | undefined;
    let expected: ReportExpectation;
    let bytes: Buffer;
    const report = (): ImportedReport => {
      if (!state) throw new Error(`${file} was not imported; see the error of beforeAll`);
      return state;
    };

    beforeAll(async () => {
      const fullPath = path.join(SCANS_DIR, file);
      bytes = await readFile(fullPath);
      const text = bytes.toString('utf8');
      expected = expectation(text);
      handle = await createTestDb();
      const first = await importReport(handle.db, { fileName: path.basename(file), path: fullPath });
      state = { db: handle.db, text, first };
    });

    afterAll(async () => {
      await handle?.close();
    });

    it('first import stores expected counts', async () => {
      const { db, first } = report();
      expect(first.error?.message).toBeUndefined();
      expect(first.status).toBe('succeeded');
      expect(first.format).toBe(format);
      expect(first.counts.assetsCreated).toBe(expected.assets);
      expect(first.counts.findingsNew).toBe(expected.findings);
      expect(first.counts.detections).toBe(expected.findings);

      const rows = await rowCounts(db);
      expect(rows.assets).toBe(expected.assets);
      expect(rows.findings).toBe(expected.findings);
      expect(rows.detections).toBe(expected.findings);
    });

    it('records the import with its hash', async () => {
      const { db, first } = report();
      const [logged] = await db.select().from(imports).where(eq(imports.id, first.importId));
      expect(logged?.status).toBe('succeeded');
      expect(logged?.format).toBe(format);
      expect(logged?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(logged?.sizeBytes).toBe(bytes.length);
    });

    it('stores expected assets', async () => {
      const rows = await report().db.select({ name: assets.name }).from(assets);
      expect(new Set(rows.map((row) => row.name))).toEqual(expected.assetNames);
    });

    it('stores expected findings per asset', async () => {
      const rows = await report()
        .db.select({ name: assets.name, findings: count(findings.id) })
        .from(assets)
        .innerJoin(findings, eq(findings.assetId, assets.id))
        .groupBy(assets.id, assets.name);
      expect(new Map(rows.map((row) => [row.name, row.findings]))).toEqual(expected.findingsByAsset);
    });

    it('maps severities to the 1–5 scale', async () => {
      const rows = await report()
        .db.select({ severity: findings.severity, findings: count(findings.id) })
        .from(findings)
        .groupBy(findings.severity);
      expect(new Map(rows.map((row) => [row.severity, row.findings]))).toEqual(expected.findingsBySeverity);
    });

    for (const attempt of ['second', 'third']) {
      it(`${attempt} import changes nothing`, async () => {
        const { db } = report();
        const before = await rowCounts(db);
        const again = await importReport(db, { fileName: path.basename(file), path: path.join(SCANS_DIR, file) });

        expect(again.error?.message).toBeUndefined();
        expect(again.status).toBe('succeeded');
        expect(again.counts.assetsCreated).toBe(0);
        expect(again.counts.assetsUpdated).toBe(0);
        expect(again.counts.findingsNew).toBe(0);
        expect(again.counts.findingsUpdated).toBe(0);
        expect(again.counts.findingsUnchanged).toBe(expected.findings);
        expect(again.counts.detections).toBe(0);
        expect(await rowCounts(db)).toEqual(before);
      });
    }

    spotChecks?.(report);
  });
}

async function rowCounts(db: Db): Promise<{ assets: number; findings: number; detections: number }> {
  const [assetRows] = await db.select({ value: count() }).from(assets);
  const [findingRows] = await db.select({ value: count() }).from(findings);
  const [detectionRows] = await db.select({ value: count() }).from(detections);
  return { assets: assetRows?.value ?? 0, findings: findingRows?.value ?? 0, detections: detectionRows?.value ?? 0 };
}

/** Returns the findings stored on the asset with this name, with the fields spot checks compare. */
export async function findingsOnAsset(db: Db, assetName: string) {
  return db
    .select({
      id: findings.id,
      type: findings.type,
      vendorId: findings.vendorId,
      cveId: findings.cveId,
      cveIds: findings.cveIds,
      title: findings.title,
      severity: findings.severity,
      port: findings.port,
      protocol: findings.protocol,
      fixedVersion: findings.fixedVersion,
      technologyId: findings.technologyId,
      sources: findings.sources,
    })
    .from(findings)
    .innerJoin(assets, eq(assets.id, findings.assetId))
    .where(eq(assets.name, assetName));
}

export async function assetNamed(db: Db, name: string) {
  const [row] = await db.select().from(assets).where(eq(assets.name, name));
  return row;
}
