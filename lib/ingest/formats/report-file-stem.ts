// The name of an asset that a report does not name, such as an npm audit report or a SARIF run
// without repository details: the report's file name without folders and extension.

import { detachString } from '../field-values';
import { ReportError } from '../report-error';

/** Extensions removed from the file name, longest first, so `app.sarif.json` becomes `app`. */
const REPORT_EXTENSIONS = ['.sarif.json', '.sarif', '.json'];

/**
 * Returns the file name without folders and a report extension, e.g. `shop-web` for
 * `reports/shop-web.sarif`. Throws when there is no file name, naming what the report lacks.
 */
export function reportFileStem(fileName: string | undefined, formatName: string, missing: string): string {
  const base = fileName?.split(/[\\/]/).pop()?.trim() ?? '';
  const extension = REPORT_EXTENSIONS.find((candidate) => base.toLowerCase().endsWith(candidate) && base.length > candidate.length);
  const stem = extension ? base.slice(0, base.length - extension.length) : base;
  if (!stem) {
    throw new ReportError('invalid_field', `${formatName} report names no ${missing}, and the import has no file name to name the asset after`);
  }
  return detachString(stem);
}
