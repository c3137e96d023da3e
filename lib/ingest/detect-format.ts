// Recognizes a report's format from the start of its text: the root element name for XML, the
// first object keys (or the keys of the first array element) for JSON. Nothing is parsed in
// full, so a head cut in the middle of a value is fine.

import { isGenericFindingsJson } from './formats/generic-json-detect';
import { jsonStringEnd } from './json-head';
import { detectXmlByContent } from './formats/xml-content-detect';
import { detectComplianceJson, isProwlerCsvHeader } from './formats/compliance-detect';
import { wizLayout } from './formats/wiz';
import type { ReportFormat } from './model';

/** XML root element names of the supported formats. */
const XML_ROOTS: Record<string, ReportFormat> = {
  NessusClientData_v2: 'nessus',
  ASSET_DATA_REPORT: 'qualys-asset-data',
  SCAN: 'qualys-scan',
  HOST_LIST_VM_DETECTION_OUTPUT: 'qualys-detection',
  NexposeReport: 'nexpose',
  WAS_SCAN_REPORT: 'qualys-was',
  WAS_WEBAPP_REPORT: 'qualys-was',
};

/**
 * Returns the format of a report from its first characters (the caller passes the first 64 KiB),
 * or undefined when the content matches no supported format.
 */
export function detectFormat(head: string): ReportFormat | undefined {
  const start = skipWhitespace(head, head.charCodeAt(0) === 0xfeff ? 1 : 0);
  const first = head[start];
  if (first === '<') {
    const root = xmlRootName(head, start);
    return root === undefined ? undefined : (XML_ROOTS[root] ?? detectXmlByContent(root, head));
  }
  if (first === '{' || first === '[') return detectJson(head, start);
  return detectCsv(head.slice(start));
}

/** Recognizes a CSV export from the column names of its header line. */
function detectCsv(text: string): ReportFormat | undefined {
  const newline = text.indexOf('\n');
  const header = newline === -1 ? text : text.slice(0, newline);
  const columns = new Set(header.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"|"$/g, '')));
  if (columns.has('Plugin ID') && (columns.has('Host') || columns.has('IP Address')) && (columns.has('Risk') || columns.has('Severity'))) return 'nessus-csv';
  if (columns.has('definition.id') && columns.has('asset.name')) return 'nessus-csv';
  if (columns.has('NVT OID') && columns.has('IP')) return 'openvas-csv';
  if (isProwlerCsvHeader(columns)) return 'prowler-csv';
  if (wizLayout(columns)) return 'wiz';
  return detectQualysCsv(text);
}

/** Recognizes a Qualys CSV export by a header line, after any report metadata lines, with QID and host columns. */
function detectQualysCsv(text: string): ReportFormat | undefined {
  for (const line of text.split('\n', 20)) {
    const columns = new Set(line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"|"$/g, '')));
    if (!columns.has('QID') || !columns.has('Title')) continue;
    if (columns.has('IP') || columns.has('DNS') || columns.has('Asset Name') || columns.has('Asset IPV4')) return 'qualys-csv';
  }
  return undefined;
}

function skipWhitespace(text: string, index: number): number {
  let position = index;
  while (position < text.length && /\s/.test(text[position] ?? '')) position++;
  return position;
}

/**
 * Returns the name of the first element, after the XML declaration, processing instructions,
 * comments and the DOCTYPE, or undefined when the head ends before it.
 */
function xmlRootName(text: string, start: number): string | undefined {
  let index = start;
  for (;;) {
    index = skipWhitespace(text, index);
    if (text.startsWith('<?', index)) {
      const end = text.indexOf('?>', index + 2);
      if (end === -1) return undefined;
      index = end + 2;
    } else if (text.startsWith('<!--', index)) {
      const end = text.indexOf('-->', index + 4);
      if (end === -1) return undefined;
      index = end + 3;
    } else if (text.startsWith('<!DOCTYPE', index)) {
      const end = doctypeEnd(text, index + 9);
      if (end === -1) return undefined;
      index = end + 1;
    } else if (text[index] === '<') {
      const match = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(index, index + 256));
      return match?.[1];
    } else {
      return undefined;
    }
  }
}

/**
 * Returns the index of the `>` that closes a DOCTYPE, past any quoted literal, internal subset
 * and comment inside it, or -1 when the head ends first.
 */
function doctypeEnd(text: string, from: number): number {
  let quote = '';
  let inSubset = false;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = '';
    } else if (inSubset && text.startsWith('<!--', index)) {
      const end = text.indexOf('-->', index + 4);
      if (end === -1) return -1;
      index = end + 2;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[') {
      inSubset = true;
    } else if (char === ']') {
      inSubset = false;
    } else if (char === '>' && !inSubset) {
      return index;
    }
  }
  return -1;
}

