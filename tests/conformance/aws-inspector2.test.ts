import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { expectInspector2, inspectorPackageVersion, inspectorResourceName, inspectorSeverityOf, type InspectorFinding } from './cloud-expectations';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';

const parseReport = (text: string) => JSON.parse(text) as { findings: InspectorFinding[] };

const RESOURCE_KINDS: Record<string, string> = { AWS_EC2_INSTANCE: 'host', AWS_ECR_CONTAINER_IMAGE: 'container_image', AWS_LAMBDA_FUNCTION: 'cloud_resource' };

describeWithScans('Amazon Inspector conformance', () => {
  for (const file of ['aws_inspector2/aws_inspector2_many_vul.json', 'aws_inspector2/aws_inspector2_package_vuln_metadata.json']) {
    describeReport({
      file,
      format: 'aws-inspector2',
      expectation: (text) => expectInspector2(parseReport(text)),
      spotChecks: (report) => {
        it('maps resources to assets of their kind', async () => {
          const { db, text } = report();
          for (const resource of parseReport(text).findings.flatMap((finding) => finding.resources)) {
            const asset = await assetNamed(db, inspectorResourceName(resource));
            expect(asset?.kind, resource.id).toBe(RESOURCE_KINDS[resource.type]);
            if (resource.type === 'AWS_EC2_INSTANCE') expect(asset?.cloudInstanceId).toBe(inspectorResourceName(resource));
          }
        });

        it('maps the worst open package vulnerability', async () => {
          const { db, text } = report();
          const open = parseReport(text).findings.filter((finding) => finding.status !== 'CLOSED' && finding.packageVulnerabilityDetails?.vulnerablePackages?.length);
          const [worst] = open.sort((a, b) => inspectorSeverityOf(b) - inspectorSeverityOf(a));
          const pkg = worst?.packageVulnerabilityDetails?.vulnerablePackages?.[0];
          const resource = worst?.resources[0];
          if (!worst || !pkg || !resource) throw new Error(`${file} has no open package vulnerability`);

          const stored = await findingsOnAsset(db, inspectorResourceName(resource));
          const candidates = stored.filter((row) => row.cveId === worst.packageVulnerabilityDetails?.vulnerabilityId);
          const withPackage = [];
          for (const row of candidates) {
            const [technology] = await db.select().from(technologies).where(eq(technologies.id, row.technologyId ?? -1));
            if (technology?.product === pkg.name && technology.version === inspectorPackageVersion(pkg)) withPackage.push(row);
          }
          expect(withPackage).toHaveLength(1);
          expect(withPackage[0]?.severity).toBe(inspectorSeverityOf(worst));
          expect(withPackage[0]?.sources).toEqual(['Amazon Inspector']);
          const fixed = pkg.fixedInVersion && pkg.fixedInVersion !== 'NotAvailable' ? pkg.fixedInVersion : undefined;
          expect(withPackage[0]?.fixedVersion ?? undefined).toBe(fixed);
        });
      },
    });
  }
});
