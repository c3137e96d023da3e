import { ReportError } from './report-error';

export interface TextInputOptions {
  /** Reject the file once more than this many bytes have been read. */
  maxBytes: number;
}

/** Bytes read so far, for progress reporting while a parser consumes the text. */
export interface ByteCounter {
  bytesRead: number;
}

const UTF16_LE_BOM = [0xff, 0xfe];
const UTF16_BE_BOM = [0xfe, 0xff];

/**
 * Decodes a byte stream as strict UTF-8 and yields text chunks. Invalid bytes raise a
 * `ReportError` naming the line they are on, instead of being replaced by U+FFFD and imported as
 * garbage. A UTF-8 byte order mark is dropped; UTF-16 is rejected with the fix to apply.
 */
export async function* decodeUtf8(
  bytes: AsyncIterable<Uint8Array>,
  options: TextInputOptions,
  counter: ByteCounter = { bytesRead: 0 },
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  let first = true;

  for await (const chunk of bytes) {
    counter.bytesRead += chunk.byteLength;
    if (counter.bytesRead > options.maxBytes) {
      throw new ReportError(
        'too_large',
        `file is larger than the import limit of ${options.maxBytes} bytes; raise RISKBOARD_MAX_IMPORT_BYTES or split the report`,
      );
    }

    if (first && chunk.byteLength >= 2) {
      const head = [chunk[0], chunk[1]];
      if (sameBytes(head, UTF16_LE_BOM) || sameBytes(head, UTF16_BE_BOM)) {
        throw new ReportError('invalid_encoding', 'file is UTF-16 encoded; only UTF-8 is supported, so convert it (for example with iconv -f UTF-16 -t UTF-8)', { line: 1 });
      }
    }
    first = false;

    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new ReportError('invalid_encoding', 'file is not valid UTF-8', { line: line + linesBeforeInvalidByte(chunk) });
    }

    line += countNewlines(text);
    if (text.length > 0) yield text;
  }

  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new ReportError('invalid_encoding', 'file ends inside a multi-byte UTF-8 character', { line });
  }
  if (tail.length > 0) yield tail;
}

function sameBytes(a: (number | undefined)[], b: number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/**
 * Counts the newlines in a chunk before its first invalid byte. A lenient decode marks invalid
 * bytes with U+FFFD; a U+FFFD that was really in the file would make this line too early, which
 * only moves the reported line, never hides the error.
 */
function linesBeforeInvalidByte(chunk: Uint8Array): number {
  // A chunk may start with the continuation bytes of a character begun in the previous chunk;
  // they are valid there, so they are skipped here.
  let start = 0;
  while (start < 3 && start < chunk.length && ((chunk[start] ?? 0) & 0xc0) === 0x80) start++;
  const lenient = new TextDecoder('utf-8', { fatal: false }).decode(chunk.subarray(start));
  const bad = lenient.indexOf('\uFFFD');
  return countNewlines(bad === -1 ? lenient : lenient.slice(0, bad));
}
