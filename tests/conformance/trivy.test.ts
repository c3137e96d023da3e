import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectTrivy, imageOfTarget, TRIVY_SEVERITIES, type TrivyReport, type TrivyVulnerability } from './report-expectations';

const parseReport = (text: string) => JSON.parse(text) as TrivyReport;

describeWithScans('Trivy conformance', () => {
  describeReport({
    file: 'trivy/scheme_2_many_vulns.json',
    format: 'trivy',
    expectation: (text) => expectTrivy(parseReport(text)),
    spotChecks: (report) => {
      it('maps the image and a package vulnerability', async () => {
        const { db, text } = report();
        const parsed = parseReport(text);
        const artifact = parsed.ArtifactName ?? '';
        const vulnerabilities: TrivyVulnerability[] = (parsed.Results ?? []).flatMap((result) => result.Vulnerabilities ?? []);
        // The most severe vulnerability in the file.
        const [worst] = [...vulnerabilities].sort((a, b) => (TRIVY_SEVERITIES[b.Severity ?? ''] ?? 0) - (TRIVY_SEVERITIES[a.Severity ?? ''] ?? 0));

        const asset = await assetNamed(db, artifact);
        expect(asset?.kind).toBe('container_image');

        const stored = await findingsOnAsset(db, artifact);
        const finding = stored.find((row) => row.cveId === worst?.VulnerabilityID);
        expect(finding?.severity).toBe(TRIVY_SEVERITIES[worst?.Severity ?? '']);
        expect(finding?.fixedVersion ?? undefined).toBe(worst?.FixedVersion || undefined);
        expect(finding?.sources).toEqual(['Trivy']);

        const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
        expect(technology?.product).toBe(worst?.PkgName);
        expect(technology?.version).toBe(worst?.InstalledVersion);
      });
    },
  });

  describeReport({
    file: 'trivy/misconfigurations_and_secrets.json',
    format: 'trivy',
    expectation: (text) => expectTrivy(parseReport(text)),
    spotChecks: (report) => {
      it('stores misconfigurations and secrets as misconfigurations', async () => {
        const { db, text } = report();
        const parsed = parseReport(text);
        const stored = await findingsOnAsset(db, parsed.ArtifactName ?? '');
        const checkIds = (parsed.Results ?? []).flatMap((result) => [
          ...(result.Misconfigurations ?? []).map((item) => item.ID),
          ...(result.Secrets ?? []).map((item) => item.RuleID),
        ]);
        expect(checkIds.length).toBeGreaterThan(0);

        for (const checkId of new Set(checkIds)) {
          const finding = stored.find((row) => row.vendorId === checkId);
          expect(finding?.type, checkId).toBe('misconfiguration');
        }
      });
    },
  });

  describeReport({
    file: 'trivy/kubernetes.json',
    format: 'trivy',
    expectation: (text) => expectTrivy(parseReport(text)),
    spotChecks: (report) => {
      it('maps workload images and resources', async () => {
        const { db, text } = report();
        const parsed = parseReport(text);
        const [workload] = parsed.Vulnerabilities ?? [];
        const target = workload?.Results?.find((result) => result.Class === 'os-pkgs')?.Target ?? '';
        const image = await assetNamed(db, imageOfTarget(target));
        expect(image?.kind).toBe('container_image');

        const [misconfigured] = parsed.Misconfigurations ?? [];
        const resource = await assetNamed(db, [misconfigured?.Namespace, misconfigured?.Kind, misconfigured?.Name].join('/'));
        expect(resource?.kind).toBe('cloud_resource');
      });
    },
  });
});
