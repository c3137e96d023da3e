import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { recordAudit } from '../api-access/audit';
import { touchClient } from '../api-access/clients';
import { verifyAccessToken } from '../api-access/tokens';
import { ROLE_GRANTS, emptyGrants, hasPermission, type Grants, type Module, type Permission } from '../auth/permissions';
import { parseCookieHeader, authenticateSessionCookies } from '../auth/session-token';
import type { SessionUser } from '../auth/users';
import { hasRunningImports } from '../jobs/running-imports';
import { logger } from '../log';
import { AppError, formatIssues } from './app-error';

/** Header the local CLI sends, with the value of RISKBOARD_LOCAL_TOKEN, to import through a running server. */
export const LOCAL_TOKEN_HEADER = 'x-riskboard-local-token';

/** The exact 403 message when a token's client or user has API access turned off. */
export const API_ACCESS_DENIED_MESSAGE = 'The user does not have permission to access the API module.';

/** The caller of an API request. */
export type Principal =
  | { kind: 'session'; user: SessionUser }
  /** A bearer token of an API client; `grants` are the token's, limited by the client's and the user's current ones. */
  | { kind: 'token'; user: SessionUser; clientId: string; grants: Grants }
  /** The riskboard CLI on this machine, trusted like an admin because it can read the data folder anyway. */
  | { kind: 'local-cli' }
  /** No credentials; only `public` routes see it. */
  | { kind: 'anonymous' };

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

/**
 * What a route needs. A module route needs `permission` on `module` (lib/auth/permissions.ts).
 * `account` routes manage the caller's own API clients and accept browser sessions only, so a
 * token can never mint or rotate credentials. `public` routes need no credentials.
 */
export type RouteAccess = { module: Module; permission: Permission } | { module: 'account'; permission: Permission } | { module: 'public'; permission: 'read' };

export type ApiOptions<Input, Params> = RouteAccess & {
  /** Schema of the query (GET, HEAD, DELETE) or JSON body; failures become 400 `invalid_input`. */
  input?: z.ZodType<Input>;
  /** Schema of the dynamic route segments; failures become 404 `not_found`, as no such resource exists. */
  params?: z.ZodType<Params>;
  /**
   * Lets a browser session skip the read of its user while a background import keeps the
   * embedded database busy, and reuse this process's last check instead. Only for reads that are
   * served from memory during an import, such as a running import's progress.
   */
  reuseSessionCheck?: boolean;
};

