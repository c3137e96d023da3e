import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectOpenVasCsv } from './report-expectations';

const readRows = (text: string) => parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];

describeWithScans('Greenbone CSV conformance', () => {
  describeReport({
    file: 'openvas/report_using_CVE.csv',
    format: 'openvas-csv',
    expectation: (text) => expectOpenVasCsv(readRows(text)),
    spotChecks: (report) => {
      it('maps a CVE result', async () => {
        const { db, text } = report();
        const [first] = readRows(text);
        const host = first?.Hostname || first?.IP || '';
        const asset = await assetNamed(db, host);
        expect(asset?.kind).toBe('host');
        expect(asset?.ipv4).toContain(first?.IP);

        const stored = await findingsOnAsset(db, host);
        const finding = stored.find((row) => row.vendorId === first?.['NVT OID']);
        expect(finding?.title).toBe(first?.['NVT Name']);
        expect(finding?.cveId).toBe(first?.['NVT OID']);
        expect(finding?.sources).toEqual(['Greenbone']);
      });
    },
  });
});
