import { ReportError } from '../ingest/report-error';
import type { EpssEntry, FeedFileInfo } from './model';

const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;

/**
 * Streams the rows of a FIRST EPSS daily CSV: an optional `#model_version:…,score_date:…`
 * comment, the header `cve,epss,percentile`, then one row per CVE. Reads line by line, so memory
 * stays flat over the 300,000-row file. Throws ReportError naming the line of a bad row.
 */
export async function* parseEpss(text: AsyncIterable<string>, info: FeedFileInfo): AsyncGenerator<EpssEntry> {
  let lineNumber = 0;
  let sawHeader = false;

  for await (const line of splitLines(text)) {
    lineNumber += 1;
    const trimmed = line.trim();
    if (trimmed === '') continue;

    if (trimmed.startsWith('#')) {
      readComment(trimmed, info);
      continue;
    }
    if (!sawHeader) {
      if (trimmed.toLowerCase() !== 'cve,epss,percentile') {
        throw new ReportError('invalid_field', `expected the EPSS header "cve,epss,percentile", found "${trimmed.slice(0, 80)}"`, { line: lineNumber });
      }
      sawHeader = true;
      continue;
    }
    yield parseRow(trimmed, lineNumber);
  }
  if (!sawHeader) throw new ReportError('empty', 'the EPSS file has no "cve,epss,percentile" header');
}

function readComment(line: string, info: FeedFileInfo): void {
  for (const part of line.slice(1).split(',')) {
    const [key, ...rest] = part.split(':');
    const value = rest.join(':').trim();
    if (key?.trim() === 'model_version') info.modelVersion = value;
    // score_date is a timestamp such as 2025-03-14T12:55:00Z; the date part names the day scored.
    if (key?.trim() === 'score_date') info.scoreDate = value;
  }
}

function parseRow(line: string, lineNumber: number): EpssEntry {
  const cells = line.split(',');
  const [cve, epss, percentile] = cells;
  if (cells.length !== 3 || cve === undefined || epss === undefined || percentile === undefined) {
    throw new ReportError('invalid_field', `expected 3 columns (cve,epss,percentile), found ${cells.length}`, { line: lineNumber });
  }
  if (!CVE_PATTERN.test(cve)) throw new ReportError('invalid_field', `invalid CVE id "${cve.slice(0, 40)}"`, { line: lineNumber, field: 'cve' });
  return { cveId: cve, score: probability(epss, lineNumber, 'epss'), percentile: probability(percentile, lineNumber, 'percentile') };
}

function probability(value: string, line: number, field: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) {
    throw new ReportError('invalid_field', `${field} must be a number from 0 to 1, found "${value.slice(0, 40)}"`, { line, field });
  }
  return number;
}

/** Splits text chunks into lines without holding more than one partial line. */
async function* splitLines(text: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of text) {
    rest += chunk;
    let start = 0;
    let newline = rest.indexOf('\n', start);
    while (newline !== -1) {
      yield rest.slice(start, newline).replace(/\r$/, '');
      start = newline + 1;
      newline = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  if (rest.length > 0) yield rest.replace(/\r$/, '');
}
