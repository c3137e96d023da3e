import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client';
import { createClient, listClients, revokeClient, rotateClientSecret } from '../../lib/api-access/clients';
import { TokenBucketLimiter } from '../../lib/api-access/rate-limit';
import { ROLE_GRANTS, emptyGrants } from '../../lib/auth/permissions';
import { updateUser } from '../../lib/auth/user-admin';
import { createUser, type SessionUser } from '../../lib/auth/users';
import { AppError } from '../../lib/http/app-error';
import { createTestDb } from '../helpers/test-db';

let handle: DbHandle;
let alice: SessionUser;
let bob: SessionUser;

beforeAll(async () => {
  handle = await createTestDb();
  alice = await createUser(handle.db, { email: 'alice@example.com', password: 'alice password 1', role: 'analyst' });
  bob = await createUser(handle.db, { email: 'bob@example.com', password: 'bob password 123', role: 'admin' });
});

afterAll(async () => {
  await handle.close();
});

describe('API clients', () => {
  it('lists clients without their secret', async () => {
    const { client, clientSecret } = await createClient(handle.db, alice.id, { name: 'SIEM export', description: 'Nightly', grants: ROLE_GRANTS.analyst });
    expect(client.status).toBe('active');
    expect(clientSecret).toMatch(/^rbs_[A-Za-z0-9_-]{43}$/);

    const listed = await listClients(handle.db, alice.id);
    expect(listed.map((item) => item.clientId)).toContain(client.clientId);
    expect(JSON.stringify(listed)).not.toContain(clientSecret);
    expect(JSON.stringify(listed)).not.toContain('scrypt');
  });

  it('rejects grants beyond the user', async () => {
    const error = await createClient(handle.db, alice.id, { name: 'too much', grants: ROLE_GRANTS.admin }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('forbidden');
    expect((error as AppError).message).toContain('administration:read');
  });

  it('rejects API access once the user lost it', async () => {
    const carol = await createUser(handle.db, { email: 'carol@example.com', password: 'carol password 1', role: 'reader' });
    await updateUser(handle.db, bob.id, { id: carol.id }, { apiAccess: false });
    const grants = emptyGrants();
    grants.access.api = true;
    await expect(createClient(handle.db, carol.id, { name: 'x', grants })).rejects.toThrow(/access:api/);
  });

  it('rejects an empty name', async () => {
    await expect(createClient(handle.db, alice.id, { name: '  ', grants: emptyGrants() })).rejects.toThrow(/name/);
  });

  it('hides clients of other users', async () => {
    const { client } = await createClient(handle.db, alice.id, { name: 'private', grants: emptyGrants() });
    await expect(revokeClient(handle.db, bob.id, client.id)).rejects.toThrow(/was not found/);
    await expect(rotateClientSecret(handle.db, bob.id, client.id)).rejects.toThrow(/was not found/);
    expect((await listClients(handle.db, bob.id)).map((item) => item.id)).not.toContain(client.id);
  });

  it('rejects rotating a revoked client', async () => {
    const { client } = await createClient(handle.db, alice.id, { name: 'old', grants: emptyGrants() });
    const revoked = await revokeClient(handle.db, alice.id, client.id);
    expect(revoked.status).toBe('revoked');
    await expect(rotateClientSecret(handle.db, alice.id, client.id)).rejects.toThrow(/revoked/);
  });

  it('stops an admin from deactivating themselves', async () => {
    await expect(updateUser(handle.db, bob.id, { id: bob.id }, { active: false })).rejects.toThrow(/your own account/);
  });
});

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refills over time', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(3, 1, 100, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('forgets the oldest keys past its limit', () => {
    const limiter = new TokenBucketLimiter(1, 0.001, 2, () => 0);
    limiter.take('first');
    limiter.take('second');
    limiter.take('third');
    // `first` was evicted, so it starts again with a full bucket.
    expect(limiter.take('first')).toBe(0);
    expect(limiter.take('third')).toBeGreaterThan(0);
  });
});
