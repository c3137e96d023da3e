import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../db/client';
import { users } from '../db/schema';
import { sanitizeCallbackUrl, signInPathFor } from '../lib/auth/callback-url';
import { hashPassword, parsePasswordHash, verifyPassword } from '../lib/auth/password';
import { getSessionSecret } from '../lib/auth/session-secret';
import { countUsers, createUser, ensureInitialAdmin, findUserByEmail, verifyCredentials } from '../lib/auth/users';
import { AppError } from '../lib/http/app-error';
import { createTestDb } from './helpers/test-db';

let handle: DbHandle;
let db: Db;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});

afterAll(async () => {
  await handle?.close();
});

describe('password hashing', () => {
  it('hashes in the scrypt format with a random salt', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');

    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(first).not.toBe(second);
    expect(parsePasswordHash(first)?.salt).toHaveLength(16);
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct horse battery staple');

    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('rejects tampered hashes', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const [, n, r, p, salt, key] = hash.split('$');
    const flippedKey = Buffer.from(key!, 'base64');
    flippedKey[0] = flippedKey[0]! ^ 1;

    const tampered = [
      '',
      'plain-text-password',
      `bcrypt$${n}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key}$extra`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`,
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`,
      `scrypt$${n}$0$${p}$${salt}$${key}`,
      `scrypt$${n}$${r}$-1$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$not*base64$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}$`,
      `scrypt$${n}$${r}$${p}$${salt}$${flippedKey.toString('base64')}`,
      `scrypt$${n}$${r}$${p}$${Buffer.from('short').toString('base64')}$${key}`,
    ];
    for (const stored of tampered) {
      expect(await verifyPassword('correct horse battery staple', stored), stored).toBe(false);
    }
  });
});

