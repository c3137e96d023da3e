import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectQualysCsv } from './report-expectations';

/** Reads a Qualys CSV export from its header line, the first line with a QID column. */
function readRows(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const headerIndex = lines.findIndex((line) => /(^|,)"?QID"?(,|$)/.test(line.trim()));
  const records = parse(lines.slice(headerIndex).join('\n'), { bom: true, relax_column_count: true }) as string[][];
  const [header = [], ...data] = records;
  return data.map((record) => Object.fromEntries(header.map((name, index) => [name, record[index] ?? ''])));
}

describeWithScans('Qualys CSV conformance', () => {
  for (const file of ['qualys/Qualys_Sample_Report.csv', 'qualys_vmdr/many_vulns_qid.csv', 'qualys_vmdr/many_vulns_cve.csv']) {
    describeReport({
      file,
      format: 'qualys-csv',
      expectation: (text) => expectQualysCsv(readRows(text)),
      spotChecks: (report) => {
        it('maps the first detection', async () => {
          const { db, text } = report();
          const [first] = readRows(text);
          const host = first?.DNS || first?.['Asset Name'] || first?.IP || '';
          const asset = await assetNamed(db, host);
          expect(asset?.kind).toBe('host');
          expect(asset?.ipv4).toContain(first?.IP || first?.['Asset IPV4']);

          const stored = await findingsOnAsset(db, host);
          const finding = stored.find((row) => row.vendorId === first?.QID);
          expect(finding?.title).toBe(first?.Title);
          expect(finding?.sources).toEqual(['Qualys']);
          const cves = (first?.['CVE ID'] || first?.CVE || '').split(/[\s,]+/).filter(Boolean);
          expect(finding?.cveIds ?? []).toEqual(expect.arrayContaining(cves));
        });
      },
    });
  }
});
