import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectNessusCsv } from './report-expectations';

/** Reads a CSV export with its header as keys; an unnamed or repeated header gets its column number. */
function readRows(text: string): Record<string, string>[] {
  const firstLine = text.slice(0, text.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const [header = [], ...records] = parse(text, { delimiter, bom: true, relax_column_count: true }) as string[][];
  const names = header.map((name, index) => (name.trim() === '' || header.indexOf(name) !== index ? `column ${index + 1}` : name));
  return records.map((record) => Object.fromEntries(names.map((name, index) => [name, record[index] ?? ''])));
}

describeWithScans('Nessus CSV conformance', () => {
  describeReport({
    file: 'tenable/tenable_many_vuln.csv',
    format: 'nessus-csv',
    expectation: (text) => expectNessusCsv(readRows(text)),
    spotChecks: (report) => {
      it('merges the CVE rows of one plugin', async () => {
        const { db, text } = report();
        const rows = readRows(text).filter((row) => row['Plugin ID']);
        const [first] = rows;
        const host = first?.Host ?? '';
        const asset = await assetNamed(db, host);
        expect(asset?.kind).toBe('host');
        expect(asset?.ipv4).toContain(first?.['IP Address']);

        const sameFinding = rows.filter((row) => row.Host === host && row['Plugin ID'] === first?.['Plugin ID'] && row.Port === first?.Port);
        const stored = await findingsOnAsset(db, host);
        const finding = stored.find((row) => row.vendorId === first?.['Plugin ID']);
        expect(finding?.title).toBe(first?.Name);
        expect(finding?.port).toBe(Number(first?.Port));
        expect(finding?.sources).toEqual(['Nessus']);
        const cves = [...new Set(sameFinding.map((row) => row.CVE).filter((cve): cve is string => Boolean(cve)))];
        expect([...(finding?.cveIds ?? [])].sort()).toEqual(cves.sort());
      });
    },
  });

  describeReport({
    file: 'tenable/nessus_new.csv',
    format: 'nessus-csv',
    expectation: (text) => expectNessusCsv(readRows(text)),
  });
});
