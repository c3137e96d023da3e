import { decode } from 'next-auth/jwt';
import type { Db } from '../../db/client';
import { getSessionSecret } from './session-secret';
import { recentUserCheck, rememberUserCheck } from './recent-user-checks';
import { findActiveUserById, type SessionUser } from './users';

// next-auth v4 names its JWT cookie with the __Secure- prefix when the site runs on https. Both
// are tried: a browser only sends a __Secure- cookie that was set over https, and either one
// must still decrypt with the session secret.
const SESSION_COOKIE_NAMES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

/** Reads cookies by name; a `Map`, Next.js's `cookies()` store and a parsed header all fit. */
export interface CookieReader {
  getAll(): { name: string; value: string }[];
}

/** Parses a `Cookie` request header; values are percent-decoded as next-auth encodes them. */
export function parseCookieHeader(header: string | null): CookieReader {
  const entries: { name: string; value: string }[] = [];
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    const raw = part.slice(separator + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // A malformed escape is kept as sent; it will then fail to decrypt like any other junk.
    }
    entries.push({ name, value });
  }
  return { getAll: () => entries };
}

/**
 * Joins the session cookie, which next-auth splits into `name.0`, `name.1`, … when the token is
 * larger than one cookie can hold.
 */
function readSessionCookie(cookies: CookieReader, name: string): string | undefined {
  const chunks = cookies
    .getAll()
    .filter((cookie) => cookie.name === name || cookie.name.startsWith(`${name}.`))
    .map((cookie) => ({ index: cookie.name === name ? 0 : Number(cookie.name.slice(name.length + 1)), value: cookie.value }))
    .filter((chunk) => Number.isInteger(chunk.index))
    .sort((a, b) => a.index - b.index);
  if (chunks.length === 0) return undefined;
  return chunks.map((chunk) => chunk.value).join('');
}

/**
 * Returns the signed-in user for a request's cookies, or undefined when there is no session
 * cookie, it does not decrypt with the session secret, it has expired, or its user is no longer
 * active. The user row is read on every call, so deactivating a user ends their sessions, unless
 * `reuseRecentCheck` is set: then this process's last check of the user, at most an hour old,
 * is used instead (lib/auth/recent-user-checks.ts).
 */
export async function authenticateSessionCookies(db: Db, cookies: CookieReader, options: { reuseRecentCheck?: boolean } = {}): Promise<SessionUser | undefined> {
  const secret = await getSessionSecret(db);

  for (const name of SESSION_COOKIE_NAMES) {
    const token = readSessionCookie(cookies, name);
    if (!token) continue;

    let payload: Awaited<ReturnType<typeof decode>>;
    try {
      // decode() rejects tokens that fail decryption and, through jose, tokens past their `exp`.
      payload = await decode({ token, secret });
    } catch {
      continue;
    }

    const userId = Number(payload?.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0) continue;
    const recent = options.reuseRecentCheck ? recentUserCheck(userId) : undefined;
    if (recent) return recent;
    const user = await findActiveUserById(db, userId);
    if (user) rememberUserCheck(user);
    return user;
  }
  return undefined;
}
