import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectGreenboneXml, greenboneHostNames, greenboneResults, greenboneSeverity } from './xml-format-expectations';

const FILES = ['openvas/many_vuln.xml', 'openvas/report_detail_v2.xml'];

describeWithScans('Greenbone XML conformance', () => {
  for (const file of FILES) {
    describeReport({
      file,
      format: 'openvas-xml',
      expectation: expectGreenboneXml,
      spotChecks: (report) => {
        it('maps the most severe result', async () => {
          const { db, text } = report();
          // The highest-severity result of an NVT with one result only, so no repeat merged into its finding.
          const results = greenboneResults(text);
          const single = results.filter((candidate) => results.filter((other) => other.oid === candidate.oid).length === 1);
          const [worst] = single.sort((a, b) => greenboneSeverity(b) - greenboneSeverity(a));
          if (!worst) throw new Error(`${file} has no NVT with a single result`);
          const name = greenboneHostNames(text).get(worst.ip) ?? worst.ip;
          const asset = await assetNamed(db, name);
          expect(asset?.kind).toBe('host');
          // An address that is not a valid IP (the anonymized 192.168.1.1001) is not stored as one.
          if (/^\d+\.\d+\.\d+\.\d+$/.test(worst.ip) && worst.ip.split('.').every((part) => Number(part) <= 255)) expect(asset?.ipv4).toContain(worst.ip);

          const stored = await findingsOnAsset(db, name);
          const [portText, protocol] = (worst.port ?? '').split('/');
          const matching = stored.filter((row) => row.vendorId === worst.oid);
          expect(matching).toHaveLength(1);
          const [finding] = matching;
          expect(finding?.port ?? undefined).toBe(/^\d+$/.test(portText ?? '') ? Number(portText) : undefined);
          expect(finding?.title).toBe(worst.name);
          expect(finding?.severity).toBe(greenboneSeverity(worst));
          expect(finding?.protocol).toBe(protocol?.toLowerCase());
          expect(finding?.cveId ?? undefined).toBe(worst.cves[0]);
          expect(finding?.sources).toEqual(['Greenbone']);
        });
      },
    });
  }
});
