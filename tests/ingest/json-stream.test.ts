import { describe, expect, it } from 'vitest';
import { formatJsonPath, streamJson, type JsonEvent, type JsonSelector } from '../../lib/ingest/json-stream';
import { ReportError } from '../../lib/ingest/report-error';
import { chunksOf } from './parse-report';

async function collect(text: string, select: JsonSelector, chunkSize = 4): Promise<JsonEvent[]> {
  const events: JsonEvent[] = [];
  for await (const event of streamJson(chunksOf(text, chunkSize), select)) events.push(event);
  return events;
}

async function rejection(text: string, select: JsonSelector = () => 'enter'): Promise<ReportError> {
  try {
    await collect(text, select);
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('the JSON was accepted');
}

/** Assembles each element of `items` and the top-level scalars; walks nothing else. */
const selectItems: JsonSelector = (path, type) => {
  if (path.length === 0) return 'enter';
  if (path.length === 1 && path[0] === 'items') return 'enter';
  if (path.length === 1) return type === 'scalar' ? 'assemble' : 'skip';
  return path[0] === 'items' && path.length === 2 ? 'assemble' : 'skip';
};

describe('streamJson', () => {
  it('assembles selected values with their paths', async () => {
    const json = '{"name": "x\\"y", "skipped": {"a": [1, 2]}, "items": [{"id": 1, "tags": ["a", "b"], "n": null}, 2.5, true], "count": 3}';
    const events = await collect(json, selectItems);

    expect(events).toEqual([
      { kind: 'start', path: [], type: 'object' },
      { kind: 'value', path: ['name'], value: 'x"y' },
      { kind: 'start', path: ['items'], type: 'array' },
      { kind: 'value', path: ['items', 0], value: { id: 1, tags: ['a', 'b'], n: null } },
      { kind: 'value', path: ['items', 1], value: 2.5 },
      { kind: 'value', path: ['items', 2], value: true },
      { kind: 'end', path: ['items'], type: 'array' },
      { kind: 'value', path: ['count'], value: 3 },
      { kind: 'end', path: [], type: 'object' },
    ]);
  });

  it('reads unicode escapes and multibyte text', async () => {
    const events = await collect('{"name": "caf\\u00e9 – 東京"}', selectItems, 3);
    expect(events[1]).toEqual({ kind: 'value', path: ['name'], value: 'café – 東京' });
  });

  it('keeps __proto__ as plain data', async () => {
    const events = await collect('{"items": [{"__proto__": {"polluted": true}}]}', selectItems);
    const item = events.find((event) => event.kind === 'value');
    if (item?.kind !== 'value') throw new Error('expected a value');
    const value = item.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects truncated JSON with the field path', async () => {
    const error = await rejection('{"items": [{"id": 1}, {"id": 2, "title": "cut', selectItems);
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('truncated');
    expect(error.position.field).toBe('items[1].title');
  });

  it('rejects invalid JSON', async () => {
    const error = await rejection('{"items": [1 2]}', selectItems);
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('invalid JSON');
  });

  it('rejects text after the value', async () => {
    expect((await rejection('{} {}')).code).toBe('malformed');
  });

  it('reports an empty file as empty', async () => {
    expect((await rejection('')).code).toBe('empty');
    expect((await rejection('  \n ')).code).toBe('empty');
  });
});

describe('formatJsonPath', () => {
  it('formats keys and indexes', () => {
    expect(formatJsonPath(['Results', 2, 'Vulnerabilities', 7])).toBe('Results[2].Vulnerabilities[7]');
    expect(formatJsonPath([0, 'Target'])).toBe('[0].Target');
    expect(formatJsonPath(['odd key', 'a'])).toBe('["odd key"].a');
  });
});

describe('streamJson limits', () => {
  it('rejects values nested too deeply', async () => {
    const json = `{"items": [${'['.repeat(100)}${']'.repeat(100)}]}`;
    const error = await rejection(json, selectItems);
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('levels deep');
  });

  it('walks deep skipped values', async () => {
    const json = `{"skipped": ${'['.repeat(10000)}${']'.repeat(10000)}, "count": 1}`;
    const events = await collect(json, selectItems, 4096);
    expect(events).toContainEqual({ kind: 'value', path: ['count'], value: 1 });
  });

  it('passes selector errors through unchanged', async () => {
    const error = new ReportError('invalid_field', 'rejected by the selector');
    const failing: JsonSelector = (path) => {
      if (path.length === 1) throw error;
      return 'enter';
    };
    await expect(collect('{"a": 1}', failing)).rejects.toBe(error);
  });
});
