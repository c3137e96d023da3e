import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { elements, expectQualysAssetData, expectQualysScan, flattenXml, textOf } from './report-expectations';

describeWithScans('Qualys asset data report conformance', () => {
  describeReport({
    file: 'qualys/Qualys_Sample_Report.xml',
    format: 'qualys-asset-data',
    expectation: expectQualysAssetData,
    spotChecks: (report) => {
      it('maps a host and its address', async () => {
        const { db, text } = report();
        const hostList = elements(flattenXml(text), 'HOST_LIST')[0]?.body ?? '';
        const [host] = elements(hostList, 'HOST');
        const dns = textOf(host?.body ?? '', 'DNS') ?? '';
        const asset = await assetNamed(db, dns);

        expect(asset?.kind).toBe('host');
        expect(asset?.ipv4).toContain(textOf(host?.body ?? '', 'IP'));
        expect(asset?.fqdn).toBe(dns);
        expect(asset?.os).toBe(textOf(host?.body ?? '', 'OPERATING_SYSTEM'));
      });

      it('joins a detection with its glossary entry', async () => {
        const { db, text } = report();
        const flat = flattenXml(text);
        // Glossary entries that list CVEs, by QID.
        const glossary = new Map(
          elements(flat, 'VULN_DETAILS')
            .filter((details) => details.body.includes('<CVE_ID_LIST>'))
            .map((details) => [textOf(details.body, 'QID') ?? '', details.body]),
        );
        const hostList = elements(flat, 'HOST_LIST')[0]?.body ?? '';
        const host = elements(hostList, 'HOST').find((candidate) =>
          elements(candidate.body, 'VULN_INFO').some((detection) => glossary.has(textOf(detection.body, 'QID') ?? '') && textOf(detection.body, 'TYPE') === 'Vuln'),
        );
        const detection = elements(host?.body ?? '', 'VULN_INFO').find(
          (candidate) => glossary.has(textOf(candidate.body, 'QID') ?? '') && textOf(candidate.body, 'TYPE') === 'Vuln',
        );
        const qid = textOf(detection?.body ?? '', 'QID') ?? '';
        const details = glossary.get(qid) ?? '';
        const cves = elements(elements(details, 'CVE_ID_LIST')[0]?.body ?? '', 'CVE_ID').map((cve) => textOf(cve.body, 'ID'));
        expect(cves.length).toBeGreaterThan(0);

        const stored = await findingsOnAsset(db, textOf(host?.body ?? '', 'DNS') ?? '');
        const port = textOf(detection?.body ?? '', 'PORT');
        const finding = stored.find((row) => row.vendorId === qid && row.port === (port === undefined ? null : Number(port)));
        expect(finding?.title).toBe(textOf(details, 'TITLE'));
        expect(finding?.severity).toBe(Number(textOf(details, 'SEVERITY')));
        expect(new Set(finding?.cveIds)).toEqual(new Set(cves));
        expect(finding?.protocol ?? undefined).toBe(textOf(detection?.body ?? '', 'PROTOCOL')?.toLowerCase());
        expect(finding?.sources).toEqual(['Qualys']);
      });
    },
  });
});

describeWithScans('Qualys scan report conformance', () => {
  for (const file of ['qualys_infrascan_webgui/qualys_infrascan_webgui_1.xml', 'qualys_infrascan_webgui/qualys_infrascan_webgui_multiple.xml']) {
    describeReport({
      file,
      format: 'qualys-scan',
      expectation: expectQualysScan,
      spotChecks: (report) => {
        it('maps a host and its address', async () => {
          const { db, text } = report();
          const [ip] = elements(flattenXml(text), 'IP');
          const asset = await assetNamed(db, ip?.attributes.name ?? '');

          expect(asset?.kind).toBe('host');
          expect(asset?.ipv4).toEqual([ip?.attributes.value]);
          expect(asset?.os).toBe(textOf(ip?.body ?? '', 'OS'));
        });

        it('maps a vulnerability with its CVEs', async () => {
          const { db, text } = report();
          const [ip] = elements(flattenXml(text), 'IP');
          const vulnerability = elements(ip?.body ?? '', 'VULN').find((candidate) => candidate.attributes.cveid);
          const cves = (vulnerability?.attributes.cveid ?? '').split(',').map((cve) => cve.trim());
          expect(cves.length).toBeGreaterThan(0);

          const stored = await findingsOnAsset(db, ip?.attributes.name ?? '');
          const finding = stored.find((row) => row.vendorId === vulnerability?.attributes.number);
          expect(finding?.severity).toBe(Number(vulnerability?.attributes.severity));
          expect(finding?.title).toBe(textOf(vulnerability?.body ?? '', 'TITLE'));
          expect(new Set(finding?.cveIds)).toEqual(new Set(cves));
        });
      },
    });
  }
});
