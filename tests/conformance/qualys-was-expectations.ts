// Independent reading of Qualys WAS XML reports with regular expressions, without lib/ingest.
// One application per APPENDIX/WEBAPP (named by its URL). Every VULNERABILITY,
// INFORMATION_GATHERED and SENSITIVE_CONTENT entry of RESULTS whose STATUS is not FIXED is a
// finding keyed by QID under the default identification rules (vendor id), so entries of one QID
// on several URLs are one finding. Vulnerabilities take the glossary SEVERITY, information
// gathered is informational (1).

import { defaultIdentity } from './identification-expectations';
import { IdentityTally } from './identity-tally';
import type { ReportExpectation } from './report-expectations';

export const WAS_SOURCE = 'Qualys WAS';

export interface WasGlossaryQid {
  severity: number;
  title: string;
  cwe?: string;
}

/** Returns the text of the first `<name>` element inside `xml`, or undefined. */
export function tagText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1]?.trim();
}

/** Returns the inner XML of every `<name>` element in `xml`; the elements must not nest. */
export function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((match) => match[1] ?? '');
}

/** Reads GLOSSARY/QID_LIST: each entry starts `<QID><QID>n</QID>`. */
export function wasGlossary(xml: string): Map<string, WasGlossaryQid> {
  const glossary = new Map<string, WasGlossaryQid>();
  const list = tagText(xml, 'QID_LIST') ?? '';
  for (const entry of list.split(/<QID>\s*(?=<QID>)/).slice(1)) {
    const qid = tagText(entry, 'QID');
    if (!qid) continue;
    const cwe = tagText(entry, 'CWE');
    glossary.set(qid, { severity: Number(tagText(entry, 'SEVERITY')), title: tagText(entry, 'TITLE') ?? '', ...(cwe ? { cwe } : {}) });
  }
  return glossary;
}

export interface WasEntry {
  kind: 'vulnerability' | 'information' | 'sensitive';
  qid: string;
  url?: string;
}

/** Lists the entries of the RESULTS lists that are not fixed. */
export function wasEntries(xml: string): WasEntry[] {
  const results = tagText(xml, 'RESULTS') ?? '';
  const lists: [WasEntry['kind'], string, string][] = [
    ['vulnerability', 'VULNERABILITY_LIST', 'VULNERABILITY'],
    ['information', 'INFORMATION_GATHERED_LIST', 'INFORMATION_GATHERED'],
    ['sensitive', 'SENSITIVE_CONTENT_LIST', 'SENSITIVE_CONTENT'],
  ];
  const entries: WasEntry[] = [];
  for (const [kind, list, entry] of lists) {
    for (const body of elements(tagText(results, list) ?? '', entry)) {
      if (tagText(body, 'STATUS')?.toUpperCase() === 'FIXED') continue;
      const url = tagText(body, 'URL');
      entries.push({ kind, qid: tagText(body, 'QID') ?? '', ...(url ? { url } : {}) });
    }
  }
  return entries;
}

/** Returns the application name (APPENDIX/WEBAPP/URL) of a scan report whose results sit directly under RESULTS. */
export function wasApplicationName(xml: string): string {
  const name = tagText(tagText(xml, 'WEBAPP') ?? '', 'URL');
  if (!name) throw new Error('report has no APPENDIX/WEBAPP URL');
  return name;
}

export function expectQualysWas(xml: string): ReportExpectation {
  const tally = new IdentityTally();
  const application = wasApplicationName(xml);
  tally.addAsset(application);
  const glossary = wasGlossary(xml);
  for (const entry of wasEntries(xml)) {
    const known = glossary.get(entry.qid);
    const severity = entry.kind === 'information' ? 1 : (known?.severity ?? 0);
    tally.addFinding(application, defaultIdentity({ source: WAS_SOURCE, vendorId: entry.qid, title: known?.title ?? '' }), severity);
  }
  return tally.result();
}
