import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { expectKubeBench, kubeBenchControls, kubeBenchSeverity, stemOf } from './compliance-expectations';

describeWithScans('kube-bench conformance', () => {
  for (const file of ['kubebench/kube-bench-controls.json', 'kubebench/kube-bench-report-many-vuln.json']) {
    describeReport({
      file,
      format: 'kube-bench',
      expectation: (text) => expectKubeBench(JSON.parse(text), file),
      spotChecks: (report) => {
        it('maps each failed check', async () => {
          const { db, text } = report();
          const host = stemOf(file);
          expect((await assetNamed(db, host))?.kind).toBe('host');

          const stored = await findingsOnAsset(db, host);
          const results = kubeBenchControls(JSON.parse(text)).flatMap((control) => control.tests.flatMap((group) => group.results ?? []));
          const failed = results.filter((result) => result.status === 'FAIL');
          expect(failed.length).toBeGreaterThan(0);
          for (const result of failed) {
            const finding = stored.find((row) => row.vendorId === result.test_number);
            expect(finding?.type, result.test_number).toBe('misconfiguration');
            expect(finding?.title, result.test_number).toBe(result.test_desc);
            expect(finding?.severity, result.test_number).toBe(kubeBenchSeverity(result));
            expect(finding?.sources).toEqual(['kube-bench']);
          }
          const passed = results.filter((result) => result.status === 'PASS').map((result) => result.test_number);
          expect(stored.filter((row) => passed.includes(row.vendorId ?? ''))).toEqual([]);
        });
      },
    });
  }
});
