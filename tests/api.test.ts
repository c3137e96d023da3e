import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getAsset } from '../app/api/v1/assets/[id]/route';
import { GET as getFinding } from '../app/api/v1/findings/[id]/route';
import { GET as listFindings } from '../app/api/v1/findings/route';
import { GET as listImports, POST as postImport } from '../app/api/v1/imports/route';
import { closeDb, getDb, type Db } from '../db/client';
import { users } from '../db/schema';
import { getSessionSecret } from '../lib/auth/session-secret';
import { createUser, type SessionUser } from '../lib/auth/users';
import { APP_ERROR_CODES, APP_ERROR_STATUS, AppError } from '../lib/http/app-error';
import { LOCAL_TOKEN_HEADER, withApi, type RouteContext } from '../lib/http/with-api';

// The route handlers open the process-wide database, which is an embedded one in this folder.
const dataDir = mkdtempSync(path.join(tmpdir(), 'riskboard-api-test-'));
process.env.RISKBOARD_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
delete process.env.NEXTAUTH_SECRET;
delete process.env.RISKBOARD_LOCAL_TOKEN;

let db: Db;
let analyst: SessionUser;
let analystCookie: string;
let readerCookie: string;

async function sessionCookie(user: SessionUser): Promise<string> {
  const token = await encode({ token: { sub: String(user.id), email: user.email, role: user.role }, secret: await getSessionSecret(db) });
  return `next-auth.session-token=${token}`;
}

function request(pathAndQuery: string, init: RequestInit & { cookie?: string } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  return new Request(`http://127.0.0.1:3100${pathAndQuery}`, { ...init, headers });
}

function params(values: Record<string, string>): RouteContext {
  return { params: Promise.resolve(values) };
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return body.error;
}

const TRIVY_REPORT = JSON.stringify({
  SchemaVersion: 2,
  ArtifactName: 'registry.api.test/app:1.0',
  ArtifactType: 'container_image',
  Results: [
    {
      Target: 'registry.api.test/app:1.0 (alpine 3.19.1)',
      Class: 'os-pkgs',
      Type: 'alpine',
      Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-0727', PkgName: 'libcrypto3', InstalledVersion: '3.1.4-r2', Severity: 'MEDIUM', Title: 'openssl: denial of service' }],
    },
  ],
});

