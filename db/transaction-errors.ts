/**
 * SQLSTATE codes of errors after which the whole transaction may simply run again:
 * 40P01 deadlock_detected and 40001 serialization_failure (Postgres, "PostgreSQL Error Codes").
 */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

/** Maximum depth of `cause` links followed; drizzle wraps the driver's error once. */
const MAX_CAUSE_DEPTH = 5;

/**
 * True when `error`, or an error it wraps as `cause`, is a deadlock or serialization failure,
 * so the caller may roll back and run the transaction again. postgres.js (PostgresError) and
 * PGlite (DatabaseError) both put the SQLSTATE in `code`; drizzle-orm 0.45 wraps them in
 * DrizzleQueryError with the driver's error as `cause`.
 */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}

/** True when a `NOWAIT` lock found the row locked: SQLSTATE 55P03 lock_not_available. */
export function isLockNotAvailableError(error: unknown): boolean {
  return sqlState(error) === '55P03';
}

/**
 * Returns the constraint a unique violation (SQLSTATE 23505) broke, or undefined for any other
 * error. postgres.js names it in `constraint_name` and PGlite in `constraint`.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const fields = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (fields.code === '23505') {
      const name = fields.constraint_name ?? fields.constraint;
      return typeof name === 'string' ? name : undefined;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Returns the SQLSTATE of `error` or of the first error in its `cause` chain that has one. */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
