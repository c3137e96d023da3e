// Builds zip archives byte by byte for the zip tests, including archives no zip tool would write:
// entry names with "../" or backslashes, the encryption flag, and sizes that lie about what the
// data inflates to. Only stored and deflated entries, no ZIP64.

import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  /** Uncompressed content. */
  data?: Buffer | string;
  /** Already deflated content (method 8) for `data` that is too large to hold, e.g. a zip bomb. */
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** 0 stored, 8 deflated (the default for `data`). */
  method?: 0 | 8;
  /** General purpose flags; bit 0 marks the entry encrypted. */
  flags?: number;
  /** Uncompressed size written in the headers instead of the true one. */
  declaredSize?: number;
}

export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    let body: Buffer;
    let size: number;
    let crc: number;
    let method: number;
    if (entry.deflated) {
      ({ bytes: body, size, crc } = entry.deflated);
      method = 8;
    } else {
      const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8');
      method = entry.method ?? 8;
      body = method === 8 ? deflateRawSync(data) : data;
      size = data.length;
      crc = crc32(data);
    }
    const declared = entry.declaredSize ?? size;
    // Bit 11: the name is UTF-8.
    const flags = (entry.flags ?? 0) | 0x0800;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Deflates `size` zero bytes in 64 KiB steps through a zlib stream, so a zip bomb's content is
 * never held whole: the result is about a thousandth of `size`.
 */
export async function deflatedZeros(size: number): Promise<{ bytes: Buffer; size: number; crc: number }> {
  const step = Buffer.alloc(64 * 1024);
  const deflate = createDeflateRaw();
  const output: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => output.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let crc = 0;
  for (let remaining = size; remaining > 0; remaining -= step.length) {
    const part = step.subarray(0, Math.min(step.length, remaining));
    crc = crc32(part, crc);
    if (!deflate.write(part)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await finished;
  return { bytes: Buffer.concat(output), size, crc };
}
