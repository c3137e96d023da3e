import { eq } from 'drizzle-orm';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as discovery } from '../../app/.well-known/openid-configuration/route';
import { GET as listFindings } from '../../app/api/v1/findings/route';
import { GET as openApi } from '../../app/api/v1/openapi.json/route';
import { GET as jwks } from '../../app/oauth/jwks/route';
import { POST as tokenRoute } from '../../app/oauth/token/route';
import type { Db } from '../../db/client';
import { apiClients, auditLog, signingKeys, users } from '../../db/schema';
import { createClient, revokeClient, rotateClientSecret } from '../../lib/api-access/clients';
import { tokenConfig } from '../../lib/api-access/config';
import { rotateSigningKey } from '../../lib/api-access/signing-keys';
import { ROLE_GRANTS, emptyGrants, type Grants } from '../../lib/auth/permissions';
import { createUser, type SessionUser } from '../../lib/auth/users';
import { updateUser } from '../../lib/auth/user-admin';
import { API_ACCESS_DENIED_MESSAGE } from '../../lib/http/with-api';
import { openProcessDb } from './process-db';

let db: Db;
let cleanup: () => Promise<void>;
let owner: SessionUser;
let userCount = 0;

const BASE = 'http://127.0.0.1:3100';

function findingsGrants(): Grants {
  const grants = emptyGrants();
  grants.modules.findings = ['read'];
  grants.access.api = true;
  return grants;
}

async function newOwner(role: SessionUser['role'] = 'analyst'): Promise<SessionUser> {
  userCount += 1;
  return createUser(db, { email: `token-owner-${userCount}@example.com`, password: 'token owner password', role });
}

async function newClient(user: SessionUser = owner, grants: Grants = findingsGrants()) {
  return createClient(db, user.id, { name: `client ${userCount}-${Math.random()}`, grants });
}

