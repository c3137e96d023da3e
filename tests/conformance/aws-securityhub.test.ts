import { expect, it } from 'vitest';
import { asffCheckId, asffFindingsOf, asffResourceName, asffSeverityOf, expectSecurityHub, type AsffFinding } from './cloud-expectations';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';

const parseReport = (text: string) => JSON.parse(text) as { Findings?: AsffFinding[]; findings?: AsffFinding[] };

describeWithScans('AWS Security Hub conformance', () => {
  describeReport({
    file: 'awssecurityhub/config_many_findings.json',
    format: 'aws-securityhub',
    expectation: (text) => expectSecurityHub(parseReport(text)),
    spotChecks: (report) => {
      it('imports the account of passed controls without findings', async () => {
        const { db, text } = report();
        const findings = asffFindingsOf(parseReport(text));
        expect(findings.every((finding) => finding.Compliance?.Status === 'PASSED')).toBe(true);
        for (const finding of findings) {
          const name = asffResourceName(finding.Resources[0] ?? { Type: '', Id: '' });
          expect((await assetNamed(db, name))?.kind).toBe('cloud_resource');
          expect(await findingsOnAsset(db, name)).toEqual([]);
        }
      });
    },
  });

  describeReport({
    file: 'awssecurityhub/guardduty.json',
    format: 'aws-securityhub',
    expectation: (text) => expectSecurityHub(parseReport(text)),
    spotChecks: (report) => {
      it('keeps threat findings with the GuardDuty finding type as check id', async () => {
        const { db, text } = report();
        for (const finding of asffFindingsOf(parseReport(text))) {
          const resource = finding.Resources[0];
          if (!resource) continue;
          const stored = await findingsOnAsset(db, asffResourceName(resource));
          const match = stored.find((row) => row.vendorId === asffCheckId(finding));
          expect(match?.type, finding.Id).toBe('misconfiguration');
          expect(match?.severity).toBe(asffSeverityOf(finding));
          expect(match?.sources).toEqual(['AWS Security Hub']);
        }
        const instance = await assetNamed(db, 'i-1234567890');
        expect(instance?.kind).toBe('host');
        expect(instance?.cloudInstanceId).toBe('i-1234567890');
      });
    },
  });

  describeReport({
    file: 'awssecurityhub/inspector_ec2_cve.json',
    format: 'aws-securityhub',
    expectation: (text) => expectSecurityHub(parseReport(text)),
    spotChecks: (report) => {
      it('maps Inspector vulnerabilities with CVE, severity and fixed version', async () => {
        const { db, text } = report();
        const [first] = asffFindingsOf(parseReport(text));
        const vulnerability = first?.Vulnerabilities?.[0];
        const resource = first?.Resources[0];
        if (!first || !vulnerability || !resource) throw new Error('the report has no vulnerability');
        const stored = await findingsOnAsset(db, asffResourceName(resource));
        const finding = stored.find((row) => row.cveId === vulnerability.Id);
        expect(finding?.type).toBe('vulnerability');
        expect(finding?.severity).toBe(asffSeverityOf(first));
        expect(finding?.fixedVersion).toBe(vulnerability.VulnerablePackages?.[0]?.FixedInVersion);
      });
    },
  });
});
