import type { SessionUser } from './users';

const GLOBAL_KEY = Symbol.for('riskboard.auth.recentUserChecks');

/** Upper bound on the age of a reused check, however long an import runs. */
const MAX_AGE_MS = 60 * 60 * 1000;

/**
 * The latest successful active-user check of each user in this process. On the embedded
 * database a background import uses the only connection, so a route that opts in may accept
 * this check instead of waiting for the database (see `reuseSessionCheck` in lib/http/with-api.ts).
 * Every change to a user forgets it. Kept on globalThis because Next.js may load this module
 * once per bundle.
 */
const checks: Map<number, { user: SessionUser; checkedAt: number }> = ((globalThis as Record<symbol, unknown>)[GLOBAL_KEY] ??= new Map()) as Map<
  number,
  { user: SessionUser; checkedAt: number }
>;

export function rememberUserCheck(user: SessionUser, now = Date.now()): void {
  checks.set(user.id, { user, checkedAt: now });
}

/** Drops the recorded check of a user whose role, state or access changed. */
export function forgetUserCheck(userId: number): void {
  checks.delete(userId);
}

/** Returns the user as last found active, if that check is at most an hour old. */
export function recentUserCheck(userId: number, now = Date.now()): SessionUser | undefined {
  const check = checks.get(userId);
  if (!check || now - check.checkedAt > MAX_AGE_MS) return undefined;
  return check.user;
}
