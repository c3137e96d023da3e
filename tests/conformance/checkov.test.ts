import { expect, it } from 'vitest';
import { assetNamed, describeReport, describeWithScans, findingsOnAsset } from './conformance-suite';
import { checkovRepository, checkovRunners, expectCheckov } from './compliance-expectations';

describeWithScans('Checkov conformance', () => {
  for (const file of ['checkov/checkov-report-many-vuln.json', 'checkov/checkov-report-multiple-check_type.json', 'checkov/checkov-report-severity.json']) {
    describeReport({
      file,
      format: 'checkov',
      expectation: (text) => expectCheckov(JSON.parse(text), file),
      spotChecks: (report) => {
        it('maps the failed checks', async () => {
          const { db, text } = report();
          const runners = checkovRunners(JSON.parse(text));
          const repository = checkovRepository(runners, file);
          expect((await assetNamed(db, repository))?.kind).toBe('repository');

          const stored = await findingsOnAsset(db, repository);
          for (const check of runners.flatMap((runner) => runner.results.failed_checks ?? [])) {
            const finding = stored.find((row) => row.vendorId === check.check_id);
            expect(finding?.type, check.check_id).toBe('misconfiguration');
            expect(finding?.title, check.check_id).toBe(check.check_name.trim());
            expect(finding?.sources).toEqual(['Checkov']);
          }
          const passed = new Set(runners.flatMap((runner) => (runner.results.passed_checks ?? []).map((check) => check.check_id)));
          const failed = new Set(runners.flatMap((runner) => (runner.results.failed_checks ?? []).map((check) => check.check_id)));
          expect(stored.filter((row) => passed.has(row.vendorId ?? '') && !failed.has(row.vendorId ?? ''))).toEqual([]);
        });
      },
    });
  }
});
