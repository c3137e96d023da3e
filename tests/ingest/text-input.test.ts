import { describe, expect, it } from 'vitest';
import { ReportError } from '../../lib/ingest/report-error';
import { decodeUtf8 } from '../../lib/ingest/text-input';

async function* chunks(...parts: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : Uint8Array.from(part);
}

async function collect(input: AsyncIterable<Uint8Array>, maxBytes = 1024): Promise<string> {
  let text = '';
  for await (const chunk of decodeUtf8(input, { maxBytes })) text += chunk;
  return text;
}

async function rejection(input: AsyncIterable<Uint8Array>, maxBytes = 1024): Promise<ReportError> {
  try {
    await collect(input, maxBytes);
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('expected a ReportError');
}

describe('decodeUtf8', () => {
  it('joins a character split across chunks', async () => {
    const euro = [...new TextEncoder().encode('€')];
    expect(await collect(chunks('a', euro.slice(0, 1), euro.slice(1), 'b'))).toBe('a€b');
  });

  it('drops a UTF-8 byte order mark', async () => {
    expect(await collect(chunks([0xef, 0xbb, 0xbf], '<x/>'))).toBe('<x/>');
  });

  it('names the line of an invalid byte', async () => {
    const error = await rejection(chunks('line one\nline two\n', [0x61, 0xff, 0x62]));
    expect(error.code).toBe('invalid_encoding');
    expect(error.position.line).toBe(3);
  });

  it('rejects UTF-16 with its fix', async () => {
    const error = await rejection(chunks([0xff, 0xfe, 0x3c, 0x00]));
    expect(error.code).toBe('invalid_encoding');
    expect(error.message).toContain('UTF-16');
  });

  it('rejects a file ending mid-character', async () => {
    const error = await rejection(chunks('ok', [0xe2, 0x82]));
    expect(error.code).toBe('invalid_encoding');
  });

  it('rejects a file over the limit', async () => {
    const error = await rejection(chunks('x'.repeat(600), 'y'.repeat(600)), 1000);
    expect(error.code).toBe('too_large');
  });
});
