// Helpers shared by the three Qualys VM parsers (asset data report, scan report, host list
// detection output).
//
// Qualys sorts its QIDs into confirmed vulnerabilities, potential vulnerabilities and
// information gathered. The first two become findings at Qualys's own 1–5 severity. Information
// gathered (asset data TYPE `Ig`, scan INFOS and SERVICES, detection TYPE `Info`) also becomes
// findings, always at severity 1 (informational): that is how Nessus's severity-0 plugins are
// imported, so an analyst finds the same kind of facts (open services, certificates, OS
// detection) for hosts from either scanner, and each one keeps its QID, port and first and last
// dates. Qualys's own level for such a QID rates how sensitive the information is, not a risk,
// so it is kept in `raw.qualysSeverity` only.

import { normalizeCveId, parseCvssScore, quote, unique } from '../field-values';
import type { FindingRecord, Severity, SourcePosition } from '../model';
import { ReportError } from '../report-error';
import { childElement, childElements, childText, type XmlElement } from '../xml-stream';

export const QUALYS_SOURCE = 'Qualys';

export type QualysCategory = 'confirmed' | 'potential' | 'information';

/** Qualys type names in each of the three outputs, by category. */
const CATEGORIES: Record<string, QualysCategory> = {
  vuln: 'confirmed',
  confirmed: 'confirmed',
  practice: 'potential',
  potential: 'potential',
  ig: 'information',
  info: 'information',
};

/** Reads a Qualys TYPE value (`Vuln`, `Practice`, `Ig`, `Confirmed`, `Potential`, `Info`). */
export function parseCategory(value: string | undefined, position: SourcePosition): QualysCategory {
  const category = value ? CATEGORIES[value.trim().toLowerCase()] : undefined;
  if (!category) {
    throw new ReportError(
      'invalid_field',
      `unknown Qualys vulnerability TYPE ${quote(value ?? '')}; expected Vuln, Practice, Ig, Confirmed, Potential or Info`,
      { ...position, field: 'TYPE' },
    );
  }
  return category;
}

/** Reads a Qualys severity level, which is 1 to 5 like the product's scale. */
export function parseQualysSeverity(value: string | undefined, field: string, position: SourcePosition): Severity | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const level = Number(value.trim());
  if (level === 1 || level === 2 || level === 3 || level === 4 || level === 5) return level;
  throw new ReportError('invalid_field', `${field} must be a Qualys severity level from 1 to 5, got ${quote(value)}`, { ...position, field });
}

/**
 * Returns whether Qualys has verified the detection as fixed. Such detections are not imported.
 * TODO: FindingRecord has no status field, so a Fixed detection cannot close its finding yet; an
 * earlier import's open finding stays open until another rule closes it.
 */
export function isFixedStatus(status: string | undefined): boolean {
  return status?.trim().toLowerCase() === 'fixed';
}

/**
 * Returns the detection's id within its host. Qualys reports one detection per QID, port,
 * protocol and SSL flag, so the same QID on two ports stays two findings.
 */
export function qualysFindingId(qid: string, port: number | undefined, protocol: string | undefined, ssl: boolean): string {
  const service = port === undefined && !protocol ? '' : `:${port ?? 0}/${protocol ?? ''}`;
  return `${qid}${service}${ssl ? '/ssl' : ''}`;
}

/** Reads Qualys booleans, which are written `1`/`0` or `true`/`false`. */
export function parseQualysBoolean(value: string | undefined): boolean {
  const text = value?.trim().toLowerCase();
  return text === '1' || text === 'true';
}

/** Returns the CVE ids of a `CVE_ID_LIST` (each `CVE_ID` contains an `ID` and a `URL`). */
export function cveIdsOf(parent: XmlElement): string[] {
  const list = childElement(parent, 'CVE_ID_LIST');
  if (!list) return [];
  const ids: string[] = [];
  for (const cve of childElements(list, 'CVE_ID')) {
    const id = normalizeCveId(childText(cve, 'ID') ?? cve.text);
    if (id) ids.push(id);
  }
  return unique(ids);
}

/** Returns the URLs of a `VENDOR_REFERENCE_LIST`. */
export function vendorReferencesOf(parent: XmlElement): string[] {
  const list = childElement(parent, 'VENDOR_REFERENCE_LIST');
  if (!list) return [];
  const urls: string[] = [];
  for (const reference of childElements(list, 'VENDOR_REFERENCE')) {
    const url = childText(reference, 'URL');
    if (url) urls.push(url);
  }
  return unique(urls);
}

/**
 * Parses a glossary CVSS value such as `9.3 (AV:N/AC:M/Au:N/C:C/I:C/A:C)` into its score and
 * vector; a bare score has no vector.
 */
export function parseScoreWithVector(value: string | undefined, field: string, position: SourcePosition): { score?: number; vector?: string } {
  const text = value?.trim();
  if (!text) return {};
  const open = text.indexOf('(');
  const scoreText = open === -1 ? text : text.slice(0, open);
  const vector = open === -1 ? undefined : text.slice(open + 1).replace(/\)\s*$/, '').trim();
  const score = parseCvssScore(scoreText, field, position);
  return {
    ...(score !== undefined ? { score } : {}),
    ...(vector ? { vector } : {}),
  };
}

/** Sets the CVE fields of a finding and lists each CVE for the vulnerability catalog. */
export function applyCves(finding: FindingRecord, cveIds: string[]): void {
  if (cveIds.length === 0) return;
  finding.cveId = cveIds[0];
  finding.cveIds = cveIds;
  finding.vulnerabilities = cveIds.map((cveId) => ({ cveId }));
}