function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function obtainToken(clientId: string, secret: string): Promise<string> {
  const response = await tokenRoute(tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(clientId, secret) }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function callFindings(token: string): Promise<Response> {
  return listFindings(new Request(`${BASE}/api/v1/findings`, { headers: { authorization: `Bearer ${token}` } }));
}

/** Re-signs a token's claims with another header and key, keeping everything else. */
async function forge(token: string, header: Record<string, unknown>, key: CryptoKey | Uint8Array, changes: Record<string, unknown> = {}): Promise<string> {
  const claims = { ...decodeJwt(token), ...changes };
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

beforeAll(async () => {
  ({ db, cleanup } = await openProcessDb());
  owner = await newOwner();
});

afterAll(async () => {
  await cleanup();
});

describe('POST /oauth/token', () => {
  it('issues an ES256 token with client_secret_basic', async () => {
    const { client, clientSecret } = await newClient();
    const response = await tokenRoute(tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.clientId, clientSecret) }));

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(4 * 60 * 60);
    expect(body.scope).toBe('findings:read access:api');

    const header = decodeProtectedHeader(body.access_token);
    expect(header.alg).toBe('ES256');
    expect(typeof header.kid).toBe('string');
    const keys = (await (await jwks()).json()) as { keys: JWK[] };
    const jwk = keys.keys.find((key) => key.kid === header.kid);
    expect(jwk).toBeDefined();
    expect(jwk).not.toHaveProperty('d');
    const { payload } = await jwtVerify(body.access_token, await importJWK(jwk!, 'ES256'), { issuer: tokenConfig().issuer, audience: tokenConfig().audience });
    expect(payload.sub).toBe(String(owner.id));
    expect(payload.client_id).toBe(client.clientId);
    expect(payload.exp! - payload.iat!).toBe(4 * 60 * 60);
    expect((payload.permissions as Record<string, string[]>).findings).toEqual(['read']);
    expect(payload.access).toEqual({ api: true, ui: false });
  });

  it('issues a token with client_secret_post', async () => {
    const { client, clientSecret } = await newClient();
    const response = await tokenRoute(tokenRequest({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: clientSecret }));
    expect(response.status).toBe(200);
  });

  it('narrows the token to a requested scope', async () => {
    const grants = findingsGrants();
    grants.modules.assets = ['read'];
    const { client, clientSecret } = await newClient(owner, grants);
    const response = await tokenRoute(tokenRequest({ grant_type: 'client_credentials', scope: 'assets:read access:api' }, { authorization: basic(client.clientId, clientSecret) }));
    expect(((await response.json()) as { scope: string }).scope).toBe('assets:read access:api');
  });

  const errorCases: { name: string; build: (clientId: string, secret: string) => Request; status: number; error: string }[] = [
    { name: 'wrong secret', build: (id) => tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(id, 'rbs_wrong') }), status: 401, error: 'invalid_client' },
    { name: 'unknown client', build: () => tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic('rbc_unknown', 'rbs_x') }), status: 401, error: 'invalid_client' },
    { name: 'no client authentication', build: () => tokenRequest({ grant_type: 'client_credentials' }), status: 401, error: 'invalid_client' },
    { name: 'malformed Basic header', build: () => tokenRequest({ grant_type: 'client_credentials' }, { authorization: 'Basic !!!' }), status: 401, error: 'invalid_client' },
    { name: 'missing grant_type', build: (id, secret) => tokenRequest({}, { authorization: basic(id, secret) }), status: 400, error: 'invalid_request' },
    { name: 'password grant', build: (id, secret) => tokenRequest({ grant_type: 'password' }, { authorization: basic(id, secret) }), status: 400, error: 'unsupported_grant_type' },
    { name: 'two authentication methods', build: (id, secret) => tokenRequest({ grant_type: 'client_credentials', client_secret: secret }, { authorization: basic(id, secret) }), status: 400, error: 'invalid_request' },
    { name: 'scope beyond the client', build: (id, secret) => tokenRequest({ grant_type: 'client_credentials', scope: 'administration:write' }, { authorization: basic(id, secret) }), status: 400, error: 'invalid_scope' },
    { name: 'unknown scope', build: (id, secret) => tokenRequest({ grant_type: 'client_credentials', scope: 'everything' }, { authorization: basic(id, secret) }), status: 400, error: 'invalid_scope' },
    {
      name: 'JSON body',
      build: (id, secret) => new Request(`${BASE}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(id, secret) }, body: '{"grant_type":"client_credentials"}' }),
      status: 400,
      error: 'invalid_request',
    },
    {
      name: 'repeated parameter',
      build: (id, secret) => new Request(`${BASE}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) }, body: 'grant_type=client_credentials&grant_type=client_credentials' }),
      status: 400,
      error: 'invalid_request',
    },
  ];
  for (const testCase of errorCases) {
    it(`answers ${testCase.error} for ${testCase.name}`, async () => {
      const { client, clientSecret } = await newClient();
      const response = await tokenRoute(testCase.build(client.clientId, clientSecret));

      expect(response.status).toBe(testCase.status);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe(testCase.error);
      expect(body.error_description.length).toBeGreaterThan(0);
      if (testCase.status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="riskboard"/);
    });
  }

  it('answers invalid_grant for a deactivated user', async () => {
    const user = await newOwner();
    const { client, clientSecret } = await newClient(user);
    await updateUser(db, undefined, { id: user.id }, { active: false });

    const response = await tokenRoute(tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.clientId, clientSecret) }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('rejects the old secret after rotation', async () => {
    const { client, clientSecret } = await newClient();
    const rotated = await rotateClientSecret(db, owner.id, client.id);

    const old = await tokenRoute(tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.clientId, clientSecret) }));
    expect(old.status).toBe(401);
    await obtainToken(client.clientId, rotated.clientSecret);
  });

  it('rate-limits token requests per client', async () => {
    const { client } = await newClient();
    // The clock is frozen, so no token refills however slowly the scrypt checks run.
    vi.useFakeTimers({ toFake: ['Date'] });
    const statuses: number[] = [];
    try {
      for (let attempt = 0; attempt < 12; attempt += 1) {
        const response = await tokenRoute(tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'rbs_guess') }));
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      vi.useRealTimers();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('audits issuance and failures without secrets or tokens', async () => {
    const { client, clientSecret } = await newClient();
    const token = await obtainToken(client.clientId, clientSecret);
    await tokenRoute(tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(client.clientId, 'rbs_wrong_secret') }));

    const rows = await db.select().from(auditLog).where(eq(auditLog.clientId, client.clientId));
    const events = rows.map((row) => row.event);
    expect(events).toContain('client_created');
    expect(events).toContain('token_issued');
    expect(events).toContain('token_rejected');
    const text = JSON.stringify(rows);
    expect(text).not.toContain(clientSecret);
    expect(text).not.toContain('rbs_wrong_secret');
    expect(text).not.toContain(token);
  });

  it('stores the secret only as a scrypt hash', async () => {
    const { client, clientSecret } = await newClient();
    const rows = await db.select({ secretHash: apiClients.secretHash }).from(apiClients).where(eq(apiClients.clientId, client.clientId));
    const text = JSON.stringify(rows);
    expect(text).toContain('scrypt$');
    expect(text).not.toContain(clientSecret);
  });
});

