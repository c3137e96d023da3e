import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { findings, technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectSarif, isSarifFinding, sarifAssetName, sarifCveOf, sarifFileOf, sarifPackageOf, sarifSeverityOf, type SarifLogJson } from './sarif-expectations';

const parseLog = (text: string) => JSON.parse(text) as SarifLogJson;

describeWithScans('SARIF conformance', () => {
  for (const file of ['sarif/cxf-3.4.6.sarif', 'sarif/dependency_check.sarif', 'sarif/spotbugs.sarif']) {
    const fileName = path.basename(file);
    describeReport({
      file,
      format: 'sarif',
      expectation: (text) => expectSarif(parseLog(text), fileName),
      spotChecks: (report) => {
        it('maps the application and a result', async () => {
          const { db, text } = report();
          const log = parseLog(text);
          const [run] = log.runs;
          if (!run) throw new Error(`${file} has no run`);
          const name = sarifAssetName(run, fileName);
          expect((await assetNamed(db, name))?.kind).toBe('application');

          const results = (run.results ?? []).filter(isSarifFinding);
          const [worst] = [...results].sort((a, b) => sarifSeverityOf(run, b) - sarifSeverityOf(run, a));
          if (!worst) throw new Error(`${file} has no results`);
          const cve = sarifCveOf(run, worst);
          const stored = (await findingsOnAsset(db, name)).filter((row) => row.vendorId === (worst.ruleId ?? null) && row.severity === sarifSeverityOf(run, worst));
          expect(stored.length).toBeGreaterThan(0);
          for (const row of stored) {
            expect(row.type).toBe(cve ? 'vulnerability' : 'misconfiguration');
            expect(row.cveId ?? undefined).toBe(cve);
            expect(row.sources).toEqual(['SARIF']);
          }
          if (cve) {
            const pkg = sarifPackageOf(run, worst);
            const technologyRows = await db.select().from(technologies).where(eq(technologies.id, stored[0]?.technologyId ?? -1));
            expect(technologyRows[0]?.product).toBe(pkg.product);
            expect(technologyRows[0]?.path).toBe(pkg.path);
          } else {
            const line = worst.locations?.[0]?.physicalLocation?.region?.startLine;
            const resource = `${sarifFileOf(run, worst)}${line === undefined ? '' : `:${line}`}`;
            // The file and line are not a column; they are part of the misconfiguration's identity key.
            const [row] = await db.select({ identityKey: findings.identityKey }).from(findings).where(eq(findings.id, stored[0]?.id ?? -1));
            expect(row?.identityKey).toContain(resource.toLowerCase());
          }
        });
      },
    });
  }
});
