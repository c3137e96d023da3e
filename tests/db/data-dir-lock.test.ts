import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDir, DataDirBusyError, lockPath, readOwner, releaseDataDir } from '../../db/data-dir-lock';

const folders: string[] = [];

function folder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'riskboard-lock-'));
  folders.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of folders.splice(0)) {
    releaseDataDir(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('data folder lock', () => {
  it('records the owner and releases it', () => {
    const dir = folder();
    acquireDataDir(dir, { role: 'cli' });
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, role: 'cli' });
    releaseDataDir(dir);
    expect(readOwner(dir)).toBeUndefined();
  });

  it('rejects a folder held by a live process', async () => {
    const dir = folder();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(lockPath(dir), JSON.stringify({ pid: holder.pid, role: 'server', startedAt: new Date().toISOString(), port: 3000 }));
      expect(() => acquireDataDir(dir, { role: 'cli' })).toThrow(DataDirBusyError);
      expect(() => acquireDataDir(dir, { role: 'cli' })).toThrow(/server \(pid \d+\)/);
    } finally {
      holder.kill();
    }
  });

  it('replaces a lock left by a dead process', async () => {
    const dir = folder();
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(lockPath(dir), JSON.stringify({ pid: gone.pid, role: 'cli', startedAt: new Date().toISOString() }));

    acquireDataDir(dir, { role: 'server' });
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid, role: 'server' });
  });
});

describe('data folder permissions', () => {
  it('makes the folder private', () => {
    const dir = path.join(folder(), 'nested', 'data');
    acquireDataDir(dir, { role: 'cli' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
