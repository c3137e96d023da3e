import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { bandOf } from './identity-tally';
import { expectNexpose, nexposeDefinitions, nexposeResults } from './nexpose-expectations';

describeWithScans('Nexpose conformance', () => {
  for (const file of ['nexpose/many_vulns.xml', 'nexpose/report_auth.xml']) {
    describeReport({
      file,
      format: 'nexpose',
      expectation: expectNexpose,
      spotChecks: (report) => {
        it('maps results with their definitions', async () => {
          const { db, text } = report();
          const definitions = nexposeDefinitions(text);
          const results = nexposeResults(text);
          // The result on an endpoint with the most CVEs, else any result.
          const [result] = [...results].sort((a, b) => (definitions.get(b.id.toLowerCase())?.cves.length ?? 0) - (definitions.get(a.id.toLowerCase())?.cves.length ?? 0) || Number(b.port !== undefined) - Number(a.port !== undefined));
          if (!result) throw new Error(`${file} has no vulnerable results`);
          const definition = definitions.get(result.id.toLowerCase());

          const asset = await assetNamed(db, result.asset);
          expect(asset?.kind).toBe('host');
          const stored = (await findingsOnAsset(db, result.asset)).find((row) => row.vendorId?.toLowerCase() === result.id.toLowerCase() && (row.port ?? undefined) === result.port);
          expect(stored?.title).toBe(definition?.title);
          expect(stored?.severity).toBe(bandOf(definition?.severity ?? -1));
          expect(stored?.protocol ?? undefined).toBe(result.protocol);
          expect(stored?.cveId ?? undefined).toBe(definition?.cves[0]);
          expect(stored?.cveIds).toEqual(definition?.cves);
          expect(stored?.type).toBe('vulnerability');
          expect(stored?.sources).toEqual(['Nexpose']);
        });
      },
    });
  }
});