function multipart(parts: { name: string; value: string; fileName?: string }[]): { body: string; contentType: string } {
  const boundary = 'riskboard-test-boundary';
  const body = parts
    .map((part) => {
      const disposition = part.fileName ? `form-data; name="${part.name}"; filename="${part.fileName}"` : `form-data; name="${part.name}"`;
      const type = part.fileName ? '\r\nContent-Type: application/octet-stream' : '';
      return `--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n${part.value}\r\n`;
    })
    .join('');
  return { body: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(parts: { name: string; value: string; fileName?: string }[], cookie: string, headers: Record<string, string> = {}): Request {
  const { body, contentType } = multipart(parts);
  return request('/api/v1/imports', { method: 'POST', body, cookie, headers: { 'content-type': contentType, ...headers } });
}

beforeAll(async () => {
  db = await getDb();
  analyst = await createUser(db, { email: 'analyst@example.com', password: 'analyst password 1', role: 'analyst' });
  const reader = await createUser(db, { email: 'reader@example.com', password: 'reader password 1', role: 'reader' });
  analystCookie = await sessionCookie(analyst);
  readerCookie = await sessionCookie(reader);
});

afterAll(async () => {
  await closeDb();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('API authentication', () => {
  it('rejects a request without credentials', async () => {
    const response = await listFindings(request('/api/v1/findings'));

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await errorOf(response)).toEqual({ code: 'unauthorized', message: 'sign in first, or send an access token as "Authorization: Bearer <token>"' });
  });

  it('rejects a forged session cookie', async () => {
    const forged = await encode({ token: { sub: String(analyst.id) }, secret: 'not-the-server-secret' });
    const response = await listFindings(request('/api/v1/findings', { cookie: `next-auth.session-token=${forged}` }));
    expect(response.status).toBe(401);
  });

  it('rejects the session of a deactivated user', async () => {
    const user = await createUser(db, { email: 'gone@example.com', password: 'gone password 12', role: 'admin' });
    const cookie = await sessionCookie(user);
    expect((await listFindings(request('/api/v1/findings', { cookie }))).status).toBe(200);

    await db.update(users).set({ active: false }).where(eq(users.id, user.id));
    expect((await listFindings(request('/api/v1/findings', { cookie }))).status).toBe(401);
  });

  it('accepts a valid session cookie', async () => {
    const response = await listFindings(request('/api/v1/findings', { cookie: analystCookie }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ total: 0, items: [], nextCursor: null, prevCursor: null });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the local CLI token only when configured', async () => {
    const headers = { [LOCAL_TOKEN_HEADER]: 'local-token-for-tests' };
    expect((await listFindings(request('/api/v1/findings', { headers }))).status).toBe(401);

    process.env.RISKBOARD_LOCAL_TOKEN = 'local-token-for-tests';
    try {
      expect((await listFindings(request('/api/v1/findings', { headers }))).status).toBe(200);
      expect((await listFindings(request('/api/v1/findings', { headers: { [LOCAL_TOKEN_HEADER]: 'local-token-for-test' } }))).status).toBe(401);
      expect((await listFindings(request('/api/v1/findings', { headers: { [LOCAL_TOKEN_HEADER]: '' } }))).status).toBe(401);
    } finally {
      delete process.env.RISKBOARD_LOCAL_TOKEN;
    }
  });
});

describe('API input validation', () => {
  const invalidQueries: [string, RegExp][] = [
    ['?limit=0', /^limit: /],
    ['?limit=501', /^limit: /],
    ['?limit=ten', /^limit: /],
    ['?sort=password', /^sort: /],
    ['?direction=sideways', /^direction: /],
    ['?cursor=%24%24%24', /cursor is invalid/],
  ];
  for (const [query, message] of invalidQueries) {
    it(`rejects ${query} with 400`, async () => {
      const response = await listFindings(request(`/api/v1/findings${query}`, { cookie: analystCookie }));

      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(message);
    });
  }

  it('returns 404 for malformed ids', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '99999999999', '1e3']) {
      const response = await getFinding(request(`/api/v1/findings/${id}`, { cookie: analystCookie }), params({ id }));
      expect(response.status, id).toBe(404);
    }
  });

  it('returns 404 for an unknown asset', async () => {
    const response = await getAsset(request('/api/v1/assets/123456', { cookie: analystCookie }), params({ id: '123456' }));

    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message: 'asset 123456 was not found' });
  });

  it('checks credentials before the id', async () => {
    const response = await getFinding(request('/api/v1/findings/abc'), params({ id: 'abc' }));
    expect(response.status).toBe(401);
  });
});

describe('API error mapping', () => {
  for (const code of APP_ERROR_CODES) {
    it(`maps AppError ${code} to ${APP_ERROR_STATUS[code]}`, async () => {
      const handler = withApi({ module: 'findings', permission: 'read' }, async () => {
        throw new AppError(code, `message for ${code}`);
      });
      const response = await handler(request('/api/v1/test', { cookie: analystCookie }));

      expect(response.status).toBe(APP_ERROR_STATUS[code]);
      expect(await errorOf(response)).toEqual({ code, message: `message for ${code}` });
    });
  }

  it('hides unknown errors behind a generic 500', async () => {
    const handler = withApi({ module: 'findings', permission: 'read' }, async () => {
      throw new Error('connection to 10.0.0.5:5432 failed for user riskboard_admin');
    });
    const response = await handler(request('/api/v1/test', { cookie: analystCookie, headers: { 'x-request-id': 'trace-42' } }));
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(text).not.toContain('10.0.0.5');
    expect(text).not.toContain('riskboard_admin');
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error; the server log has the details under request id trace-42' } });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
  });
});

