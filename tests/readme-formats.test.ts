import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../lib/ingest/model';
import { formatLabels } from '../lib/ingest/parsers';

/** Rows of the README's "Supported formats" table, by `--format` id: the label column. */
function readmeFormatRows(): Map<string, string> {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split(/^## Supported formats$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^\| `([a-z0-9][a-z0-9-]*)` \| ([^|]+) \|/.exec(line);
    if (match?.[1] && match[2]) rows.set(match[1], match[2].trim());
  }
  return rows;
}

describe('README supported formats table', () => {
  const rows = readmeFormatRows();

  it('lists every format id', () => {
    const missing = FORMATS.filter((format) => !rows.has(format));
    expect(missing).toEqual([]);
  });

  it('lists no unknown format id', () => {
    const unknown = [...rows.keys()].filter((format) => !(FORMATS as readonly string[]).includes(format));
    expect(unknown).toEqual([]);
  });

  it('shows the upload page label', () => {
    const wrong = FORMATS.filter((format) => rows.get(format) !== formatLabels[format]);
    expect(wrong).toEqual([]);
  });
});
