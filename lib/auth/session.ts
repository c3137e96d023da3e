import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { Db } from '../../db/client';
import { getDb } from '../../db/client';
import { REQUEST_URL_HEADER, signInPathFor } from './callback-url';
import { authenticateSessionCookies } from './session-token';
import { countUsers, type SessionUser } from './users';

/** The signed-in user of a server page, with the database the page passes to lib/ functions. */
export interface PageSession {
  user: SessionUser;
  db: Db;
}

/**
 * Returns the signed-in user of the current request, or undefined. Cached per request, so the
 * layout and the page share one lookup.
 */
export const getCurrentSession = cache(async (): Promise<PageSession | undefined> => {
  // Reading the cookies first marks the page as dynamic before any database access, so
  // `next build` never opens the database to prerender it.
  const cookieStore = await cookies();
  const db = await getDb();
  const user = await authenticateSessionCookies(db, cookieStore);
  return user ? { user, db } : undefined;
});

/**
 * Returns the session of a server component, or redirects to /signin with a callbackUrl of the
 * current path and query (set by proxy.ts), so the visitor comes back to the same page.
 */
export async function requireSession(): Promise<PageSession> {
  const session = await getCurrentSession();
  if (session) return session;

  const currentPath = (await headers()).get(REQUEST_URL_HEADER) ?? '/';
  redirect(signInPathFor(currentPath));
}

export interface SignInPageState {
  signedIn: boolean;
  /** True when no user exists and the environment names no initial admin, so no one can sign in yet. */
  setupNeeded: boolean;
}

/** Returns what the sign-in page shows before the form: whether to skip it, or how to create the first user. */
export async function getSignInPageState(): Promise<SignInPageState> {
  const session = await getCurrentSession();
  if (session) return { signedIn: true, setupNeeded: false };

  const noAdminConfigured = !process.env.RISKBOARD_ADMIN_EMAIL || !process.env.RISKBOARD_ADMIN_PASSWORD;
  const setupNeeded = noAdminConfigured && (await countUsers(await getDb())) === 0;
  return { signedIn: false, setupNeeded };
}
