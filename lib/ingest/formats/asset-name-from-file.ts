// Naming of the asset of a report that does not name what it scanned, such as kube-bench JSON
// without a node name, an npm or yarn audit report, or a SARIF run without repository details.
// Such an asset is named after the report's file, without folders and extensions, unless the
// import gives an asset name (explicit-asset-name.ts), which replaces this name.

import { isIP } from 'node:net';
import { detachString } from '../field-values';
import type { AssetRecord } from '../model';
import { ReportError } from '../report-error';

/**
 * Extensions of report files and of the archives and compression around them, removed from the
 * end of the file name as often as they occur, so `shop.sarif.json` and `scan.nessus.zip` lose
 * both. Other extensions stay, so `db.example.com` keeps the hostname whole.
 */
const REPORT_EXTENSIONS: ReadonlySet<string> = new Set([
  'json', 'jsonl', 'ndjson', 'xml', 'sarif', 'csv', 'tsv', 'txt', 'log', 'out', 'nessus', 'html', 'htm', 'yaml', 'yml',
  'zip', 'gz', 'tgz', 'tar', 'bz2', 'xz',
]);

/**
 * Returns the file name without its folders and report extensions, e.g. `node-1` for
 * `scans/node-1.json` and `10.0.0.5` for `10.0.0.5.xml`. A name that is only an extension,
 * such as `.json`, is kept whole.
 */
export function fileNameStem(fileName: string): string {
  let stem = fileName.split(/[\\/]/).pop()?.trim() ?? '';
  for (let dot = stem.lastIndexOf('.'); dot > 0 && REPORT_EXTENSIONS.has(stem.slice(dot + 1).toLowerCase()); dot = stem.lastIndexOf('.')) {
    stem = stem.slice(0, dot);
  }
  return detachString(stem);
}

/**
 * Returns the stem of the import's file name, the only name a report without one can get. Throws
 * when the caller gave no file name, because then the scanned host or project is unknown.
 * `missing` names what the report lacks, such as `project` or `node or cluster`.
 */
export function assetNameFromFile(fileName: string | undefined, formatName: string, missing: string): string {
  const stem = fileName ? fileNameStem(fileName) : '';
  if (!stem) {
    throw new ReportError('invalid_field', `${formatName} report names no ${missing}, and the import has no file name to name the asset after`);
  }
  return stem;
}

/**
 * Returns a host asset named after the file stem: an IP address becomes the host's address and
 * any other stem its hostname, so the next report of the same file name matches the same host.
 */
export function hostFromFileStem(reportKey: string, stem: string, raw: Record<string, unknown>): AssetRecord {
  const asset: AssetRecord = { reportKey, name: stem, kind: 'host', raw };
  const version = isIP(stem);
  if (version === 4) asset.ipv4 = [stem];
  else if (version === 6) asset.ipv6 = [stem.toLowerCase()];
  else asset.hostname = stem;
  return asset;
}
