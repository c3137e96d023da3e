import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { assets } from '../../db/schema';
import { GET as listTagsRoute, POST as createTagRoute } from '../../app/api/v1/tags/route';
import { DELETE as deleteTagRoute, GET as getTagRoute, PATCH as updateTagRoute } from '../../app/api/v1/tags/[id]/route';
import { POST as addAssetsRoute } from '../../app/api/v1/tags/[id]/assets/route';
import { DELETE as removeAssetRoute } from '../../app/api/v1/tags/[id]/assets/[assetId]/route';
import { LOCAL_TOKEN_HEADER } from '../../lib/http/with-api';
import { openProcessDb } from '../api-access/process-db';

// Calls the /api/v1/tags handlers as the local CLI, which holds every permission; the
// authorization matrix test covers who may call them.

const LOCAL_TOKEN = 'tags-api-local-token';
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

const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

describe('/api/v1/tags', () => {
  it('creates, changes, tags assets and deletes', async () => {
    const now = new Date();
    const [asset] = await db.insert(assets).values({ name: 'api-tagged.example.test', firstSeen: now, lastSeen: now }).returning({ id: assets.id });
    if (!asset) throw new Error('asset insert returned no row');

    const created = await createTagRoute(request('POST', '/api/v1/tags', { name: 'API tag', criticalityScore: 3 }));
    expect(created.status).toBe(201);
    const tag = (await created.json()) as { id: number; name: string; criticalityScore: number };
    expect(tag.name).toBe('API tag');
    const id = String(tag.id);

    const added = await addAssetsRoute(request('POST', `/api/v1/tags/${id}/assets`, { assetIds: [asset.id] }), params({ id }));
    expect(await added.json()).toEqual({ added: 1 });

    const updated = await updateTagRoute(request('PATCH', `/api/v1/tags/${id}`, { criticalityScore: 5 }), params({ id }));
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { criticalityScore: number }).criticalityScore).toBe(5);

    const listed = (await (await listTagsRoute(request('GET', '/api/v1/tags'))).json()) as { tags: { id: number; assetCount: number }[] };
    expect(listed.tags.find((entry) => entry.id === tag.id)?.assetCount).toBe(1);

    const removed = await removeAssetRoute(request('DELETE', `/api/v1/tags/${id}/assets/${asset.id}`), params({ id, assetId: String(asset.id) }));
    expect(await removed.json()).toEqual({ removed: 1 });

    const deleted = await deleteTagRoute(request('DELETE', `/api/v1/tags/${id}`), params({ id }));
    expect(deleted.status).toBe(204);
    const missing = await getTagRoute(request('GET', `/api/v1/tags/${id}`), params({ id }));
    expect(missing.status).toBe(404);
  });

  it.each([
    [{ name: '' }, /name: a tag name must not be empty/],
    [{ name: 'Bad score', criticalityScore: 0 }, /criticalityScore/],
  ])('rejects invalid input %j with 400', async (body, message) => {
    const response = await createTagRoute(request('POST', '/api/v1/tags', body));
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('invalid_input');
    expect(error.error.message).toMatch(message);
  });

  it('rejects a duplicate name with 400', async () => {
    await createTagRoute(request('POST', '/api/v1/tags', { name: 'Twice' }));
    const response = await createTagRoute(request('POST', '/api/v1/tags', { name: 'twice' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/already exists/);
  });
});
