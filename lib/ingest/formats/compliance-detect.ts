// Content detection of the configuration and compliance reports (kube-bench, Checkov, Prowler)
// and of Wazuh's vulnerability exports, from the head of the file that detect-format.ts reads.
// Each test requires keys that only that tool writes together, so other reports are not taken.

import type { ReportFormat } from '../model';

/**
 * Returns the format of a JSON report from its leading keys (those of the top-level object, or
 * of the first element of a top-level array) and its head text, or undefined.
 */
export function detectComplianceJson(text: string, keys: ReadonlySet<string>, isArray: boolean): ReportFormat | undefined {
  const has = (key: string) => keys.has(key);

  // kube-bench: `{"Controls": [control…]}`, an array of controls, or one control, where a
  // control has node_type and tests.
  if (has('node_type') && has('tests')) return 'kube-bench';
  if (!isArray && has('Controls') && /"Controls"\s*:\s*\[\s*\{/.test(text) && /"node_type"\s*:/.test(text)) return 'kube-bench';

  // Checkov: one report per runner, alone or in an array, starting with check_type and results.
  if (has('check_type') && has('results')) return 'checkov';

  // Prowler OCSF: an array of OCSF findings whose metadata names Prowler as the product.
  if (isArray && (has('finding_info') || has('metadata') || has('class_uid')) && /"product"\s*:\s*\{[^{}]*"name"\s*:\s*"Prowler"/.test(text)) return 'prowler-ocsf';

  if (isArray) return undefined;
  // Wazuh 4.7 API: data.affected_items[] whose items have a cve. The items hold no nested objects.
  if (has('data') && /"affected_items"\s*:\s*\[\s*\{[^{}]*"cve"\s*:/.test(text)) return 'wazuh';
  // Wazuh 4.8+ indexer search: hits from the wazuh-states-vulnerabilities index, or hits whose
  // source has Wazuh's own field set next to a vulnerability.
  if (has('hits') && (/"_index"\s*:\s*"[^"]*wazuh-states-vulnerabilities/.test(text) || (/"vulnerability"\s*:\s*\{/.test(text) && /"wazuh"\s*:\s*\{/.test(text)))) return 'wazuh';
  return undefined;
}

/** True for the header of Prowler's CSV output (Prowler 3 to 5 column names). */
export function isProwlerCsvHeader(columns: ReadonlySet<string>): boolean {
  const resource = columns.has('RESOURCE_UID') || columns.has('RESOURCE_ARN') || columns.has('RESOURCE_ID');
  return columns.has('CHECK_ID') && columns.has('STATUS') && columns.has('PROVIDER') && resource;
}
