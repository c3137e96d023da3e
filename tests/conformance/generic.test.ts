import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { assets, detections, findings, vulnerabilities } from '../../db/schema';
import { PROFILE_PRESETS, presetForHeader } from '../../lib/connector-profiles/presets';
import { createProfile } from '../../lib/connector-profiles/profiles';
import { importReport, type ImportSummary } from '../../lib/ingest/import-report';
import { createTestDb } from '../helpers/test-db';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset, SCANS_DIR } from './conformance-suite';
import { endpointOf, expectGenericCsv, expectGenericJson, type GenericJsonReport } from './generic-expectations';

const readJson = (text: string) => JSON.parse(text) as GenericJsonReport;
const readRows = (text: string) => parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];

describeWithScans('Generic Findings Import conformance', () => {
  describeReport({
    file: 'generic/generic_report3.json',
    format: 'generic-json',
    expectation: (text) => expectGenericJson(readJson(text), 'generic_report3'),
    spotChecks: (report) => {
      it('maps endpoint findings', async () => {
        const { db, text } = report();
        const second = readJson(text).findings[1];
        const endpoint = second?.endpoints?.[1];
        if (!second || !endpoint) throw new Error('the report lost its second finding');
        const { host, port } = endpointOf(endpoint);

        const asset = await assetNamed(db, host);
        expect(asset?.kind).toBe('host');
        expect(asset?.fqdn).toBe(host);
        const stored = await findingsOnAsset(db, host);
        const finding = stored.find((row) => row.port === port);
        expect(finding?.title).toBe(second.title);
        expect(finding?.cveId).toBe(second.cve);
        expect(finding?.severity).toBe(5);
        expect(finding?.protocol).toBe('tcp');
        expect(finding?.sources).toEqual(['Generic Findings Import']);
      });

      it('keeps findings without endpoints', async () => {
        const { db } = report();
        // The report has no name, so the file names the asset.
        const asset = await assetNamed(db, 'generic_report3');
        expect(asset?.kind).toBe('application');
        const stored = await findingsOnAsset(db, 'generic_report3');
        expect(stored.map((row) => row.cveId)).toEqual(['CVE-2020-36236']);
      });
    },
  });

  describeReport({
    file: 'generic/generic_report_kev_cvssv4.json',
    format: 'generic-json',
    expectation: (text) => expectGenericJson(readJson(text), 'generic_report_kev_cvssv4'),
    spotChecks: (report) => {
      it('maps KEV, CVSS v4 and tool ids', async () => {
        const { db, text } = report();
        const first = readJson(text).findings[0];
        if (!first) throw new Error('the report lost its first finding');

        const stored = await findingsOnAsset(db, 'generic_report_kev_cvssv4');
        const finding = stored.find((row) => row.vendorId === first.vuln_id_from_tool);
        expect(finding?.title).toBe(first.title);
        expect(finding?.cveId).toBe(first.cve);
        expect(finding?.severity).toBe(3);

        const [detection] = await db.select({ sourceFindingId: detections.sourceFindingId, raw: detections.raw }).from(detections).where(eq(detections.findingId, finding?.id ?? 0));
        expect(detection?.sourceFindingId).toBe(first.unique_id_from_tool);
        expect(detection?.raw.impact).toBe(first.impact);
        expect(detection?.raw.tags).toEqual(first.tags);

        const [catalog] = await db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, String(first.cve)));
        expect(catalog?.isKev).toBe(true);
        expect(catalog?.cvss4Vector).toBe(first.cvssv4);
        expect(catalog?.cvss4BaseScore).toBeCloseTo(Number(first.cvssv4_score));
      });
    },
  });

  describe('generic/generic_report1.csv with the DefectDojo preset', () => {
    const file = path.join(SCANS_DIR, 'generic', 'generic_report1.csv');
    let handle: DbHandle | undefined;
    let text = '';
    let first: ImportSummary | undefined;

    beforeAll(async () => {
      text = await readFile(file, 'utf8');
      handle = await createTestDb();
      const preset = PROFILE_PRESETS.find((candidate) => candidate.id === 'defectdojo-generic-csv');
      if (!preset) throw new Error('the DefectDojo preset is missing');
      const header = Object.keys(readRows(text)[0] ?? {});
      await createProfile(handle.db, presetForHeader(preset, header));
      first = await importReport(handle.db, { fileName: 'generic_report1.csv', path: file, profile: preset.profile.name });
    });

    afterAll(async () => {
      await handle?.close();
    });

    it('first import stores expected counts', async () => {
      const expected = expectGenericCsv(readRows(text));
      expect(first?.error?.message).toBeUndefined();
      expect(first?.format).toBe('generic-csv');
      expect(first?.counts.assetsCreated).toBe(expected.assets);
      expect(first?.counts.findingsNew).toBe(expected.findings);

      const db = handle?.db;
      if (!db) throw new Error('no database');
      const byAsset = await db.select({ name: assets.name, findings: count(findings.id) }).from(assets).innerJoin(findings, eq(findings.assetId, assets.id)).groupBy(assets.id, assets.name);
      expect(new Map(byAsset.map((row) => [row.name, row.findings]))).toEqual(expected.findingsByAsset);
      const bySeverity = await db.select({ severity: findings.severity, findings: count(findings.id) }).from(findings).groupBy(findings.severity);
      expect(new Map(bySeverity.map((row) => [row.severity, row.findings]))).toEqual(expected.findingsBySeverity);
    });

    it('maps the row fields', async () => {
      const db = handle?.db;
      if (!db) throw new Error('no database');
      const [row] = readRows(text);
      const { host, port } = endpointOf(row?.Url ?? '');
      const [finding] = await findingsOnAsset(db, host);
      expect(finding?.title).toBe(row?.Title);
      expect(finding?.port).toBe(port);
      expect(finding?.sources).toEqual(['Generic Findings Import']);
      const [stored] = await db.select({ cweIds: findings.cweIds, solution: findings.solution, firstFound: findings.firstFound }).from(findings).where(eq(findings.id, finding?.id ?? 0));
      expect(stored?.cweIds).toEqual([`CWE-${row?.CweId}`]);
      expect(stored?.solution).toBe(row?.Mitigation);
      expect(stored?.firstFound.toISOString()).toBe('2021-02-28T00:00:00.000Z');
    });

    it('second import changes nothing', async () => {
      const db = handle?.db;
      if (!db) throw new Error('no database');
      const again = await importReport(db, { fileName: 'generic_report1.csv', path: file, profile: 'DefectDojo generic CSV' });
      expect(again.error?.message).toBeUndefined();
      expect(again.counts.assetsCreated).toBe(0);
      expect(again.counts.findingsNew).toBe(0);
      expect(again.counts.findingsUpdated).toBe(0);
      expect(again.counts.detections).toBe(0);
    });
  });
});
