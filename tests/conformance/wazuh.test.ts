import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { technologies } from '../../db/schema';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectWazuh, wazuhHitHost, type WazuhReport } from './compliance-expectations';

const readReport = (text: string) => JSON.parse(text) as WazuhReport;

describeWithScans('Wazuh conformance', () => {
  describeReport({
    file: 'wazuh/v4-7_one_finding_with_endpoint.json',
    format: 'wazuh',
    expectation: (text) => expectWazuh(readReport(text), 'v4-7_one_finding_with_endpoint.json'),
    spotChecks: (report) => {
      it('maps the agent and its vulnerability', async () => {
        const { db, text } = report();
        const [item] = readReport(text).data?.affected_items ?? [];
        const host = await assetNamed(db, item?.agent_name ?? '');
        expect(host?.kind).toBe('host');
        expect(host?.ipv4).toEqual([item?.agent_ip]);

        const [finding] = await findingsOnAsset(db, item?.agent_name ?? '');
        expect(finding?.cveId).toBe(item?.cve);
        expect(finding?.type).toBe('vulnerability');
        expect(finding?.sources).toEqual(['Wazuh']);
        const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
        expect(technology?.product).toBe(item?.name);
        expect(technology?.version).toBe(item?.version);
      });
    },
  });

  describeReport({
    file: 'wazuh/v4-8_many_findings.json',
    format: 'wazuh',
    expectation: (text) => expectWazuh(readReport(text), 'v4-8_many_findings.json'),
    spotChecks: (report) => {
      it('maps each hit to its agent', async () => {
        const { db, text } = report();
        const hits = readReport(text).hits?.hits ?? [];
        expect(hits.length).toBeGreaterThan(0);
        for (const hit of hits) {
          const { vulnerability, package: pkg } = hit._source;
          const host = wazuhHitHost(hit);
          expect((await assetNamed(db, host))?.kind).toBe('host');
          // A CVE can affect two packages of one host, so the title, which names the package, picks the finding.
          const finding = (await findingsOnAsset(db, host)).find((row) => row.cveId === vulnerability.id && row.title === `${vulnerability.id} affects ${pkg.name}`);
          expect(finding?.type, vulnerability.id).toBe('vulnerability');
          const [technology] = await db.select().from(technologies).where(eq(technologies.id, finding?.technologyId ?? -1));
          expect(technology?.product).toBe(pkg.name);
          expect(technology?.version).toBe(pkg.version);
        }
      });
    },
  });
});
