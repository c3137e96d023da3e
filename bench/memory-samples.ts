// Memory samples of the benchmark process during an import: a timer reads process.memoryUsage()
// once a second, together with the bytes and findings the import has read so far. The series
// shows whether memory stays flat while the report is read or grows with it.

import { writeFile } from 'node:fs/promises';

export interface MemorySample {
  /** Milliseconds since sampling started. */
  elapsedMs: number;
  bytesRead: number;
  findings: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

const MIB = 1024 ** 2;

/**
 * Samples memory on a timer while an import runs. `progress` is called from the import's
 * onProgress callback once per record and only stores two numbers, so the import does no other extra work.
 */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private bytesRead = 0;
  private findings = 0;
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 1000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  progress(bytesRead: number, findings: number): void {
    this.bytesRead = bytesRead;
    this.findings = findings;
  }

  /** Takes a last sample and stops the timer. */
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const usage = process.memoryUsage();
    this.samples.push({
      elapsedMs: performance.now() - this.started,
      bytesRead: this.bytesRead,
      findings: this.findings,
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
    });
  }
}

/** Writes the full series as CSV, sizes in MiB. */
export async function writeSamplesCsv(path: string, samples: readonly MemorySample[]): Promise<void> {
  const header = 'elapsed_s,bytes_read,findings,rss_mib,heap_used_mib,heap_total_mib,external_mib,array_buffers_mib';
  const rows = samples.map((s) =>
    [
      (s.elapsedMs / 1000).toFixed(1),
      s.bytesRead,
      s.findings,
      (s.rss / MIB).toFixed(1),
      (s.heapUsed / MIB).toFixed(1),
      (s.heapTotal / MIB).toFixed(1),
      (s.external / MIB).toFixed(1),
      (s.arrayBuffers / MIB).toFixed(1),
    ].join(','),
  );
  await writeFile(path, `${header}\n${rows.join('\n')}\n`);
}

/**
 * Summarizes the series in one line per tenth of the report read: the highest RSS and the lowest
 * and highest V8 heap in use among the samples whose bytes read fall in that tenth. The lowest
 * heap is usually sampled soon after a garbage collection, so it approximates what the import
 * keeps alive. If that floor rises from tenth to tenth, memory grows with the report. A line
 * `after` covers the samples after the last byte (the writer's finish and the risk-score
 * recompute), and a last line the maxima of the whole series.
 */
export function samplesSummary(samples: readonly MemorySample[], totalBytes: number): string[] {
  const groups = new Map<string, MemorySample[]>();
  for (const s of samples) {
    const tenth = totalBytes > 0 ? Math.floor((s.bytesRead / totalBytes) * 10) : 10;
    const label = tenth >= 10 ? 'after' : `${tenth * 10}-${tenth * 10 + 10}%`;
    const group = groups.get(label) ?? [];
    group.push(s);
    groups.set(label, group);
  }
  const mib = (bytes: number) => (bytes / MIB).toFixed(0).padStart(5);
  const lines = [...groups].map(([label, group]) => {
    const last = group.at(-1) as MemorySample;
    const heap = group.map((s) => s.heapUsed);
    return `  ${label.padEnd(8)} until ${(last.elapsedMs / 1000).toFixed(0).padStart(5)} s, findings ${String(last.findings).padStart(8)}: RSS max ${mib(Math.max(...group.map((s) => s.rss)))} MiB, heap used min ${mib(Math.min(...heap))} max ${mib(Math.max(...heap))} MiB`;
  });
  const maxRss = Math.max(...samples.map((s) => s.rss));
  const maxHeap = Math.max(...samples.map((s) => s.heapUsed));
  lines.push(`  overall  RSS max ${(maxRss / MIB).toFixed(0)} MiB, heap used max ${(maxHeap / MIB).toFixed(0)} MiB, ${samples.length} samples`);
  return lines;
}
