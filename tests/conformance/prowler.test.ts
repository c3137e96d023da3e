import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectProwler, prowlerAssetOf, prowlerCsvRows, prowlerOcsfRows, type ProwlerRow } from './compliance-expectations';

const readCsv = (text: string) => prowlerCsvRows(parse(text, { columns: true, delimiter: ';', bom: true, skip_empty_lines: true }) as Record<string, string>[]);
const SEVERITIES: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** Checks that each failed result is a misconfiguration with its severity on its asset. */
function checkFailedResults(rows: () => ProwlerRow[], report: () => { db: Parameters<typeof findingsOnAsset>[0] }): void {
  it('maps the failed results', async () => {
    const { db } = report();
    const failed = rows().filter((row) => row.status === 'FAIL');
    expect(failed.length).toBeGreaterThan(0);
    for (const row of failed) {
      const { asset } = prowlerAssetOf(row);
      expect((await assetNamed(db, asset))?.kind, asset).toBe('cloud_resource');
      const finding = (await findingsOnAsset(db, asset)).find((stored) => stored.vendorId === row.checkId);
      expect(finding?.type, row.checkId).toBe('misconfiguration');
      expect(finding?.severity, row.checkId).toBe(SEVERITIES[row.severity.toLowerCase()]);
      expect(finding?.sources).toEqual(['Prowler']);
    }
  });
}

describeWithScans('Prowler conformance', () => {
  for (const file of ['prowler/example_output_aws.ocsf.json', 'prowler/example_output_kubernetes.ocsf.json']) {
    let text = '';
    describeReport({
      file,
      format: 'prowler-ocsf',
      expectation: (content) => {
        text = content;
        return expectProwler(prowlerOcsfRows(JSON.parse(content)));
      },
      spotChecks: (report) => {
        checkFailedResults(() => prowlerOcsfRows(JSON.parse(text)), report);
        it('keeps manual checks informational', async () => {
          const { db } = report();
          for (const row of prowlerOcsfRows(JSON.parse(text)).filter((candidate) => candidate.status === 'MANUAL')) {
            const finding = (await findingsOnAsset(db, prowlerAssetOf(row).asset)).find((stored) => stored.vendorId === row.checkId);
            expect(finding?.severity, row.checkId).toBe(1);
          }
        });
      },
    });
  }

  let csv = '';
  describeReport({
    file: 'prowler/example_output_azure.csv',
    format: 'prowler-csv',
    expectation: (content) => {
      csv = content;
      return expectProwler(readCsv(content));
    },
    spotChecks: (report) => checkFailedResults(() => readCsv(csv), report),
  });
});
