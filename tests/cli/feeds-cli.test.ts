import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { acquireDataDir, releaseDataDir } from '../../db/data-dir-lock';
import { main } from '../../lib/cli/main';

// Runs `riskboard feeds` in this process on a fresh embedded database folder. The Postgres run
// skips it, because the command would then write to the database DATABASE_URL names.

const FIXTURES = path.resolve(__dirname, '../fixtures/feeds');
const onPglite = !process.env.DATABASE_URL;

describe.skipIf(!onPglite)('riskboard feeds on the embedded database', () => {
  let folder: string;
  let feedsDir: string;
  let output: string[];
  const previousDataDir = process.env.RISKBOARD_DATA_DIR;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'riskboard-feeds-cli-'));
    feedsDir = path.join(folder, 'feeds');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(feedsDir, 'nested'), { recursive: true });
    await copyFile(path.join(FIXTURES, 'kev-catalog.json'), path.join(feedsDir, 'kev.json'));
    await copyFile(path.join(FIXTURES, 'epss-scores.csv'), path.join(feedsDir, 'nested', 'epss.csv'));
    process.env.RISKBOARD_DATA_DIR = path.join(folder, 'data');
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    if (previousDataDir === undefined) delete process.env.RISKBOARD_DATA_DIR;
    else process.env.RISKBOARD_DATA_DIR = previousDataDir;
    await rm(folder, { recursive: true, force: true });
  });

  function captureOutput() {
    output = [];
    const capture = (chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  }

  it('imports a folder and exits 0', async () => {
    captureOutput();
    const code = await main(['feeds', 'import', feedsDir]);
    expect(code).toBe(0);
    expect(output.join('')).toContain('kev: 2 records');
    expect(output.join('')).toContain('epss: 3 records');
  });

  it('shows each feed after an import', async () => {
    captureOutput();
    expect(await main(['feeds', 'status'])).toBe(0);
    expect(output.join('')).toMatch(/^epss: .*3 records in the last file, score date 2026-12-01T12:55:00Z$/m);
    expect(output.join('')).toMatch(/^kev: .*catalog version 2026\.11\.30$/m);
  });

  it('exits 1 when a file is rejected', async () => {
    captureOutput();
    const code = await main(['feeds', 'import', path.join(FIXTURES, 'epss-bad-row.csv')]);
    expect(code).toBe(1);
    expect(output.join('')).toContain('line 4');
  });

  it('rejects an unknown feed with exit 2', async () => {
    captureOutput();
    expect(await main(['feeds', 'sync', 'osv'])).toBe(2);
    expect(output.join('')).toContain('unknown feed "osv"');
  });

  it('rejects while the server has the database', async () => {
    const dataDir = process.env.RISKBOARD_DATA_DIR ?? '';
    acquireDataDir(dataDir, { role: 'server', port: 1, localToken: 'test' });
    try {
      captureOutput();
      expect(await main(['feeds', 'import', feedsDir])).toBe(1);
      expect(output.join('')).toMatch(/server \(pid \d+\) has the embedded database/);
    } finally {
      releaseDataDir(dataDir);
    }
  });
});
