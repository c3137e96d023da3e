import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../lib/cli/main';

// The commands open the embedded database in RISKBOARD_DATA_DIR, or Postgres when DATABASE_URL is set;
// this file always uses a temporary embedded database so it never touches a shared one.
const dataDir = mkdtempSync(path.join(tmpdir(), 'riskboard-cli-access-test-'));
const savedDatabaseUrl = process.env.DATABASE_URL;

async function run(...argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const writeError = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(argv), stdout };
  } finally {
    write.mockRestore();
    writeError.mockRestore();
  }
}

beforeAll(() => {
  delete process.env.DATABASE_URL;
  process.env.RISKBOARD_DATA_DIR = dataDir;
});

afterAll(() => {
  if (savedDatabaseUrl) process.env.DATABASE_URL = savedDatabaseUrl;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('riskboard users and keys', () => {
  it('deactivates and reactivates a user', async () => {
    expect((await run('users', 'create', '--email', 'cli-user@example.com', '--password', 'cli user password', '--role', 'analyst')).code).toBe(0);

    const deactivated = await run('users', 'deactivate', '--email', 'CLI-User@example.com');
    expect(deactivated.code).toBe(0);
    expect(deactivated.stdout).toContain('Deactivated cli-user@example.com');

    const reactivated = await run('users', 'reactivate', '--email', 'cli-user@example.com');
    expect(reactivated.code).toBe(0);
    expect(reactivated.stdout).toContain('Reactivated cli-user@example.com');
  });

  it('fails for an unknown email', async () => {
    expect((await run('users', 'deactivate', '--email', 'nobody@example.com')).code).toBe(1);
  });

  it('rotates the signing key', async () => {
    const first = await run('keys', 'rotate');
    expect(first.code).toBe(0);
    const second = await run('keys', 'rotate');
    expect(second.code).toBe(0);
    const firstKid = /key (\S+?)[.;]/.exec(first.stdout)?.[1];
    expect(firstKid).toBeDefined();
    expect(second.stdout).toContain(`retired ${firstKid}`);
  });

  it('rejects an unknown keys action', async () => {
    expect((await run('keys', 'delete')).code).toBe(2);
  });
});
