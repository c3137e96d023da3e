import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { createClient } from '../../lib/api-access/clients';
import { issueAccessToken } from '../../lib/api-access/tokens';
import { checkClient } from '../../lib/api-access/clients';
import { MODULES, PERMISSIONS, ROLE_GRANTS, emptyGrants, hasPermission, type Grants } from '../../lib/auth/permissions';
import { getSessionSecret } from '../../lib/auth/session-secret';
import { createUser, type SessionUser, type UserRole } from '../../lib/auth/users';
import { API_ROUTES, type RouteDefinition } from '../../lib/http/api-routes';
import { API_ACCESS_DENIED_MESSAGE, LOCAL_TOKEN_HEADER, type RouteHandler } from '../../lib/http/with-api';
import { openProcessDb } from './process-db';

type RouteModule = Partial<Record<RouteDefinition['method'], RouteHandler>>;

// Every route file under app/api/v1, found by the file system rather than listed by hand, so a
// new route without a registry entry fails the coverage test below.
const routeModules = import.meta.glob<RouteModule>('../../app/api/v1/**/route.ts');

function routeFileOf(route: RouteDefinition): string {
  const segments = route.path.replace(/\{(\w+)\}/g, '[$1]');
  return `../../app${segments}/route.ts`;
}

interface Caller {
  label: string;
  headers: Record<string, string>;
  /** What the caller holds, or `local-cli` / `anonymous` for the two special callers. */
  kind: 'session' | 'token' | 'local-cli' | 'anonymous';
  grants: Grants;
}

const ROLES: UserRole[] = ['reader', 'analyst', 'manager', 'admin'];
const LOCAL_TOKEN = 'matrix-local-token';

let db: Db;
let cleanup: () => Promise<void>;
const callers: Caller[] = [];

async function tokenFor(user: SessionUser, grants: Grants, name: string): Promise<string> {
  const { client } = await createClient(db, user.id, { name, grants });
  const check = await checkClient(db, client.clientId);
  if (!check.ok) throw new Error(`client ${name} is unusable: ${check.reason}`);
  return (await issueAccessToken(db, check.client, check.owner, check.grants)).accessToken;
}

beforeAll(async () => {
  ({ db, cleanup } = await openProcessDb());
  process.env.RISKBOARD_LOCAL_TOKEN = LOCAL_TOKEN;
  const secret = await getSessionSecret(db);

  const usersByRole = new Map<UserRole, SessionUser>();
  for (const role of ROLES) {
    const user = await createUser(db, { email: `matrix-${role}@example.com`, password: `matrix ${role} password`, role });
    usersByRole.set(role, user);
    const cookie = await encode({ token: { sub: String(user.id), email: user.email, role }, secret });
    callers.push({ label: `${role} session`, kind: 'session', headers: { cookie: `next-auth.session-token=${cookie}` }, grants: ROLE_GRANTS[role] });
    const fullToken = await tokenFor(user, ROLE_GRANTS[role], `${role} full`);
    callers.push({ label: `${role} token with every grant of the role`, kind: 'token', headers: { authorization: `Bearer ${fullToken}` }, grants: ROLE_GRANTS[role] });
  }

  const admin = usersByRole.get('admin');
  if (!admin) throw new Error('admin was not created');
  for (const moduleName of MODULES) {
    for (const permission of PERMISSIONS) {
      const grants = emptyGrants();
      grants.modules[moduleName] = [permission];
      grants.access.api = true;
      const token = await tokenFor(admin, grants, `only ${moduleName}:${permission}`);
      callers.push({ label: `token holding only ${moduleName}:${permission}`, kind: 'token', headers: { authorization: `Bearer ${token}` }, grants });
    }
  }

  const noApi: Grants = { modules: { ...ROLE_GRANTS.admin.modules }, access: { api: false, ui: true } };
  const noApiToken = await tokenFor(admin, noApi, 'every moduleName but no API access');
  callers.push({ label: 'token with every moduleName but API access off', kind: 'token', headers: { authorization: `Bearer ${noApiToken}` }, grants: noApi });

  callers.push({ label: 'local CLI token', kind: 'local-cli', headers: { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN }, grants: ROLE_GRANTS.admin });
  callers.push({ label: 'no credentials', kind: 'anonymous', headers: {}, grants: emptyGrants() });
}, 120_000);

