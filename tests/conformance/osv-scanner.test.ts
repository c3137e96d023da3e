import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { parseCvssVector } from '../../lib/scoring/cvss';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectOsvScanner, osvAssetName, type OsvReport } from './report-expectations';

const parseReport = (text: string) => JSON.parse(text) as OsvReport;

/** Computes a CVSS base score with the CVSS library, failing the test on a vector it rejects. */
function scoreOf(vector: string): number {
  const parsed = parseCvssVector(vector);
  if (!parsed) throw new Error(`the CVSS library rejects ${vector}`);
  return parsed.baseScore;
}

describeWithScans('OSV-Scanner conformance', () => {
  for (const file of ['osv_scanner/many_findings.json', 'osv_scanner/some_findings.json']) {
    describeReport({
      file,
      format: 'osv-scanner',
      expectation: (text) => expectOsvScanner(parseReport(text), scoreOf),
      spotChecks: (report) => {
        it('maps the first package group', async () => {
          const { db, text } = report();
          const [result] = parseReport(text).results ?? [];
          const entry = result?.packages?.[0];
          const group = entry?.groups?.[0];
          const name = osvAssetName(result?.source ?? { path: '' });
          const asset = await assetNamed(db, name);
          expect(asset?.kind).toBe('repository');

          const stored = await findingsOnAsset(db, name);
          const finding = stored.find((row) => row.vendorId === group?.ids[0]);
          expect(finding?.sources).toEqual(['OSV-Scanner']);
          const groupCves = (group?.aliases ?? []).filter((alias) => alias.startsWith('CVE-'));
          expect([...(finding?.cveIds ?? [])].sort()).toEqual([...groupCves].sort());

          const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
          expect(technology?.product).toBe(entry?.package.name);
          expect(technology?.version).toBe(entry?.package.version);
          expect(technology?.path).toBe(result?.source.path);
        });
      },
    });
  }
});
