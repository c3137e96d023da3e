// Recognizes DefectDojo's "Generic Findings Import" JSON from the head of a report. Other tools
// also write `{ "findings": [ … ] }` (AWS Inspector, for one), so the check is strict: every
// top-level key and every key of the first finding must be one DefectDojo accepts, as its
// importer rejects any other.

import { jsonStringEnd } from '../json-head';

const TOP_KEYS: ReadonlySet<string> = new Set(['name', 'type', 'version', 'description', 'dynamic_tool', 'static_tool', 'soc', 'findings']);

/** Finding fields DefectDojo's generic JSON importer accepts (DefectDojo 2.x `dojo/tools/generic/json_parser.py`). */
const FINDING_KEYS: ReadonlySet<string> = new Set([
  'title', 'severity', 'description', 'date', 'cwe', 'cwes', 'cve', 'vulnerability_ids', 'epss_score', 'epss_percentile',
  'cvssv3', 'cvssv3_score', 'cvssv4', 'cvssv4_score', 'mitigation', 'impact', 'steps_to_reproduce', 'severity_justification',
  'references', 'active', 'verified', 'false_p', 'out_of_scope', 'risk_accepted', 'under_review', 'is_mitigated', 'thread_id',
  'mitigated', 'numerical_severity', 'param', 'payload', 'line', 'file_path', 'component_name', 'component_version',
  'static_finding', 'dynamic_finding', 'scanner_confidence', 'unique_id_from_tool', 'vuln_id_from_tool', 'sast_source_object',
  'sast_sink_object', 'sast_source_line', 'sast_source_file_path', 'nb_occurences', 'publish_date', 'service',
  'planned_remediation_date', 'planned_remediation_version', 'effort_for_fixing', 'tags', 'kev_date', 'known_exploited',
  'ransomware_used', 'fix_available', 'fix_version', 'endpoints', 'files', 'duplicate',
]);

/**
 * Returns true when the head, which starts at a top-level `{`, is a Generic Findings Import
 * report: it has a `findings` key, and the keys seen so far of the top-level object and of the
 * first finding are all accepted ones, with `title` or `severity` among the finding's.
 */
export function isGenericFindingsJson(text: string, start: number): boolean {
  const topKeys = new Set<string>();
  const findingKeys = new Set<string>();
  // Per open container: whether it is an object. Depth 1 is the top-level object, depth 2 the
  // findings array and depth 3 its first finding.
  const objects: boolean[] = [];
  let inFindings = false;
  let firstFindingDone = false;
  let pendingKey: string | undefined;

  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      const end = jsonStringEnd(text, index + 1);
      if (end === -1) break;
      let after = end + 1;
      while (after < text.length && /\s/.test(text[after] ?? '')) after++;
      if (text[after] === ':') {
        const key = text.slice(index + 1, end);
        if (objects.length === 1) {
          topKeys.add(key);
          pendingKey = key;
        } else if (inFindings && !firstFindingDone && objects.length === 3) {
          findingKeys.add(key);
        }
      }
      index = end;
      continue;
    }
    if (char === '{' || char === '[') {
      objects.push(char === '{');
      if (objects.length === 2 && pendingKey === 'findings' && char === '[') inFindings = true;
    } else if (char === '}' || char === ']') {
      if (objects.length === 3 && inFindings) firstFindingDone = true;
      if (objects.length === 2) inFindings = false;
      objects.pop();
      if (objects.length === 0) break;
    }
  }

  if (!topKeys.has('findings')) return false;
  if (![...topKeys].every((key) => TOP_KEYS.has(key))) return false;
  if (findingKeys.size === 0) return /"findings"\s*:\s*\[\s*\]/.test(text);
  return (findingKeys.has('title') || findingKeys.has('severity')) && [...findingKeys].every((key) => FINDING_KEYS.has(key));
}
