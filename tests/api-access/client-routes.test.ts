import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as revokeRoute } from '../../app/api/v1/clients/[id]/route';
import { POST as rotateRoute } from '../../app/api/v1/clients/[id]/rotate/route';
import { GET as listRoute, POST as createRoute } from '../../app/api/v1/clients/route';
import { PATCH as updateUserRoute } from '../../app/api/v1/admin/users/[id]/route';
import type { Db } from '../../db/client';
import { ROLE_GRANTS } from '../../lib/auth/permissions';
import { getSessionSecret } from '../../lib/auth/session-secret';
import { createUser, type SessionUser } from '../../lib/auth/users';
import { openProcessDb } from './process-db';

let db: Db;
let cleanup: () => Promise<void>;
let analyst: SessionUser;
let admin: SessionUser;
let analystCookie: string;
let adminCookie: string;

const BASE = 'http://127.0.0.1:3100';

async function cookieFor(user: SessionUser): Promise<string> {
  const token = await encode({ token: { sub: String(user.id), email: user.email, role: user.role }, secret: await getSessionSecret(db) });
  return `next-auth.session-token=${token}`;
}

function jsonRequest(path: string, method: string, cookie: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function idParams(id: number) {
  return { params: Promise.resolve({ id: String(id) }) };
}

beforeAll(async () => {
  ({ db, cleanup } = await openProcessDb());
  analyst = await createUser(db, { email: 'routes-analyst@example.com', password: 'routes analyst pw', role: 'analyst' });
  admin = await createUser(db, { email: 'routes-admin@example.com', password: 'routes admin pw 1', role: 'admin' });
  analystCookie = await cookieFor(analyst);
  adminCookie = await cookieFor(admin);
});

afterAll(async () => {
  await cleanup();
});

describe('client management routes', () => {
  it('create, list, rotate and revoke a client', async () => {
    const created = await createRoute(jsonRequest('/api/v1/clients', 'POST', analystCookie, { name: 'Ticketing', grants: ROLE_GRANTS.analyst }));
    expect(created.status).toBe(201);
    const { client, clientSecret } = (await created.json()) as { client: { id: number; clientId: string }; clientSecret: string };
    expect(clientSecret).toMatch(/^rbs_/);

    const listed = await listRoute(jsonRequest('/api/v1/clients', 'GET', analystCookie));
    const listText = await listed.text();
    expect(listText).toContain(client.clientId);
    expect(listText).not.toContain(clientSecret);

    const rotated = await rotateRoute(jsonRequest(`/api/v1/clients/${client.id}/rotate`, 'POST', analystCookie), idParams(client.id));
    expect(rotated.status).toBe(200);
    expect(((await rotated.json()) as { clientSecret: string }).clientSecret).not.toBe(clientSecret);

    const revoked = await revokeRoute(jsonRequest(`/api/v1/clients/${client.id}`, 'DELETE', analystCookie), idParams(client.id));
    expect(((await revoked.json()) as { status: string }).status).toBe('revoked');
  });

  it('rejects grants beyond the role with 403', async () => {
    const response = await createRoute(jsonRequest('/api/v1/clients', 'POST', analystCookie, { name: 'Too much', grants: ROLE_GRANTS.admin }));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('administration:read');
  });

  it('rejects a cross-site create', async () => {
    const response = await createRoute(jsonRequest('/api/v1/clients', 'POST', analystCookie, { name: 'CSRF', grants: ROLE_GRANTS.reader }, { 'sec-fetch-site': 'cross-site' }));
    expect(response.status).toBe(403);
  });

  it("returns 404 for another user's client", async () => {
    const created = await createRoute(jsonRequest('/api/v1/clients', 'POST', analystCookie, { name: 'Mine', grants: ROLE_GRANTS.reader }));
    const { client } = (await created.json()) as { client: { id: number } };
    const response = await revokeRoute(jsonRequest(`/api/v1/clients/${client.id}`, 'DELETE', adminCookie), idParams(client.id));
    expect(response.status).toBe(404);
  });
});

describe('PATCH /api/v1/admin/users/{id}', () => {
  it('deactivates a user, which ends their session', async () => {
    const response = await updateUserRoute(jsonRequest(`/api/v1/admin/users/${analyst.id}`, 'PATCH', adminCookie, { active: false }), idParams(analyst.id));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { active: boolean }).active).toBe(false);

    expect((await listRoute(jsonRequest('/api/v1/clients', 'GET', analystCookie))).status).toBe(401);
    await updateUserRoute(jsonRequest(`/api/v1/admin/users/${analyst.id}`, 'PATCH', adminCookie, { active: true }), idParams(analyst.id));
    expect((await listRoute(jsonRequest('/api/v1/clients', 'GET', analystCookie))).status).toBe(200);
  });

  it('rejects an empty change', async () => {
    const response = await updateUserRoute(jsonRequest(`/api/v1/admin/users/${analyst.id}`, 'PATCH', adminCookie, {}), idParams(analyst.id));
    expect(response.status).toBe(400);
  });
});
