import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as deleteRoute } from '../../app/api/v1/identification/aliases/[kind]/[alias]/route';
import { GET as resolveRoute } from '../../app/api/v1/identification/aliases/resolve/route';
import { GET as listRoute, POST as saveRoute } from '../../app/api/v1/identification/aliases/route';
import { GET as openApiRoute } from '../../app/api/v1/openapi.json/route';
import type { Db } from '../../db/client';
import { jobs } from '../../db/schema';
import { getSessionSecret } from '../../lib/auth/session-secret';
import { createUser } from '../../lib/auth/users';
import { LOCAL_TOKEN_HEADER } from '../../lib/http/with-api';
import { openProcessDb } from '../api-access/process-db';

// Calls the /api/v1/identification/aliases handlers as the local CLI, which has every
// permission; the authorization matrix test covers who may call them.

const LOCAL_TOKEN = 'aliases-api-local-token';
let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await openProcessDb());
  process.env.RISKBOARD_LOCAL_TOKEN = LOCAL_TOKEN;
}, 120_000);

afterAll(async () => {
  delete process.env.RISKBOARD_LOCAL_TOKEN;
  await cleanup();
});

function request(method: string, path: string, body?: unknown, headers: Record<string, string> = { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN }): Request {
  const all = new Headers(headers);
  if (body !== undefined) all.set('content-type', 'application/json');
  return new Request(`http://127.0.0.1:3100${path}`, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
}

const aliasParams = (kind: string, alias: string) => ({ params: Promise.resolve({ kind, alias }) });

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

interface AliasChangeBody {
  alias: { kind: string; alias: string; canonical: string; updatedAt: string };
  created: boolean;
  reidentificationJobId: number | null;
}

describe('/api/v1/identification/aliases', () => {
  it('adds, lists, updates and deletes an alias', async () => {
    const created = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: 'Acme Software', canonical: 'Acme Corp' }));
    expect(created.status).toBe(201);
    const body = (await created.json()) as AliasChangeBody;
    expect(body.alias).toMatchObject({ kind: 'vendor', alias: 'acme software', canonical: 'acme' });
    expect(body.reidentificationJobId).toBeTypeOf('number');
    expect(await db.select().from(jobs)).toHaveLength(1);

    const repeated = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: 'ACME software', canonical: 'acme' }));
    expect(repeated.status).toBe(200);
    expect(((await repeated.json()) as AliasChangeBody).reidentificationJobId).toBeNull();

    const listed = (await (await listRoute(request('GET', '/api/v1/identification/aliases'))).json()) as { items: AliasChangeBody['alias'][]; bundled: { vendors: { names: number } } };
    expect(listed.items.map(({ kind, alias, canonical }) => ({ kind, alias, canonical }))).toEqual([{ kind: 'vendor', alias: 'acme software', canonical: 'acme' }]);
    expect(listed.bundled.vendors.names).toBeGreaterThan(0);

    const deleted = await deleteRoute(request('DELETE', '/api/v1/identification/aliases/vendor/Acme%20Software'), aliasParams('vendor', 'Acme Software'));
    expect(deleted.status).toBe(204);
    // The save's re-identification is still queued, so the deletion reuses it.
    expect(await db.select().from(jobs)).toHaveLength(1);

    const missing = await deleteRoute(request('DELETE', '/api/v1/identification/aliases/vendor/Acme%20Software'), aliasParams('vendor', 'Acme Software'));
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).message).toBe('the organization has no vendor alias "Acme Software"; list the aliases to see the stored spellings');
  });

  it('rejects invalid aliases with 400 and the reason', async () => {
    const empty = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: ' ', canonical: 'acme' }));
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(/^alias: alias is empty/);

    const itself = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'product', alias: 'Widget', canonical: 'widget' }));
    expect(itself.status).toBe(400);
    expect(await errorOf(itself)).toEqual({ code: 'invalid_input', message: 'the alias "Widget" is its canonical name "widget" after folding, so it would change nothing; enter another spelling of the product as the alias' });

    const nul = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: 'Acme\u0000Labs', canonical: 'acme' }));
    expect(nul.status).toBe(400);
    expect((await errorOf(nul)).message).toMatch(/alias contains a control character/);

    const nulCanonical = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: 'Acme Labs', canonical: 'ac\u0000me' }));
    expect(nulCanonical.status).toBe(400);

    const nulDelete = await deleteRoute(request('DELETE', '/api/v1/identification/aliases/vendor/a%00b'), aliasParams('vendor', 'a\u0000b'));
    expect(nulDelete.status).toBe(400);
    expect((await errorOf(nulDelete)).message).toMatch(/alias contains a control character/);

    const bundledCanonical = await saveRoute(request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: 'apache', canonical: 'apache_sf' }));
    expect(bundledCanonical.status).toBe(400);

    const notJson = await saveRoute(new Request('http://127.0.0.1:3100/api/v1/identification/aliases', { method: 'POST', headers: { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN }, body: '{' }));
    expect(notJson.status).toBe(400);
  });

  it('answers 404 for an unknown kind in the path', async () => {
    const response = await deleteRoute(request('DELETE', '/api/v1/identification/aliases/publisher/acme'), aliasParams('publisher', 'acme'));
    expect(response.status).toBe(404);
  });

  it('resolves a spelling', async () => {
    const response = await resolveRoute(request('GET', '/api/v1/identification/aliases/resolve?kind=vendor&name=Microsoft%20Corporation'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ kind: 'vendor', name: 'Microsoft Corporation', canonical: 'microsoft', source: 'bundled' });

    const invalid = await resolveRoute(request('GET', '/api/v1/identification/aliases/resolve?kind=vendor'));
    expect(invalid.status).toBe(400);
  });

  it('forbids changes to a reader session', async () => {
    const reader = await createUser(db, { email: 'aliases-reader@example.com', password: 'aliases reader password', role: 'reader' });
    const token = await encode({ token: { sub: String(reader.id), email: reader.email, role: reader.role }, secret: await getSessionSecret(db) });
    const response = await saveRoute(
      request('POST', '/api/v1/identification/aliases', { kind: 'vendor', alias: 'Initech Labs', canonical: 'initech' }, { cookie: `next-auth.session-token=${token}` }),
    );
    expect(response.status).toBe(403);
    expect((await (await listRoute(request('GET', '/api/v1/identification/aliases'))).json()) as { items: unknown[] }).toMatchObject({ items: [] });
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await (await openApiRoute(request('GET', '/api/v1/openapi.json', undefined, {}))).json()) as {
      paths: Record<string, Record<string, { 'x-riskboard-permission': string; parameters: { name: string; in: string }[] }>>;
    };
    expect(Object.keys(document.paths['/api/v1/identification/aliases'] ?? {}).sort()).toEqual(['get', 'post']);
    const remove = document.paths['/api/v1/identification/aliases/{kind}/{alias}']?.delete;
    expect(remove?.['x-riskboard-permission']).toBe('administration:write');
    expect(remove?.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(['path:kind', 'path:alias']);
    expect(document.paths['/api/v1/identification/aliases/resolve']?.get?.parameters.map((parameter) => parameter.name)).toEqual(['kind', 'name']);
  });
});
