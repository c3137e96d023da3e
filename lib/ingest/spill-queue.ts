// A first-in, first-out queue of JSON values for parsers that must hold report items until a
// later part of the report arrives, such as Grype's `source`, which comes after `matches[]`.
// The first items stay in memory, and the rest go to a temporary file as JSON lines, so
// holding a whole report's items never costs memory proportional to the report.

import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Items kept in memory before the queue starts writing to disk. */
export const DEFAULT_MEMORY_ITEMS = 2000;

interface SpillFile {
  directory: string;
  file: string;
  handle: FileHandle;
}

export class SpillQueue<T> {
  private readonly memory: T[] = [];
  private spill: SpillFile | undefined;
  private spilled = 0;

  constructor(private readonly memoryItems = DEFAULT_MEMORY_ITEMS) {}

  get size(): number {
    return this.memory.length + this.spilled;
  }

  /** Adds a value, which must survive JSON.stringify unchanged once the memory part is full. */
  async push(value: T): Promise<void> {
    if (this.memory.length < this.memoryItems && this.spilled === 0) {
      this.memory.push(value);
      return;
    }
    this.spill ??= await openSpillFile();
    await this.spill.handle.write(`${JSON.stringify(value)}\n`);
    this.spilled++;
  }

  /** Yields every value in the order pushed and empties the queue. */
  async *drain(): AsyncGenerator<T> {
    const inMemory = this.memory.splice(0);
    yield* inMemory;
    const spill = this.spill;
    if (!spill) return;

    this.spill = undefined;
    this.spilled = 0;
    try {
      await spill.handle.close();
      const lines = createInterface({ input: createReadStream(spill.file, 'utf8'), crlfDelay: Infinity });
      // Each line is one value that this queue wrote, never the report's own text.
      for await (const line of lines) if (line) yield JSON.parse(line) as T;
    } finally {
      await rm(spill.directory, { recursive: true, force: true });
    }
  }

  /** Deletes the temporary file; call it when the parser stops before draining the queue. */
  async dispose(): Promise<void> {
    this.memory.length = 0;
    const spill = this.spill;
    this.spill = undefined;
    this.spilled = 0;
    if (!spill) return;
    await spill.handle.close().catch(() => undefined);
    await rm(spill.directory, { recursive: true, force: true });
  }
}

async function openSpillFile(): Promise<SpillFile> {
  const directory = await mkdtemp(path.join(tmpdir(), 'riskboard-spill-'));
  const file = path.join(directory, 'items.jsonl');
  const handle = await open(file, 'wx', 0o600);
  return { directory, file, handle };
}
