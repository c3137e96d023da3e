/** Progress of one file being imported. */
export interface FileProgress {
  bytesDone: number;
  bytesTotal?: number | null;
  /** Findings read so far. */
  records: number;
}

const TTY_INTERVAL_MS = 200;
/** Without a terminal, a plain line is printed at each tenth of the file, at most. */
const PLAIN_STEP_PERCENT = 10;

/**
 * Shows import progress on the command line: on a terminal one line rewritten in place, or else
 * plain lines at every tenth of the file, so logs of a scripted run stay readable.
 */
export class ProgressLine {
  private lastDraw = 0;
  private lastStep = -1;
  private drawn = false;
  /** The plain 100% line, held until `finish`: the file is read before its last findings are parsed. */
  private pending?: FileProgress;

  constructor(
    private readonly stream: NodeJS.WriteStream | NodeJS.WritableStream,
    private readonly label: string,
    private readonly isTty = Boolean((stream as NodeJS.WriteStream).isTTY),
  ) {}

  update(progress: FileProgress): void {
    const percent = progress.bytesTotal ? Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100)) : undefined;
    const text = `${this.label}: ${describe(progress, percent)}`;
    if (this.isTty) {
      const now = Date.now();
      if (now - this.lastDraw < TTY_INTERVAL_MS) return;
      this.lastDraw = now;
      const width = (this.stream as NodeJS.WriteStream).columns ?? 100;
      this.stream.write(`\r${text.slice(0, width - 1).padEnd(width - 1)}`);
      this.drawn = true;
      return;
    }
    if (percent === undefined) return;
    if (percent >= 100) {
      this.pending = progress;
      return;
    }
    const step = Math.floor(percent / PLAIN_STEP_PERCENT);
    if (step <= this.lastStep) return;
    this.lastStep = step;
    this.stream.write(`${text}\n`);
  }

  /**
   * Ends the progress: without a terminal, prints the held 100% line with `records`, the findings
   * the import counted, when given; on a terminal, clears the line so the summary starts clean.
   */
  finish(records?: number): void {
    if (this.pending) {
      const final = { ...this.pending, records: records ?? this.pending.records };
      this.pending = undefined;
      this.stream.write(`${this.label}: ${describe(final, 100)}\n`);
    }
    if (!this.isTty || !this.drawn) return;
    const width = (this.stream as NodeJS.WriteStream).columns ?? 100;
    this.stream.write(`\r${' '.repeat(width - 1)}\r`);
    this.drawn = false;
  }
}

function describe(progress: FileProgress, percent: number | undefined): string {
  const findings = `${progress.records.toLocaleString('en-US')} findings`;
  if (percent === undefined) return `${(progress.bytesDone / 1_000_000).toFixed(1)} MB read, ${findings}`;
  return `${percent}% (${(progress.bytesDone / 1_000_000).toFixed(1)} of ${((progress.bytesTotal ?? 0) / 1_000_000).toFixed(1)} MB), ${findings}`;
}
