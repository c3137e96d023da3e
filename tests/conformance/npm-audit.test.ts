import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectNpmAudit, NPM_SEVERITIES, npm7VendorId, type NpmAuditJson } from './npm-audit-expectations';

const parseReport = (text: string) => JSON.parse(text) as NpmAuditJson;
const assetNameOf = (file: string) => path.basename(file, '.json');

describeWithScans('npm audit conformance', () => {
  for (const file of ['npm_audit/many_vuln.json', 'npm_audit/multiple_cwes.json']) {
    describeReport({
      file,
      format: 'npm-audit',
      expectation: (text) => expectNpmAudit(parseReport(text), assetNameOf(file)),
      spotChecks: (report) => {
        it('maps an npm 6 advisory', async () => {
          const { db, text } = report();
          const advisories = Object.values(parseReport(text).advisories ?? {});
          const [advisory] = [...advisories].sort((a, b) => (NPM_SEVERITIES[b.severity] ?? 0) - (NPM_SEVERITIES[a.severity] ?? 0));
          if (!advisory) throw new Error(`${file} has no advisories`);
          expect((await assetNamed(db, assetNameOf(file)))?.kind).toBe('application');

          const stored = (await findingsOnAsset(db, assetNameOf(file))).filter((row) => row.title === advisory.title && row.cveId === (advisory.cves?.[0] ?? null));
          expect(stored.length).toBe(new Set(advisory.findings.map((finding) => finding.version)).size);
          for (const row of stored) {
            expect(row.severity).toBe(NPM_SEVERITIES[advisory.severity]);
            expect(row.vendorId).toBe(advisory.github_advisory_id || String(advisory.id));
            expect(row.fixedVersion).toBe(advisory.patched_versions);
            const [technology] = await db.select().from(technologies).where(eq(technologies.id, row.technologyId ?? -1));
            expect(technology?.product).toBe(advisory.module_name);
            expect(advisory.findings.map((finding) => finding.version)).toContain(technology?.version);
          }
        });
      },
    });
  }

  for (const file of ['npm_audit_7_plus/many_vulns.json', 'npm_audit_7_plus/one_vuln.json']) {
    describeReport({
      file,
      format: 'npm-audit',
      expectation: (text) => expectNpmAudit(parseReport(text), assetNameOf(file)),
      spotChecks: (report) => {
        it('maps npm 7 advisories to their packages', async () => {
          const { db, text } = report();
          const stored = await findingsOnAsset(db, assetNameOf(file));
          const vulnerabilities = Object.values(parseReport(text).vulnerabilities ?? {});
          for (const vulnerability of vulnerabilities) {
            for (const via of vulnerability.via) {
              if (typeof via === 'string') continue;
              const row = stored.find((candidate) => candidate.vendorId === npm7VendorId(via) && candidate.title === via.title);
              expect(row?.severity, via.title).toBe(NPM_SEVERITIES[via.severity]);
              const [technology] = await db.select().from(technologies).where(eq(technologies.id, row?.technologyId ?? -1));
              expect(technology?.product).toBe(vulnerability.name);
            }
          }
          // Packages affected only through a dependency carry no finding of their own.
          const carriers = new Set(vulnerabilities.filter((vulnerability) => vulnerability.via.some((via) => typeof via !== 'string')).map((vulnerability) => vulnerability.name));
          const products = await db.select({ product: technologies.product }).from(technologies);
          expect(new Set(products.map((technology) => technology.product))).toEqual(carriers);
        });
      },
    });
  }
});