describe('POST /api/v1/imports', () => {
  it('rejects readers', async () => {
    const response = await postImport(upload([{ name: 'file', value: TRIVY_REPORT, fileName: 'app.json' }], readerCookie));

    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('forbidden');
  });

  it('rejects cross-site writes', async () => {
    const response = await postImport(upload([{ name: 'file', value: TRIVY_REPORT, fileName: 'app.json' }], analystCookie, { 'sec-fetch-site': 'cross-site' }));
    expect(response.status).toBe(403);
  });

  it('rejects a Content-Length above the limit early', async () => {
    process.env.RISKBOARD_MAX_IMPORT_BYTES = '1000';
    try {
      const response = await postImport(
        request('/api/v1/imports', {
          method: 'POST',
          cookie: analystCookie,
          headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(5 * 1024 * 1024) },
          body: 'tiny',
        }),
      );
      expect(response.status).toBe(413);
      expect((await errorOf(response)).code).toBe('payload_too_large');
    } finally {
      delete process.env.RISKBOARD_MAX_IMPORT_BYTES;
    }
  });

  it('rejects a body that is not multipart', async () => {
    const response = await postImport(request('/api/v1/imports', { method: 'POST', cookie: analystCookie, headers: { 'content-type': 'application/json' }, body: TRIVY_REPORT }));
    expect(response.status).toBe(400);
  });

  it('rejects a request without a file field', async () => {
    const response = await postImport(upload([{ name: 'format', value: 'trivy' }], analystCookie));

    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/no field named "file"/);
  });

  it('rejects an unknown format', async () => {
    const response = await postImport(upload([{ name: 'format', value: 'excel' }, { name: 'file', value: TRIVY_REPORT, fileName: 'app.json' }], analystCookie));

    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/format "excel" is not supported/);
  });

  it('imports a report and lists it', async () => {
    const response = await postImport(
      upload([{ name: 'format', value: 'trivy' }, { name: 'file', value: TRIVY_REPORT, fileName: 'C:\\scans\\app.json' }], analystCookie),
    );
    const summary = (await response.json()) as { status: string; fileName: string; importId: number; counts: { findingsNew: number } };

    expect(response.status).toBe(201);
    expect(summary.status).toBe('succeeded');
    expect(summary.fileName).toBe('app.json');
    expect(summary.counts.findingsNew).toBe(1);

    const findings = (await (await listFindings(request('/api/v1/findings', { cookie: readerCookie }))).json()) as { total: number; items: { id: number; title: string }[] };
    expect(findings.total).toBe(1);
    const detail = await getFinding(request('/api/v1/findings/x', { cookie: readerCookie }), params({ id: String(findings.items[0]!.id) }));
    expect(((await detail.json()) as { detections: unknown[] }).detections).toHaveLength(1);

    const imports = (await (await listImports(request('/api/v1/imports', { cookie: readerCookie }))).json()) as { items: { id: number; createdBy: { email: string } | null }[] };
    expect(imports.items[0]).toMatchObject({ id: summary.importId, createdBy: { email: 'analyst@example.com' } });
  });

  it('returns 422 naming the broken file', async () => {
    const truncated = TRIVY_REPORT.slice(0, TRIVY_REPORT.indexOf('openssl'));
    const response = await postImport(upload([{ name: 'file', value: truncated, fileName: 'broken.json' }], analystCookie));
    const summary = (await response.json()) as { status: string; error: { message: string } };

    expect(response.status).toBe(422);
    expect(summary.status).toBe('failed');
    expect(summary.error.message).toMatch(/^broken\.json: /);
  });

  it('returns 422 for a large unrecognized file without waiting', async () => {
    const response = await postImport(upload([{ name: 'file', value: 'not a report\n'.repeat(400_000), fileName: 'notes.txt' }], analystCookie));
    const summary = (await response.json()) as { status: string; error: { code: string } };

    expect(response.status).toBe(422);
    expect(summary.error.code).toBe('unknown_format');
  });
});
