// Reading of reports that arrive as a zip archive, such as a Microsoft Defender for Endpoint
// export (machines/*.json and vulnerabilities/*.json). The archive's central directory is read
// with yauzl, every entry is checked before any entry is read, and entries are inflated as
// streams, so no entry is ever held whole in memory. An archive is rejected with a ReportError
// when an entry name leaves the archive's folder, or an entry is encrypted or is itself an
// archive. It is also rejected when its entries would inflate beyond the import's byte limit or
// beyond a compression ratio that no report reaches (a zip bomb). The inflated byte counts are
// checked as the bytes arrive, not only the sizes the archive declares.

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { ReportMetadata, ReportRecord } from './model';
import { ReportError } from './report-error';
import { decodeUtf8, type ByteCounter } from './text-input';

/** Local file header signature: every zip a tool writes starts with it. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Maximum entries of one archive. A Defender export has a handful of JSON files. */
export const MAX_ZIP_ENTRIES = 10_000;

/**
 * Largest ratio of inflated to compressed bytes of one entry. JSON exports compress 10–40 times;
 * deflate reaches about 1,000 on repeated bytes, which only a zip bomb contains.
 */
export const MAX_COMPRESSION_RATIO = 200;

/** Inflated bytes of an entry below which the ratio is not checked, so tiny files are never rejected. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** File names of archives, which are rejected inside an archive (nested zips). */
const ARCHIVE_NAME = /\.(zip|jar|war|ear|apk|7z|rar|gz|tgz|bz2|xz|tar)$/i;

export interface ZipLimits {
  /** Upper bound of the archive and of all its entries' inflated bytes together. */
  maxBytes: number;
  maxEntries?: number;
  maxCompressionRatio?: number;
}

/** One file entry of an archive that passed the checks. Folders are not listed. */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** A parser for a format that arrives as a zip archive of several files. */
export interface ArchiveReportParser {
  /** True when the archive's entry names are this format's. */
  recognizesArchive(entryNames: readonly string[]): boolean;
  parseArchive(archive: ZipArchive, onMetadata: (meta: Partial<ReportMetadata>) => void): AsyncGenerator<ReportRecord>;
}

export function isArchiveParser(parser: object): parser is ArchiveReportParser {
  return 'parseArchive' in parser && 'recognizesArchive' in parser;
}

/** True when the bytes start with a zip local file header. */
export function isZipHead(head: Uint8Array): boolean {
  return ZIP_MAGIC.every((byte, index) => head[index] === byte);
}

/**
 * Returns why an entry name is unsafe, or undefined when it is a plain relative path. yauzl
 * checks names too; this check also runs so that the message names the entry in our words.
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'it has an empty name';
  if (/[\u0000-\u001f]/.test(name)) return 'its name contains control characters';
  if (name.includes('\\')) return 'its name contains a backslash, which Windows reads as a folder separator';
  if (name.startsWith('/')) return 'its name is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'its name starts with a drive letter';
  if (name.split('/').some((segment) => segment === '..')) return 'its name leaves the archive folder through ".."';
  return undefined;
}

/**
 * A zip archive on disk whose entries all passed the checks. Read entries with `text()`, one at
 * a time, and call `close()` when done.
 */
