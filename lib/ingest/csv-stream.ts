// A streaming reader for CSV reports, built on csv-parse. It yields one row at a time as an
// object keyed by the header, with the line the row starts on, so a report of any size is never
// held in memory. Quoted fields may span lines because scanner exports put whole plugin outputs in them.

import { parse, type Parser } from 'csv-parse';
import { ReportError } from './report-error';

export interface CsvRow {
  /** Values by header name. An unnamed or repeated header becomes `column N` or `name (N)`. */
  values: Record<string, string>;
  /** 1-based line of the file on which the row starts. */
  line: number;
}

export interface CsvOptions {
  /** Lines before the header that are not part of the table, such as a report title. */
  skipLines?: number;
  /**
   * A column name that marks the header: the first of the first 100 lines with a cell of this
   * name is the header, and the lines before it are passed to `onPreamble`. Overrides `skipLines`.
   */
  headerColumn?: string;
  onPreamble?: (lines: string[]) => void;
  /** The field delimiter; without it, the one of `,` `;` and tab that occurs most in the header line. */
  delimiter?: string;
  /** False when the table has no header line: the columns are then named `column 1`, `column 2`, …. */
  hasHeaderRow?: boolean;
  /** Receives the column names once the header is read, with the header's 1-based line. */
  onHeader?: (names: string[], line: number) => void;
  /**
   * True to accept data rows whose column count differs from the header's. Off by default: a row
   * with fewer columns, or with extra non-blank ones, is a cut or broken file and a ReportError.
   */
  raggedRows?: boolean;
}

/** Lines searched for `headerColumn`; report preambles take a handful. */
const MAX_PREAMBLE_LINES = 100;

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Parses CSV text chunks and yields the data rows with their header names. The delimiter (`,`
 * `;` or a tab) is the one that occurs most in the header line. Blank rows are skipped. Throws
 * ReportError `empty` without a header and `malformed`, with the line, for unbalanced quotes.
 */
export async function* streamCsv(input: AsyncIterable<string>, options: CsvOptions = {}): AsyncGenerator<CsvRow> {
  const iterator = input[Symbol.asyncIterator]();
  let head = '';
  let skip = options.skipLines ?? 0;
  const column = options.headerColumn;
  if (column !== undefined) {
    const pattern = new RegExp(`(^|[,;\\t])"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*([,;\\t]|$)`);
    skip = -1;
    for (let index = 0; index < MAX_PREAMBLE_LINES && skip === -1; index++) {
      while (lineEnd(head, index) === -1) {
        const next = await iterator.next();
        if (next.done) break;
        head += next.value;
      }
      if (lineEnd(head, index) === -1 && nthLine(head, index) === '') break;
      if (pattern.test(nthLine(head, index))) skip = index;
    }
    if (head.trim() === '') throw new ReportError('empty', 'file is empty');
    if (skip === -1) throw new ReportError('invalid_field', `CSV file has no header line with a ${column} column in its first ${MAX_PREAMBLE_LINES} lines`, { field: column });
    options.onPreamble?.(Array.from({ length: skip }, (_, index) => nthLine(head, index)));
  }
  // Read until the header line is complete, to choose the delimiter from it.
  while (lineEnd(head, skip) === -1) {
    const next = await iterator.next();
    if (next.done) break;
    head += next.value;
  }
  const headerLine = nthLine(head, skip);
  if (headerLine.trim() === '') throw new ReportError('empty', 'CSV file has no header line');

  const parser = parse({
    delimiter: options.delimiter ?? sniffDelimiter(headerLine),
    bom: true,
    from_line: skip + 1,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  });
  const queue: CsvRecord[] = [];
  parser.on('data', (record: CsvRecord) => queue.push(record));
  let parseError: Error | undefined;
  parser.on('error', (error: Error) => {
    parseError ??= error;
  });

  let header: string[] | undefined;
  const rows = function* (): Generator<CsvRow> {
    for (const { record, info } of queue.splice(0)) {
      if (!header) {
        header = options.hasHeaderRow === false ? record.map((_, index) => `column ${index + 1}`) : headerNames(record);
        options.onHeader?.(header, startLine(info, record));
        if (options.hasHeaderRow !== false) continue;
      }
      if (record.every((value) => value.trim() === '')) continue;
      // Without a header row, no column count is declared, so rows may differ from the first one.
      if (options.raggedRows !== true && options.hasHeaderRow !== false) checkColumnCount(record, header.length, startLine(info, record));
      const values: Record<string, string> = {};
      record.forEach((value, index) => {
        values[header?.[index] ?? `column ${index + 1}`] = value;
      });
      yield { values, line: startLine(info, record) };
    }
  };

  try {
    await write(parser, head);
    yield* rows();
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      await write(parser, next.value);
      yield* rows();
    }
    await end(parser);
    yield* rows();
  } catch (error) {
    throw malformed(parseError ?? error);
  }
  if (!header) throw new ReportError('empty', 'CSV file has no header line');
}

/**
 * A row with fewer cells than the header is most often the last row of a cut file; more cells mean
 * a broken quote. Extra cells that are all blank are trailing delimiters some exports write, and pass.
 */
function checkColumnCount(record: string[], expected: number, line: number): void {
  if (record.length === expected) return;
  if (record.length > expected && record.slice(expected).every((value) => value.trim() === '')) return;
  throw new ReportError(
    'malformed',
    `CSV row has ${record.length} columns but the header has ${expected}; the file may be cut off or a quote may be broken`,
    { line },
  );
}

/** Returns the index just past the end of line `index` (0-based), or -1 when the text ends first. */
function lineEnd(text: string, index: number): number {
  let position = 0;
  for (let line = 0; line <= index; line++) {
    const end = text.indexOf('\n', position);
    if (end === -1) return -1;
    position = end + 1;
  }
  return position;
}

function nthLine(text: string, index: number): string {
  return (text.replace(/^\uFEFF/, '').split('\n')[index] ?? '').replace(/\r$/, '');
}

function sniffDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((delimiter) => ({ delimiter, count: headerLine.split(delimiter).length - 1 }));
  counts.sort((a, b) => b.count - a.count);
  return counts[0]?.delimiter ?? ',';
}

/** Names unnamed header cells `column N` and repeated ones `name (N)`, N being the 1-based column. */
function headerNames(record: string[]): string[] {
  const seen = new Set<string>();
  return record.map((cell, index) => {
    const name = cell.trim() || `column ${index + 1}`;
    const unique = seen.has(name) ? `${name} (${index + 1})` : name;
    seen.add(unique);
    return unique;
  });
}

/** `info.lines` is the line a record ends on; a quoted field with line breaks started earlier. */
function startLine(info: { lines: number }, record: string[]): number {
  const breaks = record.reduce((total, value) => total + (value.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaks;
}

function write(parser: Parser, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

function end(parser: Parser): Promise<void> {
  return new Promise((resolve, reject) => {
    parser.once('error', reject);
    parser.once('end', () => resolve());
    parser.end();
  });
}

function malformed(error: unknown): ReportError {
  if (error instanceof ReportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const line = (error as { lines?: unknown } | null)?.lines;
  const detail = `invalid CSV: ${message.replace(/^Invalid Record Length: |^Quote Not Closed: /, '')}; check the quoting of the row`;
  return new ReportError('malformed', detail, typeof line === 'number' ? { line } : {});
}
