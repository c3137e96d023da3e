// A key-value store of JSON values for parsers that must look items up by id after reading
// them, such as Nexpose's vulnerability definitions or a SARIF run's rules. The first items stay
// in memory and the rest go to a temporary file, so memory holds only a byte offset per spilled
// key, never the values themselves. Values are read back one at a time, on lookup.

import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MEMORY_ITEMS } from './spill-queue';

interface SpillFile {
  directory: string;
  handle: FileHandle;
  /** Bytes written so far, which is where the next value starts. */
  end: number;
}

interface Extent {
  offset: number;
  length: number;
}

export class KeyedSpillStore<T> {
  private readonly memory = new Map<string, T>();
  private readonly extents = new Map<string, Extent>();
  private spill: SpillFile | undefined;

  constructor(private readonly memoryItems = DEFAULT_MEMORY_ITEMS) {}

  get size(): number {
    return this.memory.size + this.extents.size;
  }

  has(key: string): boolean {
    return this.memory.has(key) || this.extents.has(key);
  }

  /**
   * Stores a value under a key, replacing an earlier one. Once the memory part is full the value
   * is written to disk, so it must survive JSON.stringify unchanged.
   */
  async set(key: string, value: T): Promise<void> {
    if (this.memory.has(key) || (this.memory.size < this.memoryItems && !this.extents.has(key))) {
      this.memory.set(key, value);
      return;
    }
    this.spill ??= await openSpillFile();
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    const offset = this.spill.end;
    await this.spill.handle.write(bytes, 0, bytes.length, offset);
    this.spill.end += bytes.length;
    // A replaced value stays in the file unread; the store lives only as long as one import.
    this.extents.set(key, { offset, length: bytes.length });
  }

  /** Returns the value stored under a key, reading it from disk when it was spilled. */
  async get(key: string): Promise<T | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined) return inMemory;
    const extent = this.extents.get(key);
    if (!extent || !this.spill) return undefined;

    const buffer = Buffer.alloc(extent.length);
    await this.spill.handle.read(buffer, 0, extent.length, extent.offset);
    // The bytes are a value this store wrote, never the report's own text.
    return JSON.parse(buffer.toString('utf8')) as T;
  }

  /** Deletes every value and the temporary file; call it when the parser is done or stops early. */
  async dispose(): Promise<void> {
    this.memory.clear();
    this.extents.clear();
    const spill = this.spill;
    this.spill = undefined;
    if (!spill) return;
    await spill.handle.close().catch(() => undefined);
    await rm(spill.directory, { recursive: true, force: true });
  }
}

async function openSpillFile(): Promise<SpillFile> {
  const directory = await mkdtemp(path.join(tmpdir(), 'riskboard-store-'));
  const handle = await open(path.join(directory, 'values.json'), 'wx+', 0o600);
  return { directory, handle, end: 0 };
}