export class ZipArchive {
  private inflatedTotal = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly byName: Map<string, yauzl.Entry>,
    readonly entries: readonly ZipEntryInfo[],
    private readonly limits: Required<ZipLimits>,
    private readonly cleanup: () => Promise<void>,
  ) {}

  /** Opens the archive at `file` and checks every entry; `cleanup` runs on close. */
  static async open(file: string, limits: ZipLimits, cleanup: () => Promise<void> = async () => undefined): Promise<ZipArchive> {
    const resolved: Required<ZipLimits> = {
      maxBytes: limits.maxBytes,
      maxEntries: limits.maxEntries ?? MAX_ZIP_ENTRIES,
      maxCompressionRatio: limits.maxCompressionRatio ?? MAX_COMPRESSION_RATIO,
    };
    let zip: yauzl.ZipFile;
    try {
      zip = await openZip(file);
    } catch (error) {
      await cleanup();
      throw zipError(error);
    }
    try {
      const entries = await checkedEntries(zip, resolved);
      const infos = [...entries.values()].map((entry) => ({ name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize }));
      return new ZipArchive(zip, entries, infos, resolved, cleanup);
    } catch (error) {
      zip.close();
      await cleanup();
      throw error;
    }
  }

  /** Yields the entry's inflated bytes, stopping with a ReportError once a limit is passed. */
  async *bytes(name: string): AsyncGenerator<Uint8Array> {
    const entry = this.byName.get(name);
    if (!entry) throw new Error(`zip entry ${name} is not in the archive`);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await openEntry(this.zip, entry);
    } catch (error) {
      throw zipError(error, name);
    }
    const ratioLimit = Math.max(RATIO_FLOOR_BYTES, entry.compressedSize * this.limits.maxCompressionRatio);
    let inflated = 0;
    let first = true;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (first && chunk.byteLength >= 4 && isZipHead(chunk)) {
          throw unsafe(`zip entry ${name} is itself a zip archive; nested archives are not read, so extract it and import it on its own`);
        }
        first = false;
        inflated += chunk.byteLength;
        this.inflatedTotal += chunk.byteLength;
        if (this.inflatedTotal > this.limits.maxBytes) {
          throw new ReportError('too_large', `zip entries inflate to more than the import limit of ${this.limits.maxBytes} bytes (at entry ${name}); raise RISKBOARD_MAX_IMPORT_BYTES or split the export`);
        }
        if (inflated > ratioLimit) {
          throw unsafe(`zip entry ${name} inflates more than ${this.limits.maxCompressionRatio} times its compressed size, as a zip bomb does; the archive is rejected`);
        }
        yield chunk;
      }
    } catch (error) {
      if (error instanceof ReportError) throw error;
      throw zipError(error, name);
    } finally {
      const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
      destroyable.destroy?.();
    }
  }

  /** Yields the entry's text, decoded as strict UTF-8; errors name the entry. */
  async *text(name: string): AsyncGenerator<string> {
    try {
      yield* decodeUtf8(this.bytes(name), { maxBytes: this.limits.maxBytes });
    } catch (error) {
      throw inEntry(error, name);
    }
  }

  async close(): Promise<void> {
    if (this.zip.isOpen) this.zip.close();
    await this.cleanup();
  }
}

/** Returns the error with the entry's name in front of its detail, for errors raised while reading one entry. */
export function inEntry(error: unknown, name: string): unknown {
  if (!(error instanceof ReportError) || error.detail.includes(name)) return error;
  return new ReportError(error.code, `zip entry ${name}: ${error.detail}`, error.position, error.file);
}

/**
 * Looks at the first bytes of a report and opens it as a zip archive when they start one. The
 * archive is read from `file` when the report is on disk, else from a private temporary copy of
 * the stream. Other reports get their bytes back unread, for the text path. `counter` gets the
 * archive's size.
 */
export async function openZipIfArchive(
  bytes: AsyncIterable<Uint8Array>,
  options: { file?: string; maxBytes: number; counter: ByteCounter },
): Promise<{ archive: ZipArchive } | { archive?: undefined; bytes: AsyncIterable<Uint8Array> }> {
  const { head, rest, stop } = await peekBytes(bytes, ZIP_MAGIC.length);
  if (!isZipHead(head)) return { bytes: rest };

  if (options.file) {
    // yauzl reads the file itself; the stream that gave the first bytes is closed.
    await stop();
    const info = await stat(options.file);
    options.counter.bytesRead = info.size;
    return { archive: await ZipArchive.open(options.file, { maxBytes: options.maxBytes }) };
  }

  const directory = await mkdtemp(path.join(tmpdir(), 'riskboard-zip-'));
  const cleanup = () => rm(directory, { recursive: true, force: true });
  const copy = path.join(directory, 'report.zip');
  try {
    await pipeline(counting(rest, options), createWriteStream(copy, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { archive: await ZipArchive.open(copy, { maxBytes: options.maxBytes }, cleanup) };
}

async function* counting(bytes: AsyncIterable<Uint8Array>, options: { maxBytes: number; counter: ByteCounter }): AsyncGenerator<Uint8Array> {
  for await (const chunk of bytes) {
    options.counter.bytesRead += chunk.byteLength;
    if (options.counter.bytesRead > options.maxBytes) {
      throw new ReportError('too_large', `file is larger than the import limit of ${options.maxBytes} bytes; raise RISKBOARD_MAX_IMPORT_BYTES or split the report`);
    }
    yield chunk;
  }
}

/** Reads at least `size` bytes (or all) and returns them with a stream that replays everything. */
async function peekBytes(
  bytes: AsyncIterable<Uint8Array>,
  size: number,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array>; stop: () => Promise<void> }> {
  const iterator = bytes[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    length += next.value.byteLength;
  }

  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* buffered;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const head = Buffer.concat(buffered.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))).subarray(0, size);
  const stop = async () => {
    if (!done) await iterator.return?.();
  };
  return { head, rest: replay(), stop };
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // strictFileNames rejects backslashes instead of turning them into slashes.
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) reject(error ?? new Error('yauzl returned no archive'));
      else resolve(zip);
    });
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(error ?? new Error('yauzl returned no stream'));
      else resolve(stream);
    });
  });
}