describe('createUser', () => {
  it('stores a lower-cased email and a hash', async () => {
    const user = await createUser(db, { email: '  Alice@Example.COM ', password: 'a long enough password', role: 'analyst', name: 'Alice' });
    const [row] = await db.select().from(users).where(eq(users.id, user.id));

    expect(user).toEqual({ id: user.id, email: 'alice@example.com', name: 'Alice', role: 'analyst' });
    expect(row?.passwordHash.startsWith('scrypt$')).toBe(true);
    expect(row?.passwordHash).not.toContain('a long enough password');
  });

  const invalidInputs: [string, Parameters<typeof createUser>[1], RegExp][] = [
    ['invalid email', { email: 'not-an-email', password: 'a long enough password', role: 'reader' }, /email/],
    ['empty email', { email: '', password: 'a long enough password', role: 'reader' }, /email/],
    ['short password', { email: 'bob@example.com', password: 'elevenchars', role: 'reader' }, /at least 12 characters/],
    ['unknown role', { email: 'bob@example.com', password: 'a long enough password', role: 'owner' as 'reader' }, /role/],
  ];
  for (const [name, input, message] of invalidInputs) {
    it(`rejects ${name}`, async () => {
      const failure = createUser(db, input);
      await expect(failure).rejects.toBeInstanceOf(AppError);
      await expect(failure).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    });
  }

  it('rejects a duplicate email in any case', async () => {
    await createUser(db, { email: 'carol@example.com', password: 'a long enough password', role: 'reader' });
    await expect(createUser(db, { email: 'CAROL@example.com', password: 'another long password', role: 'admin' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'a user with the email carol@example.com already exists',
    });
  });

  it('rejects duplicates created at the same time', async () => {
    const attempts = await Promise.allSettled(
      [1, 2, 3].map(() => createUser(db, { email: 'race@example.com', password: 'a long enough password', role: 'reader' })),
    );
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    expect(await findUserByEmail(db, 'RACE@example.com')).toBeDefined();
  });
});

describe('verifyCredentials', () => {
  it('returns the user for the right password', async () => {
    await createUser(db, { email: 'dave@example.com', password: 'dave password 123', role: 'manager' });

    const user = await verifyCredentials(db, 'DAVE@example.com', 'dave password 123');
    const [row] = await db.select().from(users).where(eq(users.email, 'dave@example.com'));

    expect(user).toMatchObject({ email: 'dave@example.com', role: 'manager' });
    expect(user).not.toHaveProperty('passwordHash');
    expect(row?.lastSignInAt).toBeInstanceOf(Date);
  });

  it('rejects a wrong password and an unknown email', async () => {
    expect(await verifyCredentials(db, 'dave@example.com', 'dave password 124')).toBeUndefined();
    expect(await verifyCredentials(db, 'nobody@example.com', 'dave password 123')).toBeUndefined();
  });

  it('rejects an inactive user with the right password', async () => {
    const user = await createUser(db, { email: 'erin@example.com', password: 'erin password 123', role: 'admin' });
    await db.update(users).set({ active: false }).where(eq(users.id, user.id));

    expect(await verifyCredentials(db, 'erin@example.com', 'erin password 123')).toBeUndefined();
  });
});

describe('ensureInitialAdmin', () => {
  it('creates the admin only when no users exist', async () => {
    const empty = await createTestDb();
    try {
      const env = { RISKBOARD_ADMIN_EMAIL: 'Admin@Example.com', RISKBOARD_ADMIN_PASSWORD: 'initial admin password' };

      expect(await ensureInitialAdmin(empty.db, {})).toEqual({ created: false, reason: 'env_missing' });
      const results = await Promise.all([ensureInitialAdmin(empty.db, env), ensureInitialAdmin(empty.db, env)]);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(await ensureInitialAdmin(empty.db, env)).toEqual({ created: false, reason: 'users_exist' });
      expect(await countUsers(empty.db)).toBe(1);
      expect(await verifyCredentials(empty.db, 'admin@example.com', 'initial admin password')).toMatchObject({ role: 'admin' });
    } finally {
      await empty.close();
    }
  });

  it('names the variable when the password is too short', async () => {
    const empty = await createTestDb();
    try {
      await expect(ensureInitialAdmin(empty.db, { RISKBOARD_ADMIN_EMAIL: 'a@example.com', RISKBOARD_ADMIN_PASSWORD: 'short' })).rejects.toThrow(
        /RISKBOARD_ADMIN_PASSWORD is invalid: password: must be at least 12 characters/,
      );
    } finally {
      await empty.close();
    }
  });
});

describe('getSessionSecret', () => {
  it('generates one secret and keeps it', async () => {
    const saved = process.env.NEXTAUTH_SECRET;
    delete process.env.NEXTAUTH_SECRET;
    try {
      const first = await getSessionSecret(db);
      expect(first.length).toBeGreaterThanOrEqual(43);
      expect(await getSessionSecret(db)).toBe(first);

      process.env.NEXTAUTH_SECRET = 'from-the-environment';
      expect(await getSessionSecret(db)).toBe('from-the-environment');
    } finally {
      if (saved === undefined) delete process.env.NEXTAUTH_SECRET;
      else process.env.NEXTAUTH_SECRET = saved;
    }
  });
});

describe('sanitizeCallbackUrl', () => {
  const hostile = [
    'https://evil.example/',
    'http://evil.example',
    '//evil.example',
    '//evil.example/path',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    ' //evil.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'evil.example',
    'findings/1',
    '',
    '/signin',
    '/signin?callbackUrl=/findings',
    `/${'a'.repeat(3000)}`,
  ];
  for (const value of hostile) {
    it(`rejects ${JSON.stringify(value.slice(0, 40))}`, () => {
      expect(sanitizeCallbackUrl(value)).toBe('/');
    });
  }

  it('rejects values that are not strings', () => {
    expect(sanitizeCallbackUrl(undefined)).toBe('/');
    expect(sanitizeCallbackUrl(['/findings'])).toBe('/');
  });

  const allowed: [string, string][] = [
    ['/', '/'],
    ['/findings/42', '/findings/42'],
    ['/findings?sort=title&direction=asc', '/findings?sort=title&direction=asc'],
    ['/assets/7#findings', '/assets/7#findings'],
    ['/findings/../assets', '/assets'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ];
  for (const [value, expected] of allowed) {
    it(`keeps ${value}`, () => {
      expect(sanitizeCallbackUrl(value)).toBe(expected);
    });
  }

  it('builds the sign-in path with a callbackUrl', () => {
    expect(signInPathFor('/findings/42?tab=raw')).toBe('/signin?callbackUrl=%2Ffindings%2F42%3Ftab%3Draw');
    expect(signInPathFor('/')).toBe('/signin');
    expect(signInPathFor('//evil.example')).toBe('/signin');
  });
});