describe('bearer tokens on /api/v1', () => {
  it('reads findings with a valid token', async () => {
    const { client, clientSecret } = await newClient();
    const response = await callFindings(await obtainToken(client.clientId, clientSecret));
    expect(response.status).toBe(200);
  });

  it('answers the exact message when API access is off for the client', async () => {
    const grants = findingsGrants();
    grants.access.api = false;
    const { client, clientSecret } = await newClient(owner, grants);
    const response = await callFindings(await obtainToken(client.clientId, clientSecret));

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(API_ACCESS_DENIED_MESSAGE);
    expect(API_ACCESS_DENIED_MESSAGE).toBe('The user does not have permission to access the API module.');
  });

  it('returns the exact 403 after API access is removed', async () => {
    const user = await newOwner();
    const { client, clientSecret } = await newClient(user);
    const token = await obtainToken(client.clientId, clientSecret);
    expect((await callFindings(token)).status).toBe(200);

    await updateUser(db, undefined, { id: user.id }, { apiAccess: false });
    const response = await callFindings(token);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(API_ACCESS_DENIED_MESSAGE);
  });

  it('rejects a client whose grants exceed its user', async () => {
    const reader = await newOwner('reader');
    const grants = findingsGrants();
    grants.modules.imports = ['write'];
    await expect(newClient(reader, grants)).rejects.toThrow(/imports:write/);
  });

  describe('token attacks', () => {
    let token: string;
    let clientRowId: number;
    let user: SessionUser;

    beforeAll(async () => {
      user = await newOwner();
      const { client, clientSecret } = await newClient(user);
      clientRowId = client.id;
      token = await obtainToken(client.clientId, clientSecret);
      expect((await callFindings(token)).status).toBe(200);
    });

    async function expectRejected(forged: string): Promise<void> {
      const response = await callFindings(forged);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }

    it('rejects alg none', async () => {
      const [, payload] = token.split('.');
      const header = { ...decodeProtectedHeader(token), alg: 'none' };
      await expectRejected(`${base64url(header)}.${payload}.`);
    });

    it('rejects an HS256 token keyed with the public key', async () => {
      const header = decodeProtectedHeader(token);
      const keys = (await (await jwks()).json()) as { keys: JWK[] };
      const publicJwk = keys.keys.find((key) => key.kid === header.kid);
      await expectRejected(await forge(token, { alg: 'HS256', kid: header.kid }, new TextEncoder().encode(JSON.stringify(publicJwk))));
    });

    it('rejects a token signed with another key', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      await expectRejected(await forge(token, decodeProtectedHeader(token), privateKey));
    });

    it('rejects a token naming another key id', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      expect(await exportJWK(publicKey)).toHaveProperty('x');
      await expectRejected(await forge(token, { alg: 'ES256', kid: 'attacker-key' }, privateKey));
    });

    it('rejects a tampered claim', async () => {
      const [header, , signature] = token.split('.');
      const claims = { ...decodeJwt(token), permissions: ROLE_GRANTS.admin.modules };
      await expectRejected(`${header}.${base64url(claims)}.${signature}`);
    });

    async function signWithActiveKey(changes: Record<string, unknown>): Promise<string> {
      // Tokens for the expiry, issuer and audience cases are signed with the real key, so only the claim differs.
      const { getActiveSigningKey } = await import('../../lib/api-access/signing-keys');
      const key = await getActiveSigningKey(db);
      return forge(token, { alg: 'ES256', kid: key.kid }, key.privateKey, changes);
    }

    it('accepts a re-signed copy, so the cases below test only their claim', async () => {
      expect((await callFindings(await signWithActiveKey({}))).status).toBe(200);
    });

    it('rejects an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRejected(await signWithActiveKey({ iat: now - 7200, exp: now - 60 }));
    });

    it('rejects a wrong audience', async () => {
      await expectRejected(await signWithActiveKey({ aud: 'https://other.example/api' }));
    });

    it('rejects a wrong issuer', async () => {
      await expectRejected(await signWithActiveKey({ iss: 'https://other.example' }));
    });

    it('rejects a subject that is not the client owner', async () => {
      await expectRejected(await signWithActiveKey({ sub: String(owner.id) }));
    });

    it('rejects a token of a deactivated user at once', async () => {
      const victim = await newOwner();
      const { client, clientSecret } = await newClient(victim);
      const victimToken = await obtainToken(client.clientId, clientSecret);
      expect((await callFindings(victimToken)).status).toBe(200);

      await db.update(users).set({ active: false }).where(eq(users.id, victim.id));
      await expectRejected(victimToken);
    });

    it('rejects a token of a revoked client at once', async () => {
      await revokeClient(db, user.id, clientRowId);
      await expectRejected(token);
    });
  });
});

