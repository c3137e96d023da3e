import { fileURLToPath } from 'node:url';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { jobs } from '../../db/schema';
import { getSessionSecret } from '../../lib/auth/session-secret';
import { createUser } from '../../lib/auth/users';
import { openProcessDb } from '../api-access/process-db';

// The server actions read the session cookie through next/headers, which only a Next.js request
// provides. This test hands them the cookie of a real user instead; the session lookup is real.
const sessionCookies = vi.hoisted(() => ({ value: [] as { name: string; value: string }[] }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ getAll: () => sessionCookies.value }),
  headers: async () => new Headers(),
}));

// The actions import through the `@/` path of tsconfig.json, which Vitest does not resolve alone.
vi.mock('@/lib/auth/action-guard', () => import('../../lib/auth/action-guard'));
vi.mock('@/lib/auth/session', () => import('../../lib/auth/session'));
vi.mock('@/lib/identification/alias-store', () => import('../../lib/identification/alias-store'));
vi.mock('@/lib/identification/preview', () => import('../../lib/identification/preview'));
vi.mock('@/lib/identification/settings', () => import('../../lib/identification/settings'));

let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await openProcessDb());
}, 120_000);

afterAll(async () => {
  await cleanup();
});

describe('alias server actions', () => {
  it('record the signed-in user on the job', async () => {
    const admin = await createUser(db, { email: 'aliases-actions@example.com', password: 'aliases actions password', role: 'admin' });
    const token = await encode({ token: { sub: String(admin.id), email: admin.email, role: admin.role }, secret: await getSessionSecret(db) });
    sessionCookies.value = [{ name: 'next-auth.session-token', value: token }];
    const actions = await import(fileURLToPath(new URL('../../app/(app)/admin/identification/actions.ts', import.meta.url)));

    const saved = await actions.saveAliasAction({ kind: 'vendor', alias: 'Acme Software', canonical: 'acme' });
    expect(saved).toMatchObject({ ok: true });
    const [saveJob] = await db.select().from(jobs);
    expect(saveJob?.payload).toEqual({ requestedBy: admin.id });

    // The first job ran, so the deletion queues its own.
    await db.delete(jobs);
    const deleted = await actions.deleteAliasAction({ kind: 'vendor', alias: 'Acme Software' });
    expect(deleted).toMatchObject({ ok: true });
    const [deleteJob] = await db.select().from(jobs);
    expect(deleteJob?.payload).toEqual({ requestedBy: admin.id });
  });
});
