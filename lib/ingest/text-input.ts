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
 * XML encodings other than UTF-8 that a report may declare and that are decoded as declared.
 * Each maps to its WHATWG decoder label; every byte is valid in them.
 */
const DECLARED_XML_ENCODINGS: Record<string, string> = {
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-15': 'iso-8859-15',
};

/**
 * Decodes a byte stream as strict UTF-8 and yields text chunks. Invalid bytes raise a
 * `ReportError` naming the byte offset and line they are at, instead of being replaced by U+FFFD
 * and imported as garbage. A UTF-8 byte order mark is dropped; UTF-16 is rejected with the fix to
 * apply. An XML report whose declaration names ISO-8859-1 (Latin-1), ISO-8859-15 or
 * Windows-1252 is decoded in that encoding, as XML requires.
 */
export async function* decodeUtf8(
  bytes: AsyncIterable<Uint8Array>,
  options: TextInputOptions,
  counter: ByteCounter = { bytesRead: 0 },
): AsyncGenerator<string> {
  let decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  let first = true;
  let offset = 0;

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
    if (first) {
      const declared = declaredXmlEncoding(chunk);
      if (declared) decoder = new TextDecoder(declared, { fatal: false });
    }
    first = false;

    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const { lines, byte } = invalidByteAt(chunk);
      throw new ReportError(
        'invalid_encoding',
        `file is not valid UTF-8: byte ${offset + byte} (0x${(chunk[byte] ?? 0).toString(16).padStart(2, '0')}) is not part of a UTF-8 character; ` +
          'save the report as UTF-8, or, for XML in Latin-1, declare it with <?xml version="1.0" encoding="ISO-8859-1"?>',
        { line: line + lines },
      );
    }
    offset += chunk.byteLength;

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
 * Finds the first invalid byte of a chunk and counts the newlines before it. A chunk may start
 * with the continuation bytes of a character begun in the previous chunk; they are valid there,
 * so they are skipped here.
 */
function invalidByteAt(chunk: Uint8Array): { lines: number; byte: number } {
  let start = 0;
  while (start < 3 && start < chunk.length && ((chunk[start] ?? 0) & 0xc0) === 0x80) start++;
  // Binary search for the longest valid prefix; a prefix that ends inside a character is valid
  // in streaming mode, so only a real invalid byte makes a prefix fail.
  let low = start;
  let high = chunk.length;
  while (low < high) {
    const middle = Math.floor((low + high + 1) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(start, middle), { stream: true });
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  // The longest valid prefix may end inside a character whose next byte broke it: the error is at
  // that character's first byte.
  let byte = Math.min(low, chunk.length - 1);
  for (let back = 1; back <= 3 && low - back >= start; back++) {
    const lead = chunk[low - back] ?? 0;
    if ((lead & 0xc0) === 0x80) continue;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (length > back) byte = low - back;
    break;
  }
  return { lines: countNewlines(new TextDecoder('utf-8').decode(chunk.subarray(start, byte))), byte };
}

/** Returns the decoder label of a non-UTF-8 encoding that an XML declaration at the start names. */
function declaredXmlEncoding(chunk: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(chunk.subarray(0, 200));
  const match = /^(?:\uFEFF)?<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  if (!match?.[1]) return undefined;
  return DECLARED_XML_ENCODINGS[match[1].toLowerCase()];
}
