import { describe, expect, it } from 'vitest';
import { streamCsv, type CsvRow } from '../../lib/ingest/csv-stream';
import { ReportError } from '../../lib/ingest/report-error';
import { chunksOf } from './parse-report';

async function rowsOf(text: string, skipLines?: number, chunkSize = 5): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of streamCsv(chunksOf(text, chunkSize), { skipLines })) rows.push(row);
  return rows;
}

describe('streamCsv', () => {
  it('chooses the header delimiter', async () => {
    const rows = await rowsOf('a;b;c\n1;2,5;3\n');
    expect(rows).toEqual([{ values: { a: '1', b: '2,5', c: '3' }, line: 2 }]);
  });

  it('names unnamed and repeated headers', async () => {
    const rows = await rowsOf('a,,a\n1,2,3\n');
    expect(rows[0]?.values).toEqual({ a: '1', 'column 2': '2', 'a (3)': '3' });
  });

  it('skips lines before the header', async () => {
    const rows = await rowsOf('Report title\n"Generated, today"\nx,y\n1,2\n', 2);
    expect(rows).toEqual([{ values: { x: '1', y: '2' }, line: 4 }]);
  });

  it('gives the start line of multi-line rows', async () => {
    const rows = await rowsOf('x,y\n"a\nb",1\n\n2,3\n');
    expect(rows.map((row) => row.line)).toEqual([2, 5]);
  });

  it('strips a byte order mark', async () => {
    const rows = await rowsOf('\uFEFFx,y\n1,2\n');
    expect(Object.keys(rows[0]?.values ?? {})).toEqual(['x', 'y']);
  });

  it('rejects an empty file', async () => {
    await expect(rowsOf('')).rejects.toThrow(ReportError);
  });
});

describe('streamCsv column count', () => {
  async function collect(text: string): Promise<unknown> {
    const rows = [];
    try {
      for await (const row of streamCsv((async function* () { yield text; })())) rows.push(row);
    } catch (error) {
      return error;
    }
    return rows;
  }

  it('rejects a file cut in the middle of its last row', async () => {
    const error = await collect('Host,Title,Severity,CVE\nh1,Telnet,high,CVE-2020-0001\nh2,FTP');
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).code).toBe('malformed');
    expect((error as ReportError).position).toEqual({ line: 3 });
    expect((error as ReportError).message).toContain('2 columns but the header has 4');
  });

  it('rejects a row with extra non-blank columns', async () => {
    const error = await collect('Host,Title\nh1,Telnet,surprise\n');
    expect((error as ReportError).message).toContain('3 columns but the header has 2');
  });

  it('accepts trailing blank cells after the last column', async () => {
    const rows = (await collect('Host,Title\nh1,Telnet,,\n')) as { values: Record<string, string> }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.values.Title).toBe('Telnet');
  });
});
