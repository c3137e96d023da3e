/**
 * The closed set of failures an API call or page can report to a user. Each code has one HTTP
 * status in `APP_ERROR_STATUS`, so a route never picks a status by hand.
 */
export const APP_ERROR_CODES = [
  /** No valid session, local CLI token or API token came with the request. */
  'unauthorized',
  /** The caller is signed in but its role may not do this, or the request came from another origin. */
  'forbidden',
  /** The id in the path names no row, or is not an id at all. */
  'not_found',
  /** A query parameter, body field or cursor failed validation; the message names it. */
  'invalid_input',
  /** An uploaded report could not be imported; the message names the file and the line or field. */
  'invalid_report',
  /** The request body is larger than the configured limit. */
  'payload_too_large',
  /** Anything unexpected; details go to the server log only. */
  'internal',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export const APP_ERROR_STATUS = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  invalid_report: 422,
  payload_too_large: 413,
  internal: 500,
} as const satisfies Record<AppErrorCode, number>;

/**
 * A failure whose message is safe to show to the user. Throw it from lib/ or a route handler; the
 * API guard turns it into `{ error: { code, message } }` with the status of its code.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Formats zod issues as one line that names each field, e.g. `limit: Too big: expected number to be <=500`. */
export function formatIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parses a value with a zod schema, throwing AppError `invalid_input` that names each invalid field. */
export function parseOrThrow<Output>(schema: { safeParse(value: unknown): { success: true; data: Output } | { success: false; error: Parameters<typeof formatIssues>[0] } }, value: unknown): Output {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('invalid_input', formatIssues(parsed.error));
  return parsed.data;
}
