import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listAssetsRoute } from '../../app/api/v1/assets/route';
import { GET as listFindingsRoute } from '../../app/api/v1/findings/route';
import { DELETE as deleteSavedSearchRoute } from '../../app/api/v1/saved-searches/[id]/route';
import { GET as listSavedSearchesRoute, POST as saveSearchRoute } from '../../app/api/v1/saved-searches/route';
import { closeDb, getDb, type Db } from '../../db/client';
import { assets, findings } from '../../db/schema';
import { getSessionSecret } from '../../lib/auth/session-secret';
import { createUser, type SessionUser } from '../../lib/auth/users';

// The route handlers open the process-wide database, which is an embedded one in this folder.
const dataDir = mkdtempSync(path.join(tmpdir(), 'riskboard-query-api-test-'));
process.env.RISKBOARD_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
delete process.env.NEXTAUTH_SECRET;
delete process.env.RISKBOARD_LOCAL_TOKEN;

let db: Db;
let cookie: string;
let otherCookie: string;

async function sessionCookie(user: SessionUser): Promise<string> {
  const token = await encode({ token: { sub: String(user.id), email: user.email, role: user.role }, secret: await getSessionSecret(db) });
  return `next-auth.session-token=${token}`;
}

function request(pathAndQuery: string, init: RequestInit & { cookie: string }): Request {
  const headers = new Headers(init.headers);
  headers.set('cookie', init.cookie);
  return new Request(`http://127.0.0.1:3100${pathAndQuery}`, { ...init, headers });
}

beforeAll(async () => {
  db = await getDb();
  cookie = await sessionCookie(await createUser(db, { email: 'analyst@example.com', password: 'analyst password 1', role: 'analyst' }));
  otherCookie = await sessionCookie(await createUser(db, { email: 'other@example.com', password: 'other password 12', role: 'analyst' }));
  const now = new Date('2026-03-01T00:00:00Z');
  const [web] = await db.insert(assets).values({ name: 'web-01', internetFacing: true, firstSeen: now, lastSeen: now }).returning({ id: assets.id });
  const [db1] = await db.insert(assets).values({ name: 'db-01', firstSeen: now, lastSeen: now }).returning({ id: assets.id });
  await db.insert(findings).values([
    { type: 'vulnerability', assetId: web!.id, identityKey: 'a', title: 'OpenSSL overflow', severity: 5, detectionScore: 90, firstFound: now, lastFound: now },
    { type: 'vulnerability', assetId: db1!.id, identityKey: 'b', title: 'OpenSSL overflow', severity: 5, detectionScore: 80, firstFound: now, lastFound: now },
    { type: 'misconfiguration', assetId: db1!.id, identityKey: 'c', title: 'Weak cipher', severity: 2, detectionScore: 20, firstFound: now, lastFound: now },
  ]);
});

afterAll(async () => {
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/v1/findings?q=', () => {
  it('returns only matching findings', async () => {
    const q = encodeURIComponent('finding.severity:critical AND asset.internetFacing:true');
    const response = await listFindingsRoute(request(`/api/v1/findings?q=${q}`, { cookie }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; items: { asset: { name: string } }[] };
    expect(body.total).toBe(1);
    expect(body.items.map((item) => item.asset.name)).toEqual(['web-01']);
  });

  it('answers 400 with the position for an invalid query', async () => {
    const q = encodeURIComponent('finding.severity:urgent');
    const response = await listFindingsRoute(request(`/api/v1/findings?q=${q}`, { cookie }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toContain("'urgent' at character 18 is not one");
  });
});

describe('GET /api/v1/assets?q=', () => {
  it('filters assets by their findings', async () => {
    const q = encodeURIComponent('finding.type:misconfiguration');
    const response = await listAssetsRoute(request(`/api/v1/assets?q=${q}`, { cookie }));
    const body = (await response.json()) as { total: number; items: { name: string }[] };
    expect(body.items.map((item) => item.name)).toEqual(['db-01']);
    expect(body.total).toBe(1);
  });
});

describe('saved searches API', () => {
  it('saves, lists and deletes a search per user', async () => {
    const body = JSON.stringify({ scope: 'findings', name: 'Critical', query: 'finding.severity:critical' });
    const created = await saveSearchRoute(request('/api/v1/saved-searches', { method: 'POST', body, cookie, headers: { 'content-type': 'application/json' } }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    const listed = await listSavedSearchesRoute(request('/api/v1/saved-searches?scope=findings', { cookie }));
    expect(((await listed.json()) as { items: { name: string }[] }).items.map((item) => item.name)).toEqual(['Critical']);

    const otherList = await listSavedSearchesRoute(request('/api/v1/saved-searches', { cookie: otherCookie }));
    expect(((await otherList.json()) as { items: unknown[] }).items).toEqual([]);

    const othersDelete = await deleteSavedSearchRoute(request(`/api/v1/saved-searches/${id}`, { method: 'DELETE', cookie: otherCookie }), { params: Promise.resolve({ id: String(id) }) });
    expect(othersDelete.status).toBe(404);

    const deleted = await deleteSavedSearchRoute(request(`/api/v1/saved-searches/${id}`, { method: 'DELETE', cookie }), { params: Promise.resolve({ id: String(id) }) });
    expect(deleted.status).toBe(204);
  });

  it('rejects saving an invalid query', async () => {
    const body = JSON.stringify({ scope: 'assets', name: 'Broken', query: 'asset.nme:web' });
    const response = await saveSearchRoute(request('/api/v1/saved-searches', { method: 'POST', body, cookie, headers: { 'content-type': 'application/json' } }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('did you mean asset.name?');
  });
});
