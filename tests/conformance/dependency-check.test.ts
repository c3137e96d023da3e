import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { dependencyCheckObservations, dependencyCheckProjectName, expectDependencyCheck } from './xml-format-expectations';

const FILES: Record<string, string> = {
  'dependency_check/multiple_vulnerabilities_has_multiple_findings.xml': 'application',
  'dependency_check/single_vuln.xml': 'application',
  'dependency_check/version-6.5.3.xml': 'repository',
};

describeWithScans('Dependency-Check XML conformance', () => {
  for (const [file, kind] of Object.entries(FILES)) {
    describeReport({
      file,
      format: 'dependency-check',
      expectation: expectDependencyCheck,
      spotChecks: (report) => {
        it('maps the project and a CVE on its package', async () => {
          const { db, text } = report();
          const name = dependencyCheckProjectName(text);
          const asset = await assetNamed(db, name);
          expect(asset?.kind).toBe(kind);

          // A CVE on one dependency only, so exactly one stored finding carries it.
          const observations = dependencyCheckObservations(text);
          const observation = observations.find((candidate) => candidate.cve && observations.filter((other) => other.cve === candidate.cve).length === 1);
          if (!observation) throw new Error(`${file} has no CVE on a single dependency`);
          const stored = await findingsOnAsset(db, name);
          const matching = stored.filter((row) => row.cveId === observation.cve);
          expect(matching).toHaveLength(1);
          const [finding] = matching;
          expect(finding?.vendorId).toBe(observation.title);
          expect(finding?.severity).toBe(observation.severity);
          expect(finding?.sources).toEqual(['Dependency-Check']);

          const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
          expect(technology?.product).toBe(observation.technologyName);
          expect(technology?.version ?? undefined).toBe(observation.technologyVersion);
          expect(technology?.path ?? undefined).toBe(observation.filePath);
        });

        it('keeps suppressed vulnerabilities', async () => {
          const { db, text } = report();
          const suppressed = dependencyCheckObservations(text).filter((candidate) => candidate.suppressed);
          const stored = await findingsOnAsset(db, dependencyCheckProjectName(text));
          for (const observation of suppressed) expect(stored.some((row) => row.vendorId === observation.title)).toBe(true);
        });
      },
    });
  }
});
