import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { KeyedSpillStore } from '../../lib/ingest/keyed-spill-store';

async function spillDirectories(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('riskboard-store-'));
}

describe('KeyedSpillStore', () => {
  it('returns values kept in memory', async () => {
    const store = new KeyedSpillStore<{ title: string }>(10);
    await store.set('a', { title: 'first' });
    expect(await store.get('a')).toEqual({ title: 'first' });
    expect(await store.get('b')).toBeUndefined();
    expect(store.has('a')).toBe(true);
    expect(store.size).toBe(1);
    await store.dispose();
  });

  it('reads spilled values back from disk', async () => {
    const store = new KeyedSpillStore<{ id: number; text: string }>(2);
    for (let id = 0; id < 50; id++) await store.set(`key-${id}`, { id, text: `välue ${id} ✓`.repeat(id % 5) });
    expect(store.size).toBe(50);
    for (const id of [49, 0, 17, 2, 1, 33]) {
      expect(await store.get(`key-${id}`)).toEqual({ id, text: `välue ${id} ✓`.repeat(id % 5) });
    }
    await store.dispose();
  });

  it('replaces a spilled value', async () => {
    const store = new KeyedSpillStore<string>(1);
    await store.set('memory', 'm');
    await store.set('disk', 'old');
    await store.set('disk', 'new, and longer than before');
    await store.set('memory', 'm2');
    expect(await store.get('disk')).toBe('new, and longer than before');
    expect(await store.get('memory')).toBe('m2');
    expect(store.size).toBe(2);
    await store.dispose();
  });

  it('deletes its file on dispose', async () => {
    const before = await spillDirectories();
    const store = new KeyedSpillStore<number>(1);
    await store.set('a', 1);
    await store.set('b', 2);
    expect((await spillDirectories()).length).toBe(before.length + 1);
    await store.dispose();
    expect(await spillDirectories()).toEqual(before);
    expect(await store.get('b')).toBeUndefined();
  });
});
