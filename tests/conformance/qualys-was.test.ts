import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectQualysWas, wasApplicationName, wasEntries, wasGlossary } from './qualys-was-expectations';

describeWithScans('Qualys WAS conformance', () => {
  for (const file of ['qualys_webapp/discussion_10239.xml', 'qualys_webapp/qualys_webapp_many_vuln.xml']) {
    describeReport({
      file,
      format: 'qualys-was',
      expectation: expectQualysWas,
      spotChecks: (report) => {
        it('maps vulnerabilities with glossary fields', async () => {
          const { db, text } = report();
          const application = wasApplicationName(text);
          expect((await assetNamed(db, application))?.kind).toBe('application');

          const glossary = wasGlossary(text);
          const stored = await findingsOnAsset(db, application);
          const vulnerabilities = wasEntries(text).filter((entry) => entry.kind === 'vulnerability');
          expect(vulnerabilities.length).toBeGreaterThan(0);
          for (const entry of vulnerabilities) {
            const known = glossary.get(entry.qid);
            const row = stored.find((candidate) => candidate.vendorId === entry.qid);
            expect(row?.title, `QID ${entry.qid}`).toBe(known?.title);
            expect(row?.severity, `QID ${entry.qid}`).toBe(known?.severity);
            expect(row?.type).toBe('vulnerability');
          }
        });

        it('stores information gathered as informational', async () => {
          const { db, text } = report();
          const stored = await findingsOnAsset(db, wasApplicationName(text));
          const vulnerable = new Set(wasEntries(text).filter((entry) => entry.kind !== 'information').map((entry) => entry.qid));
          for (const entry of wasEntries(text).filter((candidate) => candidate.kind === 'information' && !vulnerable.has(candidate.qid))) {
            const row = stored.find((candidate) => candidate.vendorId === entry.qid);
            expect(row?.severity, `QID ${entry.qid}`).toBe(1);
            expect(row?.title).toBe(wasGlossary(text).get(entry.qid)?.title);
          }
        });
      },
    });
  }
});
