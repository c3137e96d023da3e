// A reader for JSON Lines (newline-delimited JSON) reports, where each line is one JSON document,
// such as the output of `yarn audit --json`. One line is held at a time.

import { ReportError } from '../report-error';

/** Maximum line length in characters. Audit lines are far shorter, so a longer line is taken for another format. */
export const MAX_LINE_CHARS = 32 * 1024 * 1024;

export interface JsonLine {
  value: unknown;
  /** 1-based line number in the file. */
  line: number;
}

/**
 * Splits text chunks into lines and yields each non-blank line parsed as JSON. Throws ReportError
 * `malformed` with the line number for a line that is not JSON or is longer than MAX_LINE_CHARS.
 */
export async function* streamJsonLines(input: AsyncIterable<string>, formatName: string): AsyncGenerator<JsonLine> {
  let buffer = '';
  let line = 0;
  for await (const chunk of input) {
    buffer += chunk;
    let start = 0;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      line++;
      const parsed = parseLine(buffer.slice(start, newline), line, formatName);
      if (parsed !== undefined) yield { value: parsed, line };
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
    if (buffer.length > MAX_LINE_CHARS) {
      throw new ReportError('malformed', `${formatName} line is longer than ${MAX_LINE_CHARS} characters; expected one JSON document per line`, { line: line + 1 });
    }
  }
  line++;
  const parsed = parseLine(buffer, line, formatName);
  if (parsed !== undefined) yield { value: parsed, line };
}

function parseLine(text: string, line: number, formatName: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReportError('malformed', `invalid ${formatName} line, expected one JSON document per line: ${reason}`, { line });
  }
}