function detectJson(text: string, start: number): ReportFormat | undefined {
  const isArray = text[start] === '[';
  const keys = leadingKeys(text, start, isArray);
  const has = (key: string) => keys.has(key);

  const compliance = detectComplianceJson(text, keys, isArray);
  if (compliance) return compliance;
  if (isArray) {
    // Trivy's older schema: an array of results, each with a Target.
    return has('Target') && (has('Vulnerabilities') || has('Type') || has('Class')) ? 'trivy' : undefined;
  }
  if (has('ClusterName') && (has('Vulnerabilities') || has('Misconfigurations') || has('Resources'))) return 'trivy';
  if (has('SchemaVersion') && (has('ArtifactName') || has('Results'))) return 'trivy';
  if (has('ArtifactName') && has('ArtifactType')) return 'trivy';
  // Grype writes matches[] before source and descriptor, which may lie beyond the head; then a
  // match's own matchDetails key names the format.
  if (has('bomFormat') && /"bomFormat"\s*:\s*"CycloneDX"/.test(text)) return 'cyclonedx';
  // OSV-Scanner: results[] whose entries start with the scanned source or its packages.
  if (has('results') && /^\{\s*"results"\s*:\s*\[\s*\{\s*"(?:source|packages)"\s*:/.test(text.slice(start))) return 'osv-scanner';
  if (has('matches') && (has('source') || has('descriptor') || /"matchDetails"\s*:/.test(text))) return 'grype';
  // SARIF: runs[] beside version 2.1.0 or a SARIF $schema, else runs whose tool has a driver.
  if (has('runs') && ((has('version') && /"version"\s*:\s*"2\.1\.0"/.test(text)) || /"\$schema"\s*:\s*"[^"]*sarif/i.test(text) || /"tool"\s*:\s*\{\s*"driver"\s*:/.test(text))) return 'sarif';
  // npm audit: npm 7 and later start with auditReportVersion; npm 6 starts with actions, whose
  // entries list the advisories they resolve, and may reach past the head before advisories.
  if (has('auditReportVersion') && /"auditReportVersion"\s*:\s*\d/.test(text)) return 'npm-audit';
  if (has('advisories') && (has('actions') || has('muted') || has('metadata'))) return 'npm-audit';
  if (has('actions') && /^\{\s*"actions"\s*:\s*\[\s*(?:\]|\{\s*"(?:action|isMajor|module|resolves|target)"\s*:)/.test(text.slice(start))) return 'npm-audit';
  // yarn audit writes JSON lines: yarn 1 has {"type":"auditAdvisory"|"auditAction"|"auditSummary","data":…},
  // maybe after info lines; yarn 2 and later have {"value":"<package>","children":{"ID":…}}.
  if (has('type') && has('data') && /^\s*\{\s*"type"\s*:\s*"audit(?:Advisory|Action|Summary)"/m.test(text.slice(start))) return 'yarn-audit';
  if (has('value') && has('children') && /^\{\s*"value"\s*:\s*"[^"]*"\s*,\s*"children"\s*:\s*\{\s*"ID"\s*:/.test(text.slice(start))) return 'yarn-audit';
  // AWS Security Hub (ASFF): findings carry SchemaVersion and ProductArn; Amazon Inspector's
  // own findings carry an inspector2 findingArn.
  if ((has('Findings') || has('findings')) && /"SchemaVersion"\s*:/.test(text) && /"ProductArn"\s*:/.test(text)) return 'aws-securityhub';
  if (has('findings') && /"findingArn"\s*:\s*"arn:[\w-]+:inspector2:/.test(text)) return 'aws-inspector2';
  // A Microsoft Defender for Endpoint API page of machine vulnerabilities (OData `value` array).
  if (has('@odata.context') && has('value') && /"machineId"\s*:/.test(text) && /"cveId"\s*:/.test(text)) return 'ms-defender';
  if (has('findings') && isGenericFindingsJson(text, start)) return 'generic-json';
  return undefined;
}

/**
 * Collects the keys of the top-level object, or of the first element of a top-level array,
 * that appear in the head. Strings are skipped whole, so braces inside them do not count.
 */
function leadingKeys(text: string, start: number, isArray: boolean): Set<string> {
  const keys = new Set<string>();
  const keyDepth = isArray ? 2 : 1;
  // Container type at each depth: true for an object.
  const objects: boolean[] = [];
  let index = start;

  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = jsonStringEnd(text, index + 1);
      if (end === -1) break;
      const after = skipWhitespace(text, end + 1);
      if (text[after] === ':' && objects.length === keyDepth && objects[keyDepth - 1]) keys.add(text.slice(index + 1, end));
      index = end + 1;
      continue;
    }

    if (char === '{' || char === '[') {
      objects.push(char === '{');
    } else if (char === '}' || char === ']') {
      objects.pop();
      if (objects.length === 0) break;
    } else if (char === ',' && isArray && objects.length === 1) {
      // Only the first element of a top-level array is looked at.
      break;
    }
    index++;
  }
  return keys;
}
