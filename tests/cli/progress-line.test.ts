import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../lib/cli/progress-line';

function sink(): { stream: Writable & { columns?: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  }) as Writable & { columns?: number };
  stream.columns = 60;
  return { stream, text: () => chunks.join('') };
}

describe('import progress line', () => {
  it('prints plain lines at each tenth when the output is not a terminal', () => {
    const out = sink();
    const line = new ProgressLine(out.stream, 'scan.nessus', false);
    for (let done = 0; done <= 1000; done += 50) line.update({ bytesDone: done * 1000, bytesTotal: 1_000_000, records: done });
    line.finish();
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('scan.nessus: 0% (0.0 of 1.0 MB), 0 findings');
    expect(lines[5]).toBe('scan.nessus: 50% (0.5 of 1.0 MB), 500 findings');
    expect(lines[10]).toBe('scan.nessus: 100% (1.0 of 1.0 MB), 1,000 findings');
    expect(out.text()).not.toContain('\r');
  });

  it('prints the 100% line with final counts', () => {
    const out = sink();
    const line = new ProgressLine(out.stream, 'small.nessus', false);
    line.update({ bytesDone: 100_000, bytesTotal: 100_000, records: 0 });
    expect(out.text()).toBe('');
    line.finish(5);
    expect(out.text()).toBe('small.nessus: 100% (0.1 of 0.1 MB), 5 findings\n');
  });

  it('rewrites one line in place on a terminal and clears it at the end', () => {
    const out = sink();
    const line = new ProgressLine(out.stream, 'scan.nessus', true);
    line.update({ bytesDone: 250_000, bytesTotal: 1_000_000, records: 42 });
    line.update({ bytesDone: 260_000, bytesTotal: 1_000_000, records: 43 }); // within 200 ms: skipped
    line.finish();
    const text = out.text();
    expect(text.startsWith('\rscan.nessus: 25% (0.3 of 1.0 MB), 42 findings')).toBe(true);
    expect(text).not.toContain('43 findings');
    expect(text).not.toContain('\n');
    expect(text.endsWith('\r')).toBe(true);
  });
});
