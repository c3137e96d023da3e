import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies, vulnerabilities } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectGrype, grypeAssetName, grypeCveOf, grypeSeverityOf, type GrypeReport } from './report-expectations';

const parseReport = (text: string) => JSON.parse(text) as GrypeReport;

interface EpssEntry {
  cve: string;
  epss: number;
  percentile: number;
}

describeWithScans('Grype conformance', () => {
  for (const file of ['anchore_grype/check_all_fields.json', 'anchore_grype/issue_9618.json']) {
    describeReport({
      file,
      format: 'grype',
      expectation: (text) => expectGrype(parseReport(text)),
      spotChecks: (report) => {
        it('maps the image and a package match', async () => {
          const { db, text } = report();
          const parsed = parseReport(text);
          const name = grypeAssetName(parsed);
          const asset = await assetNamed(db, name);
          expect(asset?.kind).toBe('container_image');

          const [worst] = [...(parsed.matches ?? [])].sort((a, b) => grypeSeverityOf(b) - grypeSeverityOf(a));
          const stored = await findingsOnAsset(db, name);
          const finding = stored.find((row) => row.vendorId === worst?.vulnerability.id && row.cveId === (grypeCveOf(worst) ?? null));
          expect(finding?.severity).toBe(worst ? grypeSeverityOf(worst) : undefined);
          expect(finding?.sources).toEqual(['Grype']);
          const fixes = worst?.vulnerability.fix?.versions ?? [];
          expect(finding?.fixedVersion ?? undefined).toBe(fixes.length > 0 ? fixes.join(', ') : undefined);

          const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
          expect(technology?.product).toBe(worst?.artifact.name);
          expect(technology?.version).toBe(worst?.artifact.version);
        });
      },
    });
  }

  describeReport({
    file: 'anchore_grype/many_vulns_with_epss_values.json',
    format: 'grype',
    expectation: (text) => expectGrype(parseReport(text)),
    spotChecks: (report) => {
      it('stores EPSS scores in the CVE catalog', async () => {
        const { db, text } = report();
        const matches = (JSON.parse(text) as { matches: { vulnerability: { epss?: EpssEntry[] } }[] }).matches;
        const entries = matches.flatMap((match) => match.vulnerability.epss ?? []);
        expect(entries.length).toBeGreaterThan(0);

        for (const entry of entries) {
          const [row] = await db.select().from(vulnerabilities).where(eq(vulnerabilities.cveId, entry.cve));
          expect(row?.epssScore, entry.cve).toBeCloseTo(entry.epss, 5);
          expect(row?.epssPercentile, entry.cve).toBeCloseTo(entry.percentile, 5);
        }
      });
    },
  });
});
