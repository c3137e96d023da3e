/**
 * Limits failed sign-ins per email and per client address, so a password cannot be guessed at the
 * speed scrypt allows. Counters live in this process's memory: a restart resets them, and servers
 * behind a load balancer each count on their own.
 */
export const SIGN_IN_LIMITS = {
  /** Failed attempts allowed per email within the window. */
  perEmail: 10,
  /** Failed attempts allowed per client address within the window, across emails. */
  perAddress: 50,
  windowMs: 15 * 60 * 1000,
} as const;

/** Keys tracked at most, so a flood of random emails cannot exhaust memory. */
const MAX_KEYS = 100_000;

const failures = new Map<string, number[]>();

/** True when this email or address has too many recent failures; the attempt must be rejected. */
export function isSignInThrottled(email: string, address: string | undefined, now = Date.now()): boolean {
  if (recent(`email:${email.toLowerCase()}`, now).length >= SIGN_IN_LIMITS.perEmail) return true;
  return address !== undefined && recent(`address:${address}`, now).length >= SIGN_IN_LIMITS.perAddress;
}

export function recordSignInFailure(email: string, address: string | undefined, now = Date.now()): void {
  push(`email:${email.toLowerCase()}`, now);
  if (address !== undefined) push(`address:${address}`, now);
}

/** Clears the email's failures after a successful sign-in. */
export function clearSignInFailures(email: string): void {
  failures.delete(`email:${email.toLowerCase()}`);
}

function recent(key: string, now: number): number[] {
  const times = (failures.get(key) ?? []).filter((time) => now - time < SIGN_IN_LIMITS.windowMs);
  if (times.length === 0) failures.delete(key);
  else failures.set(key, times);
  return times;
}

function push(key: string, now: number): void {
  if (!failures.has(key) && failures.size >= MAX_KEYS) {
    // Drop the oldest key; Map iterates in insertion order.
    const oldest = failures.keys().next().value;
    if (oldest !== undefined) failures.delete(oldest);
  }
  failures.set(key, [...recent(key, now), now]);
}
