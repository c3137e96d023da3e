// Naming of the asset of a report that does not name what it scanned, such as kube-bench JSON,
// which has no node or cluster name, or a Checkov report run without a repository.

import { isIP } from 'node:net';
import { detachString } from '../field-values';
import type { AssetRecord } from '../model';
import { ReportError } from '../report-error';

/**
 * Returns the report's file name without its folders and its last extension, e.g. `node-1` for
 * `scans/node-1.json`. A name that is only an extension, such as `.json`, is kept whole.
 */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()?.trim() ?? '';
  const dot = base.lastIndexOf('.');
  return detachString(dot > 0 ? base.slice(0, dot) : base);
}

/**
 * Returns the stem of the import's file name, the only name a report without one can get. Throws
 * when the caller gave no file name, because then the scanned node or repository is unknown.
 */
export function requireFileStem(fileName: string | undefined, formatName: string, missing: string): string {
  const stem = fileName ? fileStem(fileName) : '';
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