/** Reads the central directory and checks every entry; returns the file entries by name. */
function checkedEntries(zip: yauzl.ZipFile, limits: Required<ZipLimits>): Promise<Map<string, yauzl.Entry>> {
  if (zip.entryCount > limits.maxEntries) {
    return Promise.reject(unsafe(`zip archive has ${zip.entryCount} entries, more than the ${limits.maxEntries} an import reads`));
  }
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    let declared = 0;
    const fail = (error: unknown) => {
      zip.removeAllListeners('entry');
      zip.removeAllListeners('end');
      reject(error instanceof ReportError ? error : zipError(error));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = entry.fileName;
        const problem = unsafeEntryName(name);
        if (problem) throw unsafe(`zip entry ${JSON.stringify(name)} is rejected because ${problem}`);
        if (name.endsWith('/')) {
          zip.readEntry();
          return;
        }
        if (entry.isEncrypted()) throw unsafe(`zip entry ${name} is encrypted; export the report again without a password`);
        if (!entry.canDecodeFileData()) throw unsafe(`zip entry ${name} uses compression method ${entry.compressionMethod}; only stored and deflated entries are read`);
        if (ARCHIVE_NAME.test(name)) throw unsafe(`zip entry ${name} is itself an archive; nested archives are not read, so extract it and import it on its own`);
        if (entries.has(name)) throw unsafe(`zip entry ${name} appears twice in the archive`);
        declared += entry.uncompressedSize;
        if (declared > limits.maxBytes) {
          throw new ReportError('too_large', `zip entries declare more than the import limit of ${limits.maxBytes} bytes (at entry ${name}); raise RISKBOARD_MAX_IMPORT_BYTES or split the export`);
        }
        if (entry.uncompressedSize > Math.max(RATIO_FLOOR_BYTES, entry.compressedSize * limits.maxCompressionRatio)) {
          throw unsafe(`zip entry ${name} declares more than ${limits.maxCompressionRatio} times its compressed size, as a zip bomb does; the archive is rejected`);
        }
        entries.set(name, entry);
        zip.readEntry();
      } catch (error) {
        fail(error);
      }
    });
    zip.readEntry();
  });
}

function unsafe(detail: string): ReportError {
  return new ReportError('unsafe_archive', detail);
}

/** Turns an error of yauzl or zlib into a ReportError that says what is wrong with the archive. */
function zipError(error: unknown, entry?: string): ReportError {
  if (error instanceof ReportError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const where = entry ? `zip entry ${entry}` : 'zip archive';
  // yauzl's file name checks: "absolute path: …", "invalid relative path: …", "invalid characters in fileName: …".
  if (/absolute path|invalid relative path|invalid characters in fileName/i.test(reason)) {
    return unsafe(`zip entry is rejected because its name is unsafe (${reason})`);
  }
  if (/too many bytes in the stream|not enough bytes in the stream/i.test(reason)) {
    return unsafe(`${where} inflates to a different size than it declares (${reason}); the archive is rejected`);
  }
  return new ReportError('malformed', `${where} cannot be read: ${reason}`);
}

/**
 * Returns the format whose parser recognizes the archive's entry names, or throws
 * `unknown_format` naming a few of the entries.
 */
export function archiveFormat<F extends string>(archive: ZipArchive, parsers: Record<F, object>): F {
  const names = archive.entries.map((entry) => entry.name);
  for (const [format, parser] of Object.entries(parsers) as [F, object][]) {
    if (isArchiveParser(parser) && parser.recognizesArchive(names)) return format;
  }
  const listed = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  throw new ReportError(
    'unknown_format',
    names.length === 0
      ? 'zip archive contains no files'
      : `zip archive contains no entries of a supported report (found ${listed}); a Microsoft Defender export has machines/*.json and vulnerabilities/*.json`,
  );
}

/** Returns the parser's records for an archive, or throws `wrong_format` when the format is not read from archives. */
export function archiveRecords(
  parser: object & { format: string },
  archive: ZipArchive,
  onMetadata: (meta: Partial<ReportMetadata>) => void,
): AsyncGenerator<ReportRecord> {
  if (!isArchiveParser(parser)) throw new ReportError('wrong_format', `file is a zip archive, but format ${parser.format} is not read from archives`);
  return parser.parseArchive(archive, onMetadata);
}
