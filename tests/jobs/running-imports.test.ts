import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { getImport, type ImportListItem } from '../../lib/imports/list-imports';
import { liveProgress } from '../../lib/jobs/live-progress';
import { registerRunningImport, unregisterRunningImport } from '../../lib/jobs/running-imports';

const queued: ImportListItem = {
  id: 901,
  fileName: 'big.nessus',
  format: null,
  source: null,
  status: 'queued',
  sizeBytes: 1000,
  sha256: null,
  counts: null,
  error: null,
  errorPosition: null,
  scannedAt: null,
  startedAt: '2026-03-01T00:00:00.000Z',
  finishedAt: null,
  durationMs: null,
  assetName: null,
  createdBy: null,
  progress: { jobId: 77, bytesDone: 0, bytesTotal: 1000, records: 0, percent: 0 },
};

/** A database whose every use fails the test, as a busy embedded database would block it. */
const blockedDb = new Proxy({}, { get: () => { throw new Error('the database was used'); } }) as unknown as Db;

describe('running import progress', () => {
  it('answers getImport from memory', async () => {
    registerRunningImport(77, queued);
    liveProgress.set(77, { bytesDone: 250, bytesTotal: 1000, records: 42 });
    try {
      const item = await getImport(blockedDb, 901);
      expect(item?.status).toBe('running');
      expect(item?.progress).toEqual({ jobId: 77, bytesDone: 250, bytesTotal: 1000, records: 42, percent: 25 });
    } finally {
      unregisterRunningImport(901);
      liveProgress.delete(77);
    }
  });

  it('reads the database once unregistered', async () => {
    registerRunningImport(77, queued);
    unregisterRunningImport(901);
    await expect(getImport(blockedDb, 901)).rejects.toThrow('the database was used');
  });
});
