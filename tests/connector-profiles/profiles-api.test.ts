import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listRoute, POST as createRoute } from '../../app/api/v1/connector-profiles/route';
import { DELETE as deleteRoute, GET as getRoute, PUT as updateRoute } from '../../app/api/v1/connector-profiles/[id]/route';
import { POST as importRoute } from '../../app/api/v1/imports/route';
import type { Db } from '../../db/client';
import { assets, findings } from '../../db/schema';
import { LOCAL_TOKEN_HEADER } from '../../lib/http/with-api';
import { openProcessDb } from '../api-access/process-db';

// Calls the /api/v1/connector-profiles handlers as the local CLI, which holds every permission;
// the authorization matrix test covers who may call them.

const LOCAL_TOKEN = 'connector-profiles-api-local-token';
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

function request(method: string, path: string, body?: unknown): Request {
  const headers = new Headers({ [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN });
  if (body !== undefined) headers.set('content-type', 'application/json');
  return new Request(`http://127.0.0.1:3100${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

const PROFILE = {
  name: 'API tickets',
  sourceName: 'API tickets',
  mapping: { Server: 'asset.hostname', Problem: 'finding.title', Priority: 'finding.severity' },
  csv: { delimiter: ';', severityMap: { P1: 'critical' } },
};

describe('/api/v1/connector-profiles', () => {
  it('creates, lists, replaces and deletes', async () => {
    const created = await createRoute(request('POST', '/api/v1/connector-profiles', PROFILE));
    expect(created.status).toBe(201);
    const profile = (await created.json()) as { id: number; csv: { delimiter: string; dateFormat: string }; keepAbsentFindings: boolean };
    expect(profile.csv.delimiter).toBe(';');
    expect(profile.csv.dateFormat).toBe('iso');
    expect(profile.keepAbsentFindings).toBe(false);
    const id = String(profile.id);

    const listed = (await (await listRoute(request('GET', '/api/v1/connector-profiles'))).json()) as { profiles: { id: number }[] };
    expect(listed.profiles.map((entry) => entry.id)).toContain(profile.id);

    const updated = await updateRoute(request('PUT', `/api/v1/connector-profiles/${id}`, { ...PROFILE, keepAbsentFindings: true }), params(id));
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { keepAbsentFindings: boolean }).keepAbsentFindings).toBe(true);

    const fetched = await getRoute(request('GET', `/api/v1/connector-profiles/${id}`), params(id));
    expect(((await fetched.json()) as { keepAbsentFindings: boolean }).keepAbsentFindings).toBe(true);

    const deleted = await deleteRoute(request('DELETE', `/api/v1/connector-profiles/${id}`), params(id));
    expect(deleted.status).toBe(204);
    expect((await getRoute(request('GET', `/api/v1/connector-profiles/${id}`), params(id))).status).toBe(404);
  });

  it('rejects an invalid mapping with 400', async () => {
    const response = await createRoute(request('POST', '/api/v1/connector-profiles', { ...PROFILE, name: 'Invalid', mapping: { Server: 'asset.hostname' } }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain('Finding: title');
  });

  it('imports an upload with a profile field', async () => {
    await createRoute(request('POST', '/api/v1/connector-profiles', { ...PROFILE, name: 'Upload tickets' }));
    const form = new FormData();
    form.append('profile', 'Upload tickets');
    form.append('file', new Blob(['Server;Problem;Priority\napi-host;Open SMB share;P1\n']), 'tickets.csv');
    const response = await importRoute(new Request('http://127.0.0.1:3100/api/v1/imports', { method: 'POST', headers: { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN }, body: form }));

    expect(response.status).toBe(201);
    const summary = (await response.json()) as { format: string; source: string; counts: { findingsNew: number } };
    expect(summary.format).toBe('generic-csv');
    expect(summary.source).toBe('API tickets');
    expect(summary.counts.findingsNew).toBe(1);
    const [row] = await db.select({ severity: findings.severity }).from(findings).innerJoin(assets, eq(assets.id, findings.assetId)).where(eq(assets.name, 'api-host'));
    expect(row?.severity).toBe(5);
  });

  it('rejects an upload with an unknown profile', async () => {
    const form = new FormData();
    form.append('profile', 'Nobody made this');
    form.append('file', new Blob(['a,b\n1,2\n']), 'x.csv');
    const response = await importRoute(new Request('http://127.0.0.1:3100/api/v1/imports', { method: 'POST', headers: { [LOCAL_TOKEN_HEADER]: LOCAL_TOKEN }, body: form }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('connector profile "Nobody made this" does not exist');
  });
});