/** The second argument Next.js passes to a route handler. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export type RouteHandler = ((request: Request, context?: RouteContext) => Promise<Response>) & {
  /** The options the route was declared with, so tests and the OpenAPI document read the same declaration. */
  readonly declaration: RouteAccess;
};

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
  const route = async (request: Request, routeContext?: RouteContext): Promise<Response> => {
    const incomingId = request.headers.get('x-request-id');
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const url = new URL(request.url);
    const log = logger.child({ module: 'api', requestId, method: request.method, path: url.pathname });
    const startedAt = performance.now();

    let response: Response;
    try {
      const { principal, db } = await authenticate(request, options, log, options.reuseSessionCheck === true);
      await authorize(principal, options, request, db);
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
  return Object.assign(route, { declaration: options });
}

/** A 401 for an invalid bearer token, with the RFC 6750 challenge asking the client for a new token. */
class InvalidTokenError extends AppError {
  constructor(message: string) {
    super('unauthorized', message);
  }
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

async function parseParams<Input, Params>(options: ApiOptions<Input, Params>, routeContext: RouteContext | undefined, url: URL): Promise<Params> {
  if (!options.params) return undefined as Params;
  const raw = (await routeContext?.params) ?? {};
  const parsed = options.params.safeParse(raw);
  if (!parsed.success) throw new AppError('not_found', `${url.pathname} was not found`);
  return parsed.data;
}

async function authenticate(request: Request, access: RouteAccess, log: Logger, reuseSessionCheck: boolean): Promise<{ principal: Principal; db: Db }> {
  if (access.module === 'public') return { principal: { kind: 'anonymous' }, db: await getDb() };

  const localToken = request.headers.get(LOCAL_TOKEN_HEADER);
  if (localToken !== null) {
    if (!matchesLocalToken(localToken)) {
      log.warn('rejected a request with a wrong or unexpected local CLI token');
      throw new AppError('unauthorized', 'the local CLI token is invalid; restart the server or run the command without it');
    }
    return { principal: { kind: 'local-cli' }, db: await getDb() };
  }

  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = BEARER.exec(authorization);
    if (!match?.[1]) throw new InvalidTokenError('the Authorization header must be "Bearer <access token>"');
    const db = await getDb();
    const check = await verifyAccessToken(db, match[1]);
    if (!check.ok) {
      await recordAudit(db, 'token_rejected', { clientId: check.clientId, userId: check.userId, detail: { reason: check.reason } });
      throw new InvalidTokenError(
        check.reason === 'expired' ? 'the access token has expired; request a new one from /oauth/token' : 'the access token is invalid, revoked or belongs to a deactivated user; request a new one from /oauth/token',
      );
    }
    await touchClient(db, check.client);
    const user: SessionUser = { id: check.owner.id, email: check.owner.email, name: null, role: check.owner.role };
    return { principal: { kind: 'token', user, clientId: check.client.clientId, grants: check.grants }, db };
  }

  const cookieHeader = request.headers.get('cookie');
  if (cookieHeader) {
    const db = await getDb();
    // Only this process can change users while it has the embedded database open, and it forgets
    // a user's check when it does, so the reused check is as current as a read would be.
    const reuseRecentCheck = reuseSessionCheck && !process.env.DATABASE_URL && hasRunningImports();
    const user = await authenticateSessionCookies(db, parseCookieHeader(cookieHeader), { reuseRecentCheck });
    if (user) return { principal: { kind: 'session', user }, db };
  }
  throw new AppError('unauthorized', 'sign in first, or send an access token as "Authorization: Bearer <token>"');
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

/** Returns what a principal holds; the local CLI acts as an admin because it can read the data folder anyway. */
function grantsOf(principal: Principal): Grants {
  if (principal.kind === 'token') return principal.grants;
  if (principal.kind === 'session') return ROLE_GRANTS[principal.user.role];
  if (principal.kind === 'local-cli') return ROLE_GRANTS.admin;
  return emptyGrants();
}

async function deny(db: Db, principal: Principal, access: RouteAccess, message: string): Promise<never> {
  const userId = principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined;
  const clientId = principal.kind === 'token' ? principal.clientId : undefined;
  await recordAudit(db, 'access_denied', { userId, clientId, detail: { module: access.module, permission: access.permission, principal: principal.kind } });
  throw new AppError('forbidden', message);
}

/** Checks the route's declared module and permission; anything not granted is denied. */
async function authorize(principal: Principal, access: RouteAccess, request: Request, db: Db): Promise<void> {
  if (access.module === 'public') return;

  if (principal.kind === 'session') {
    // A cookie-authenticated write from another site is a cross-site request forgery. The
    // session cookie is SameSite=Lax, which already stops cross-site POSTs in current browsers;
    // this also rejects sibling subdomains ("same-site"), which Lax lets through.
    const fetchSite = request.headers.get('sec-fetch-site');
    const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (isWrite && fetchSite !== null && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      throw new AppError('forbidden', 'requests that change data must come from this site');
    }
  }

  if (principal.kind === 'token' && !principal.grants.access.api) return deny(db, principal, access, API_ACCESS_DENIED_MESSAGE);

  if (access.module === 'account') {
    if (principal.kind !== 'session') return deny(db, principal, access, 'API clients are managed from a signed-in browser session only; open View Profile, then Auth ID Client Management');
    return;
  }

  if (!hasPermission(grantsOf(principal), access.module, access.permission)) {
    const holder = principal.kind === 'token' ? `API client ${principal.clientId}` : `your role (${principal.kind === 'session' ? principal.user.role : principal.kind})`;
    return deny(db, principal, access, `this action needs the ${access.permission} permission on ${access.module}, which ${holder} does not hold`);
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
    const headers: Record<string, string> = {};
    if (error instanceof InvalidTokenError) headers['www-authenticate'] = 'Bearer realm="riskboard", error="invalid_token"';
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers });
  }

  log.error({ err: error }, 'api request failed with an unexpected error');
  return Response.json(
    { error: { code: 'internal', message: `internal error; the server log has the details under request id ${requestId}` } },
    { status: 500 },
  );
}

/** Returns the signed-in user of an `account` route, which the guard lets through for sessions only. */
export function sessionUserOf(principal: Principal): SessionUser {
  if (principal.kind !== 'session') throw new AppError('forbidden', 'this route needs a signed-in browser session');
  return principal.user;
}