describe('signing key rotation', () => {
  it('keeps the old public key until its tokens expire', async () => {
    const { client, clientSecret } = await newClient();
    const before = await obtainToken(client.clientId, clientSecret);
    const oldKid = decodeProtectedHeader(before).kid;

    const { kid } = await rotateSigningKey(db);
    const after = await obtainToken(client.clientId, clientSecret);
    expect(decodeProtectedHeader(after).kid).toBe(kid);

    const published = ((await (await jwks()).json()) as { keys: JWK[] }).keys.map((key) => key.kid);
    expect(published).toContain(oldKid);
    expect(published).toContain(kid);
    expect((await callFindings(before)).status).toBe(200);

    // Once the retired key's publication window has passed, its tokens stop working.
    await db.update(signingKeys).set({ publishUntil: new Date(Date.now() - 1000) }).where(eq(signingKeys.kid, String(oldKid)));
    expect((await callFindings(before)).status).toBe(401);
    expect(((await (await jwks()).json()) as { keys: JWK[] }).keys.map((key) => key.kid)).not.toContain(oldKid);
  });

  it('stores private keys encrypted', async () => {
    const rows = await db.select({ privateKeyEncrypted: signingKeys.privateKeyEncrypted }).from(signingKeys);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.privateKeyEncrypted).toMatch(/^v1\./);
      expect(row.privateKeyEncrypted).not.toContain('PRIVATE KEY');
    }
  });
});

describe('discovery documents', () => {
  it('publishes the OpenID configuration', async () => {
    const document = (await (await discovery()).json()) as Record<string, unknown>;
    expect(document.issuer).toBe(tokenConfig().issuer);
    expect(document.token_endpoint).toBe(`${tokenConfig().issuer}/oauth/token`);
    expect(document.jwks_uri).toBe(`${tokenConfig().issuer}/oauth/jwks`);
    expect(document.grant_types_supported).toEqual(['client_credentials']);
    expect(document.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
  });

  it('builds the OpenAPI document from the route schemas', async () => {
    const response = await openApi(new Request(`${BASE}/api/v1/openapi.json`));
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; 'x-riskboard-permission': string }>> };
    expect(document.openapi).toBe('3.1.0');
    const list = document.paths['/api/v1/findings']?.get;
    expect(list?.['x-riskboard-permission']).toBe('findings:read');
    expect(list?.parameters.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'sort']));
    expect(document.paths['/api/v1/findings/{id}']?.get?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
  });
});
