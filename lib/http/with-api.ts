import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { hasRole } from '../auth/roles';
import { parseCookieHeader, authenticateSessionCookies } from '../auth/session-token';
import type { SessionUser, UserRole } from '../auth/users';
import { logger } from '../log';
import { AppError, formatIssues } from './app-error';

/** Header the local CLI sends, with the value of RISKBOARD_LOCAL_TOKEN, to import through a running server. */
export const LOCAL_TOKEN_HEADER = 'x-riskboard-local-token';

/** The caller of an API request. */
export type Principal =
  | { kind: 'session'; user: SessionUser }
  /** The riskboard CLI on this machine, trusted like an admin because it can read the data folder anyway. */
  | { kind: 'local-cli' };

export interface ApiContext<Input, Params> {
  request: Request;
  /** The query (GET, HEAD, DELETE) or JSON body, parsed by `options.input`. */
  input: Input;
  /** The dynamic route segments, parsed by `options.params`. */
  params: Params;
  principal: Principal;
  db: Db;
  /** Child logger carrying the request id, method and path. */
  log: Logger;
  requestId: string;
}

export interface ApiOptions<Input, Params> {
  /** Schema of the query (GET, HEAD, DELETE) or JSON body; failures become 400 `invalid_input`. */
  input?: z.ZodType<Input>;
  /** Schema of the dynamic route segments; failures become 404 `not_found`, as no such resource exists. */
  params?: z.ZodType<Params>;
  /** Lowest role allowed; readers may call every route that sets none. */
  minimumRole?: UserRole;
}

/** The second argument Next.js passes to a route handler. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Wraps a `/api/v1` route handler: authenticates the caller, checks the role, parses input and
 * route params with zod, and turns every error into `{ error: { code, message } }` with the
 * status of its AppError code. The handler returns a Response, or a value sent as JSON with 200.
 */
export function withApi<Input = undefined, Params = undefined>(
  options: ApiOptions<Input, Params>,
  handler: (context: ApiContext<Input, Params>) => Promise<unknown>,
): RouteHandler {
  return async (request, routeContext) => {
    const incomingId = request.headers.get('x-request-id');
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const url = new URL(request.url);
    const log = logger.child({ module: 'api', requestId, method: request.method, path: url.pathname });
    const startedAt = performance.now();

    let response: Response;
    try {
      const { principal, db } = await authenticate(request, log);
      authorize(principal, options.minimumRole, request);
      const params = await parseParams(options, routeContext, url);
      const input = await parseInput(options, request, url);

      const result = await handler({ request, input, params, principal, db, log, requestId });
      response = result instanceof Response ? result : Response.json(result);
    } catch (error) {
      response = errorResponse(error, log, requestId);
    }

    response.headers.set('x-request-id', requestId);
    response.headers.set('cache-control', 'no-store');
    log.debug({ status: response.status, durationMs: Math.round(performance.now() - startedAt) }, 'api request finished');
    return response;
  };
}

async function parseParams<Input, Params>(options: ApiOptions<Input, Params>, routeContext: RouteContext | undefined, url: URL): Promise<Params> {
  if (!options.params) return undefined as Params;
  const raw = (await routeContext?.params) ?? {};
  const parsed = options.params.safeParse(raw);
  if (!parsed.success) throw new AppError('not_found', `${url.pathname} was not found`);
  return parsed.data;
}

async function authenticate(request: Request, log: Logger): Promise<{ principal: Principal; db: Db }> {
  const localToken = request.headers.get(LOCAL_TOKEN_HEADER);
  if (localToken !== null) {
    if (!matchesLocalToken(localToken)) {
      log.warn('rejected a request with a wrong or unexpected local CLI token');
      throw new AppError('unauthorized', 'the local CLI token is invalid; restart the server or run the command without it');
    }
    return { principal: { kind: 'local-cli' }, db: await getDb() };
  }

  // TODO: API tokens (`Authorization: Bearer …`) for scripts and integrations are not accepted
  // yet; check them here, before the session cookie, once the tokens table exists.

  const cookieHeader = request.headers.get('cookie');
  if (cookieHeader) {
    const db = await getDb();
    const user = await authenticateSessionCookies(db, parseCookieHeader(cookieHeader));
    if (user) return { principal: { kind: 'session', user }, db };
  }
  throw new AppError('unauthorized', 'sign in first, or send the local CLI token');
}

/**
 * Compares in constant time. Both sides are hashed first because `timingSafeEqual` needs equal
 * lengths, and comparing lengths directly would tell an attacker the token's length.
 */
function matchesLocalToken(candidate: string): boolean {
  const expected = process.env.RISKBOARD_LOCAL_TOKEN;
  if (!expected) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(candidate), digest(expected));
}

function authorize(principal: Principal, minimumRole: UserRole | undefined, request: Request): void {
  if (principal.kind !== 'session') return;

  // A cookie-authenticated write from another site is a cross-site request forgery. The
  // session cookie is SameSite=Lax, which already stops cross-site POSTs in current browsers;
  // this also rejects sibling subdomains ("same-site"), which Lax lets through.
  const fetchSite = request.headers.get('sec-fetch-site');
  const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
  if (isWrite && fetchSite !== null && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new AppError('forbidden', 'requests that change data must come from this site');
  }

  if (minimumRole && !hasRole(principal.user.role, minimumRole)) {
    throw new AppError('forbidden', `this action needs the ${minimumRole} role or higher; your role is ${principal.user.role}`);
  }
}

async function parseInput<Input, Params>(options: ApiOptions<Input, Params>, request: Request, url: URL): Promise<Input> {
  if (!options.input) return undefined as Input;

  let raw: unknown;
  if (['GET', 'HEAD', 'DELETE'].includes(request.method)) {
    raw = Object.fromEntries(url.searchParams);
  } else {
    try {
      raw = await request.json();
    } catch {
      throw new AppError('invalid_input', 'the request body is not valid JSON');
    }
  }

  const parsed = options.input.safeParse(raw);
  if (!parsed.success) throw new AppError('invalid_input', formatIssues(parsed.error));
  return parsed.data;
}

function errorResponse(error: unknown, log: Logger, requestId: string): Response {
  if (error instanceof AppError) {
    if (error.status >= 500) log.error({ err: error, code: error.code }, 'api request failed');
    else log.info({ code: error.code, message: error.message }, 'api request rejected');
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }

  log.error({ err: error }, 'api request failed with an unexpected error');
  return Response.json(
    { error: { code: 'internal', message: `internal error; the server log has the details under request id ${requestId}` } },
    { status: 500 },
  );
}
