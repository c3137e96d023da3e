import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { cycloneDxComponents, cycloneDxSeverityOf, expectCycloneDx, type CycloneDxBom } from './report-expectations';

const parseBom = (text: string) => JSON.parse(text) as CycloneDxBom;

const KINDS: Record<string, string> = {
  'cyclonedx/issue_9277.json': 'container_image',
  'cyclonedx/jake2.json': 'application',
  'cyclonedx/log4j.json': 'repository',
};

describeWithScans('CycloneDX conformance', () => {
  for (const [file, kind] of Object.entries(KINDS)) {
    describeReport({
      file,
      format: 'cyclonedx',
      expectation: (text) => expectCycloneDx(parseBom(text)),
      spotChecks: (report) => {
        it('maps the subject and an affected component', async () => {
          const { db, text } = report();
          const bom = parseBom(text);
          const name = bom.metadata?.component?.name ?? bom.serialNumber ?? '';
          const asset = await assetNamed(db, name);
          expect(asset?.kind).toBe(kind);

          const [worst] = [...(bom.vulnerabilities ?? [])].sort((a, b) => cycloneDxSeverityOf(b) - cycloneDxSeverityOf(a));
          const component = cycloneDxComponents(bom).get(worst?.affects?.[0]?.ref ?? '');
          const stored = await findingsOnAsset(db, name);
          const candidates = stored.filter((row) => row.vendorId === worst?.id);
          expect(candidates.length).toBe(worst?.affects?.length);
          for (const finding of candidates) {
            expect(finding.severity).toBe(worst ? cycloneDxSeverityOf(worst) : undefined);
            expect(finding.sources).toEqual(['CycloneDX']);
          }

          const technologyIds = candidates.map((row) => row.technologyId ?? -1);
          const products = await Promise.all(
            technologyIds.map(async (id) => (await db.select().from(technologies).where(eq(technologies.id, id)))[0]),
          );
          const expectedProduct = component?.group ? `${component.group}:${component.name}` : component?.name;
          expect(products.map((technology) => technology?.product)).toContain(expectedProduct);
          expect(products.map((technology) => technology?.version)).toContain(component?.version);
        });
      },
    });
  }
});
