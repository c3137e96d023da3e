import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { elements, expectNessus, flattenXml, textOf } from './report-expectations';

/** Returns the value of a HostProperties tag of one ReportHost body. */
function hostTag(hostBody: string, name: string): string | undefined {
  const match = new RegExp(`<tag name="${name}">([^<]*)</tag>`).exec(hostBody);
  return match?.[1]?.trim();
}

describeWithScans('Nessus conformance', () => {
  describeReport({
    file: 'tenable/nessus_v_unknown.xml',
    format: 'nessus',
    expectation: expectNessus,
    spotChecks: (report) => {
      it('maps a host and its addresses', async () => {
        const { db, text } = report();
        const [host] = elements(flattenXml(text), 'ReportHost');
        const name = host?.attributes.name ?? '';
        const asset = await assetNamed(db, name);

        expect(asset?.kind).toBe('host');
        expect(asset?.ipv4).toContain(hostTag(host?.body ?? '', 'host-ip'));
        expect(asset?.fqdn).toBe(hostTag(host?.body ?? '', 'host-fqdn'));
        expect(asset?.mac).toContain(hostTag(host?.body ?? '', 'mac-address')?.toLowerCase());
      });

      it('maps a plugin with a CVE', async () => {
        const { db, text } = report();
        // The first ReportItem in the file that names a CVE, and the host it is on.
        const hosts = elements(flattenXml(text), 'ReportHost');
        const host = hosts.find((candidate) => candidate.body.includes('<cve>'));
        const item = elements(host?.body ?? '', 'ReportItem').find((candidate) => candidate.body.includes('<cve>'));
        const cve = textOf(item?.body ?? '', 'cve');
        expect(cve).toMatch(/^CVE-\d{4}-\d+$/);

        const stored = await findingsOnAsset(db, host?.attributes.name ?? '');
        const finding = stored.find((row) => row.vendorId === item?.attributes.pluginID && row.port === Number(item?.attributes.port));
        expect(finding?.cveIds).toContain(cve);
        expect(finding?.protocol).toBe(item?.attributes.protocol);
        expect(finding?.severity).toBe(Number(item?.attributes.severity) + 1);
        expect(finding?.title).toBe(item?.attributes.pluginName);
        expect(finding?.sources).toEqual(['Nessus']);
      });

      it('keeps informational plugins at severity 1', async () => {
        const { db, text } = report();
        const [host] = elements(flattenXml(text), 'ReportHost');
        const info = elements(host?.body ?? '', 'ReportItem').find((candidate) => candidate.attributes.severity === '0');
        const stored = await findingsOnAsset(db, host?.attributes.name ?? '');
        const finding = stored.find((row) => row.vendorId === info?.attributes.pluginID && row.port === Number(info?.attributes.port));
        expect(finding?.severity).toBe(1);
      });
    },
  });
});
