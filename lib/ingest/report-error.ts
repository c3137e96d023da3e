import type { SourcePosition } from './model';

/** Why a report was rejected; one code per cause so callers and tests can tell them apart. */
export type ReportErrorCode =
  | 'empty' // the file has no bytes, or no hosts and no findings
  | 'unknown_format' // the content matches no supported format
  | 'wrong_format' // --format names a format the content is not
  | 'malformed' // the XML or JSON does not parse (includes truncation)
  | 'invalid_encoding' // the bytes are not valid UTF-8
  | 'forbidden_dtd' // the XML declares entities in a DOCTYPE (XXE and entity-expansion attacks)
  | 'too_large' // the file exceeds the configured size limit
  | 'unsafe_archive' // a zip entry escapes its folder, is encrypted or nested, or inflates like a zip bomb
  | 'invalid_field' // a field has a value the model cannot take
  | 'invalid_option'; // an import option is invalid or does not apply to the report, e.g. an asset name for a report of several assets

/**
 * A report that cannot be imported. The message names the file and, where known, the line and
 * column or the field, so the user can open the report at the spot that broke.
 */
export class ReportError extends Error {
  readonly code: ReportErrorCode;
  readonly file: string | undefined;
  readonly position: SourcePosition;
  readonly detail: string;

  constructor(code: ReportErrorCode, detail: string, position: SourcePosition = {}, file?: string) {
    super(formatMessage(detail, position, file));
    this.name = 'ReportError';
    this.code = code;
    this.detail = detail;
    this.position = position;
    this.file = file;
  }

  /** Returns the same error with the file name filled in, for errors raised below the file level. */
  withFile(file: string): ReportError {
    if (this.file) return this;
    return new ReportError(this.code, this.detail, this.position, file);
  }
}

function formatMessage(detail: string, position: SourcePosition, file: string | undefined): string {
  const where: string[] = [];
  if (position.line !== undefined) {
    where.push(position.column !== undefined ? `line ${position.line}, column ${position.column}` : `line ${position.line}`);
  }
  if (position.field) where.push(`field ${position.field}`);

  const prefix = file ? `${file}: ` : '';
  const suffix = where.length > 0 ? ` (${where.join(', ')})` : '';
  return `${prefix}${detail}${suffix}`;
}
