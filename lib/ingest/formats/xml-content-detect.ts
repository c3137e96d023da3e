// Recognizes XML reports whose root element name is too common to decide the format alone
// (`report`, `bom`, `analysis`), from the root's namespace or the elements that follow it.

import type { ReportFormat } from '../model';

/** Elements and attributes that only Greenbone's GMP report XML has near its start. */
const GREENBONE_MARKERS = /\sformat_id\s*=|<gmp[\s>]|<scan_run_status[\s>]|<nvt\s+oid\s*=/;

/** Returns the format of an XML report from its root element name and the head of its text, or undefined. */
export function detectXmlByContent(root: string, head: string): ReportFormat | undefined {
  const name = root.slice(root.indexOf(':') + 1);
  if (name === 'get_reports_response') return 'openvas-xml';
  if (name === 'report' && GREENBONE_MARKERS.test(head)) return 'openvas-xml';
  if (name === 'bom' && /<(?:[\w.-]+:)?bom\s[^>]*xmlns(?::[\w.-]+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/1\.[0-9]/.test(head)) return 'cyclonedx-xml';
  if (name === 'analysis' && /<analysis\s[^>]*xmlns\s*=\s*["']https?:\/\/jeremylong\.github\.io\/DependencyCheck\//.test(head)) return 'dependency-check';
  return undefined;
}
