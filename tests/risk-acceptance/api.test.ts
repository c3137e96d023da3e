import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { GET as listRoute, POST as createRoute } from '../../app/api/v1/risk-acceptances/route';
import { DELETE as revokeRoute, GET as getRoute, PATCH as updateRoute } from '../../app/api/v1/risk-acceptances/[id]/route';
import { GET as matchesRoute } from '../../app/api/v1/risk-acceptances/matches/route';
import { GET as expiringRoute } from '../../app/api/v1/risk-acceptances/expiring/route';
import { LOCAL_TOKEN_HEADER } from '../../lib/http/with-api';
import { openProcessDb } from '../api-access/process-db';
import { createSmallEstate, daysFrom, type SmallEstate } from './helpers';

// Calls the /api/v1/risk-acceptances handlers as the local CLI, which has every permission. The
// authorization matrix test covers who may call them.

const LOCAL_TOKEN = 'risk-acceptance-api-local-token';
let db: Db;
let cleanup: () => Promise<void>;
let estate: SmallEstate;

beforeAll(async () => {
  ({ db, cleanup } = await openProcessDb());
  process.env.RISKBOARD_LOCAL_TOKEN = LOCAL_TOKEN;
  estate = await createSmallEstate(db, 'api');
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

describe('/api/v1/risk-acceptances', () => {
  it('creates, lists, changes and revokes a rule', async () => {
    const count = await matchesRoute(request('GET', `/api/v1/risk-acceptances/matches?query=${encodeURIComponent('finding.severity:critical')}`));
    expect(await count.json()).toEqual({ count: 1 });

    const created = await createRoute(
      request('POST', '/api/v1/risk-acceptances', {
        name: 'API rule',
        type: 'RISK_ACCEPTED',
        reasonType: 'compensating_control',
        justification: 'Segmented network.',
        query: `finding.id:${estate.criticalId}`,
        endDate: daysFrom(new Date(), 5).toISOString(),
      }),
    );
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: number; state: string; findingCount: number; createdBy: string | null };
    expect(rule).toMatchObject({ state: 'active', findingCount: 1, createdBy: null });
    const id = String(rule.id);

    const listed = (await (await listRoute(request('GET', '/api/v1/risk-acceptances?state=active'))).json()) as { rules: { id: number }[] };
    expect(listed.rules.map((entry) => entry.id)).toEqual([rule.id]);
    const expiring = (await (await expiringRoute(request('GET', '/api/v1/risk-acceptances/expiring'))).json()) as { rules: { id: number; daysLeft: number }[] };
    expect(expiring.rules).toEqual([expect.objectContaining({ id: rule.id, daysLeft: 5 })]);

    const updated = await updateRoute(request('PATCH', `/api/v1/risk-acceptances/${id}`, { justification: 'Segmented network and WAF.' }), params({ id }));
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { justification: string }).justification).toBe('Segmented network and WAF.');

    const revoked = await revokeRoute(request('DELETE', `/api/v1/risk-acceptances/${id}`), params({ id }));
    expect(((await revoked.json()) as { state: string }).state).toBe('revoked');
    expect(((await (await getRoute(request('GET', `/api/v1/risk-acceptances/${id}`), params({ id }))).json()) as { state: string }).state).toBe('revoked');
  });

  it('answers 400 naming the field, and 404 for an unknown rule', async () => {
    const bad = await createRoute(request('POST', '/api/v1/risk-acceptances', { name: 'x', type: 'RISK_ACCEPTED', reasonType: 'other', justification: 'y', query: 'finding.severity:critical', endDate: null }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/endDate/);
    const badQuery = await matchesRoute(request('GET', `/api/v1/risk-acceptances/matches?query=${encodeURIComponent('finding.severity:urgent')}`));
    expect(badQuery.status).toBe(400);
    expect((await getRoute(request('GET', '/api/v1/risk-acceptances/999999'), params({ id: '999999' }))).status).toBe(404);
  });
});
