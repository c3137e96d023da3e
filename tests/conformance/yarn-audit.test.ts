import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { berryVendorId, expectYarnAudit, YARN_SEVERITIES, yarnAdvisories, yarnBerryEntries } from './yarn-audit-expectations';

const assetNameOf = (file: string) => path.basename(file, '.json');

/** The reports, with the format each is detected as: yarn 2+ and yarn 1 JSON lines, and an npm 6-shaped report that yarn 2 and 3 print. */
const REPORTS = [
  { file: 'yarn_audit/yarn_audit_multiple_cwes.json', format: 'yarn-audit', source: 'yarn audit' },
  { file: 'yarn_audit/yarn2_audit_issue9911.json', format: 'yarn-audit', source: 'yarn audit' },
  // yarn 2 and 3 print the registry's npm 6-shaped response, which is indistinguishable from npm audit's.
  { file: 'yarn_audit/issue_6495.json', format: 'npm-audit', source: 'npm audit' },
] as const;

describeWithScans('yarn audit conformance', () => {
  for (const { file, format, source } of REPORTS) {
    describeReport({
      file,
      format,
      expectation: (text) => expectYarnAudit(text, assetNameOf(file), source),
      spotChecks: (report) => {
        it('maps advisories to packages', async () => {
          const { db, text } = report();
          expect((await assetNamed(db, assetNameOf(file)))?.kind).toBe('application');
          const stored = await findingsOnAsset(db, assetNameOf(file));
          const productOf = async (technologyId: number | null) => (await db.select().from(technologies).where(eq(technologies.id, technologyId ?? -1)))[0];

          for (const advisory of yarnAdvisories(text)) {
            const rows = stored.filter((row) => row.vendorId === (advisory.github_advisory_id || String(advisory.id)));
            expect(rows.length, advisory.title).toBe(new Set(advisory.findings.map((finding) => finding.version)).size);
            for (const row of rows) {
              expect(row.severity).toBe(YARN_SEVERITIES[advisory.severity]);
              expect(row.fixedVersion).toBe(advisory.patched_versions);
              expect(row.cveId).toBe(advisory.cves?.[0] ?? null);
              expect((await productOf(row.technologyId))?.product).toBe(advisory.module_name);
            }
          }
          for (const entry of yarnBerryEntries(text)) {
            const row = stored.find((candidate) => candidate.vendorId === berryVendorId(entry));
            expect(row?.title).toBe(entry.children.Issue);
            expect(row?.severity).toBe(YARN_SEVERITIES[entry.children.Severity]);
            const technology = await productOf(row?.technologyId ?? null);
            expect(technology?.product).toBe(entry.value);
            expect(entry.children['Tree Versions']).toContain(technology?.version);
          }
        });
      },
    });
  }
});
