import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getImportRoute } from '../../app/api/v1/imports/[id]/route';
import { closeDb, getDb, type Db } from '../../db/client';
import { getSessionSecret } from '../../lib/auth/session-secret';
import { updateUser } from '../../lib/auth/user-admin';
import { createUser, type SessionUser } from '../../lib/auth/users';
import type { ImportListItem } from '../../lib/imports/list-imports';
import { liveProgress } from '../../lib/jobs/live-progress';
import { registerRunningImport, unregisterRunningImport } from '../../lib/jobs/running-imports';

// On the embedded database a background import's transaction uses the only connection. The
// import's progress must still reach the Imports page, whose poll signs in with a session cookie.

const dataDir = mkdtempSync(path.join(tmpdir(), 'riskboard-progress-test-'));
process.env.RISKBOARD_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
delete process.env.NEXTAUTH_SECRET;

const running: ImportListItem = {
  id: 4242,
  fileName: 'estate.nessus',
  format: null,
  source: null,
  status: 'running',
  sizeBytes: 2000,
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
  progress: { jobId: 88, bytesDone: 0, bytesTotal: 2000, records: 0, percent: 0 },
};

let db: Db;
let user: SessionUser;
let cookie: string;

function poll(): Promise<Response> {
  const request = new Request(`http://127.0.0.1:3100/api/v1/imports/${running.id}`, { headers: { cookie } });
  return getImportRoute(request, { params: Promise.resolve({ id: String(running.id) }) });
}

/** Runs `body` while a transaction keeps the embedded database busy, as a running import does. */
async function whileDatabaseBusy<T>(body: () => Promise<T>): Promise<T> {
  let releaseTransaction: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    releaseTransaction = resolve;
  });
  let started: () => void = () => {};
  const inside = new Promise<void>((resolve) => {
    started = resolve;
  });
  const transaction = db.transaction(async () => {
    started();
    await released;
  });
  await inside;
  try {
    return await body();
  } finally {
    releaseTransaction();
    await transaction;
  }
}

/** Resolves with the poll's response, or with 'timed out' when it waits on the database. */
async function pollWithin(ms: number): Promise<Response | 'timed out'> {
  return Promise.race([poll(), new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))]);
}

beforeAll(async () => {
  db = await getDb();
  user = await createUser(db, { email: 'analyst@progress.test', password: 'analyst password 1', role: 'analyst' });
  const token = await encode({ token: { sub: String(user.id), email: user.email, role: user.role }, secret: await getSessionSecret(db) });
  cookie = `next-auth.session-token=${token}`;
});

afterAll(async () => {
  unregisterRunningImport(running.id);
  liveProgress.delete(88);
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('import progress on a busy embedded database', () => {
  it('answers the poll without the database', async () => {
    // An earlier request (the page load) checked the session's user.
    registerRunningImport(88, running);
    expect((await poll()).status).toBe(200);
    liveProgress.set(88, { bytesDone: 500, bytesTotal: 2000, records: 70 });

    const response = await whileDatabaseBusy(() => pollWithin(2000));

    expect(response).not.toBe('timed out');
    const body = (await (response as Response).json()) as ImportListItem;
    expect(body.progress?.percent).toBe(25);
    expect(body.progress?.records).toBe(70);
  });

  it('reads the user again once no import runs', async () => {
    unregisterRunningImport(running.id);

    const response = await whileDatabaseBusy(() => pollWithin(500));

    expect(response).toBe('timed out');
  });

  it('rejects a deactivated user', async () => {
    registerRunningImport(88, running);
    const admin = await createUser(db, { email: 'admin@progress.test', password: 'admin password 1', role: 'admin' });
    await updateUser(db, admin.id, { id: user.id }, { active: false });

    const response = await poll();

    expect(response.status).toBe(401);
  });
});
