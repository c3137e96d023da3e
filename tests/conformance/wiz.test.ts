import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { detections, findings, technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectWizIssues, expectWizVulnerabilities, WIZ_SEVERITIES, wizRows, wizVulnerabilityAsset } from './wiz-expectations';

describeWithScans('Wiz conformance', () => {
  for (const file of ['wiz/multiple_findings.csv', 'wiz/resolved_findings.csv']) {
    describeReport({
      file,
      format: 'wiz',
      expectation: (text) => expectWizIssues(wizRows(text)),
      spotChecks: (report) => {
        it('maps issues to misconfigurations on resources', async () => {
          const { db, text } = report();
          const rows = wizRows(text);
          for (const row of rows) {
            const resource = (row['Resource external ID'] ?? '').trim();
            expect((await assetNamed(db, resource))?.kind, resource).toBe('cloud_resource');
            if (row.Status === 'RESOLVED') continue;
            const stored = await findingsOnAsset(db, resource);
            const finding = stored.find((candidate) => candidate.vendorId === row['Control ID']);
            expect(finding?.type, row['Issue ID']).toBe('misconfiguration');
            expect(finding?.title).toBe(row.Title?.trim());
            expect(finding?.severity).toBeGreaterThanOrEqual(WIZ_SEVERITIES[(row.Severity ?? '').toLowerCase()] ?? 0);
          }
        });

        it('flags ignored issues as suppressed', async () => {
          const { db, text } = report();
          const ignored = wizRows(text).filter((row) => row.Status === 'IGNORED');
          for (const row of ignored) {
            const [detection] = await db
              .select({ raw: detections.raw })
              .from(detections)
              .innerJoin(findings, eq(findings.id, detections.findingId))
              .where(eq(detections.sourceFindingId, row['Issue ID'] ?? ''));
            expect((detection?.raw as Record<string, unknown> | undefined)?.suppressed, row['Issue ID']).toBe(true);
          }
        });
      },
    });
  }

  describeReport({
    file: 'wiz/sca_format.csv',
    format: 'wiz',
    expectation: (text) => expectWizVulnerabilities(wizRows(text)),
    spotChecks: (report) => {
      it('maps vulnerable packages', async () => {
        const { db, text } = report();
        for (const row of wizRows(text)) {
          const asset = await assetNamed(db, wizVulnerabilityAsset(row));
          expect(asset?.kind).toBe('cloud_resource');
          expect(asset?.ipv4).toContain(row.IpAddresses);
          const stored = await findingsOnAsset(db, wizVulnerabilityAsset(row));
          const matches = [];
          for (const finding of stored.filter((candidate) => candidate.vendorId === row.Name)) {
            const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding.technologyId ?? -1));
            if (technology?.product === row.DetailedName && technology?.version === row.Version) matches.push(finding);
          }
          expect(matches.length, `${row.Name} ${row.DetailedName}`).toBe(1);
          expect(matches[0]?.fixedVersion).toBe(row.FixedVersion);
          expect(matches[0]?.severity).toBe(WIZ_SEVERITIES[(row.VendorSeverity ?? '').toLowerCase()]);
          expect(matches[0]?.cveId).toBe(row.Name?.startsWith('CVE-') ? row.Name : null);
        }
      });
    },
  });
});