afterAll(async () => {
  delete process.env.RISKBOARD_LOCAL_TOKEN;
  await cleanup();
});

/** Returns the status a caller must get: `allowed`, or the exact denial. */
function expectedOutcome(route: RouteDefinition, caller: Caller): 'allowed' | 401 | 403 {
  if (route.module === 'public') return 'allowed';
  if (caller.kind === 'anonymous') return 401;
  if (caller.kind === 'token' && !caller.grants.access.api) return 403;
  if (route.module === 'account') return caller.kind === 'session' ? 'allowed' : 403;
  return hasPermission(caller.grants, route.module, route.permission) ? 'allowed' : 403;
}

function requestFor(route: RouteDefinition, caller: Caller): { request: Request; params: Record<string, string> } {
  // An id no row has, so an allowed call returns 404, never 401 or 403.
  const url = `http://127.0.0.1:3100${route.path.replace('{id}', '999999')}`;
  const headers = new Headers(caller.headers);
  let body: string | undefined;
  if (route.method === 'POST' || route.method === 'PATCH') {
    headers.set('content-type', 'application/json');
    // An invalid body, so an allowed call returns 400 after authorization, and nothing is written.
    body = JSON.stringify({ unexpected: true });
  }
  return { request: new Request(url, { method: route.method, headers, body }), params: route.path.includes('{id}') ? { id: '999999' } : {} };
}

const routeEntries = Object.entries(API_ROUTES) as [string, RouteDefinition][];

describe('route registry', () => {
  it('declares every route file and method', async () => {
    const declared = new Set(routeEntries.map(([, route]) => `${route.method} ${routeFileOf(route)}`));
    const found: string[] = [];
    for (const [file, load] of Object.entries(routeModules)) {
      const moduleName = await load();
      for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
        if (method in moduleName) found.push(`${method} ${file}`);
      }
    }
    expect(found.sort()).toEqual([...declared].sort());
  });

  for (const [name, route] of routeEntries) {
    it(`${name} handler uses its declaration`, async () => {
      const load = routeModules[routeFileOf(route)];
      expect(load, routeFileOf(route)).toBeDefined();
      const handler = (await load!())[route.method];
      expect(handler?.declaration).toBe(route);
    });
  }
});

describe('authorization matrix', () => {
  for (const [name, route] of routeEntries) {
    it(`${name} allows exactly the callers granted ${route.module}:${route.permission}`, async () => {
      const load = routeModules[routeFileOf(route)];
      const handler = (await load!())[route.method];
      if (!handler) throw new Error(`${route.method} ${route.path} has no handler`);

      const mismatches: string[] = [];
      for (const caller of callers) {
        const { request, params } = requestFor(route, caller);
        const response = await handler(request, { params: Promise.resolve(params) });
        const expected = expectedOutcome(route, caller);
        const body = (await response.json()) as { error?: { message?: string } };
        const allowed = response.status !== 401 && response.status !== 403;

        if (expected === 'allowed' && !allowed) mismatches.push(`${caller.label}: expected allowed, got ${response.status} ${body.error?.message}`);
        if (expected !== 'allowed' && response.status !== expected) mismatches.push(`${caller.label}: expected ${expected}, got ${response.status}`);
        if (caller.kind === 'token' && !caller.grants.access.api && body.error?.message !== API_ACCESS_DENIED_MESSAGE && route.module !== 'public') {
          mismatches.push(`${caller.label}: expected the API access message, got ${body.error?.message}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('covers allowed and denied answers', () => {
    const outcomes = new Set(routeEntries.flatMap(([, route]) => callers.map((caller) => expectedOutcome(route, caller))));
    expect([...outcomes].sort()).toEqual([401, 403, 'allowed'].sort());
    expect(callers.length).toBeGreaterThan(20);
  });
});
