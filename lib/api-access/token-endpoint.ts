import type { Db } from '../../db/client';
import { logger } from '../log';
import { recordAudit } from './audit';
import { checkClient, touchClient } from './clients';
import { TokenBucketLimiter } from './rate-limit';
import { issueAccessToken, resolveScope } from './tokens';

const log = logger.child({ module: 'oauth' });

/** Ten token requests in a burst, then one every six seconds, per client id and per process. */
export const tokenRequestLimiter = new TokenBucketLimiter(10, 1 / 6);

/** Largest token request body; a client-credentials request is a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** Builds an RFC 6749 section 5.2 error response; `invalid_client` is 401 with a Basic challenge, the others 400. */
export function oauthError(code: OAuthErrorCode, description: string): Response {
  const status = code === 'invalid_client' ? 401 : 400;
  const headers: Record<string, string> = { ...NO_STORE };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="riskboard", charset="UTF-8"';
  return Response.json({ error: code, error_description: description }, { status, headers });
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Reads `client_secret_basic`: RFC 6749 section 2.3.1 form-encodes id and secret before base64. */
function basicCredentials(header: string): Parsed<ClientCredentials> {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return { ok: false, response: oauthError('invalid_client', 'the Authorization header is not valid Basic credentials') };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return { ok: false, response: oauthError('invalid_client', 'the Basic credentials need the form client_id:client_secret') };
  try {
    const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return { ok: true, value: { clientId: decode(decoded.slice(0, separator)), clientSecret: decode(decoded.slice(separator + 1)), method: 'client_secret_basic' } };
  } catch {
    return { ok: false, response: oauthError('invalid_client', 'the Basic credentials contain an invalid percent-encoding') };
  }
}

async function readForm(request: Request): Promise<Parsed<URLSearchParams>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return { ok: false, response: oauthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded') };
  }
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) return { ok: false, response: oauthError('invalid_request', `the request body is larger than ${MAX_BODY_BYTES} bytes`) };
  const form = new URLSearchParams(body);
  for (const name of new Set(form.keys())) {
    // RFC 6749 section 3.2: request parameters must not be included more than once.
    if (form.getAll(name).length > 1) return { ok: false, response: oauthError('invalid_request', `the parameter ${name} appears more than once`) };
  }
  return { ok: true, value: form };
}

function clientCredentials(request: Request, form: URLSearchParams): Parsed<ClientCredentials> {
  const authorization = request.headers.get('authorization');
  const postId = form.get('client_id');
  const postSecret = form.get('client_secret');

  if (authorization !== null) {
    // RFC 6749 section 2.3: a client must not use more than one authentication method per request.
    if (postSecret !== null) return { ok: false, response: oauthError('invalid_request', 'send the client secret either in the Authorization header or in the body, not both') };
    const basic = basicCredentials(authorization);
    if (basic.ok && postId !== null && postId !== basic.value.clientId) {
      return { ok: false, response: oauthError('invalid_request', 'client_id in the body differs from the one in the Authorization header') };
    }
    return basic;
  }
  if (postId && postSecret) return { ok: true, value: { clientId: postId, clientSecret: postSecret, method: 'client_secret_post' } };
  return { ok: false, response: oauthError('invalid_client', 'client authentication is missing; send client_id and client_secret with HTTP Basic or in the body') };
}

/**
 * Handles `POST /oauth/token` for the client-credentials grant (RFC 6749 section 4.4). Every
 * response carries `Cache-Control: no-store`. Issuance and every failure after the client is
 * named are written to the audit log, without the secret or the token.
 */
export async function handleTokenRequest(db: Db, request: Request): Promise<Response> {
  const form = await readForm(request);
  if (!form.ok) return form.response;

  const credentials = clientCredentials(request, form.value);
  if (!credentials.ok) return credentials.response;
  const { clientId, clientSecret, method } = credentials.value;

  // The limit is taken before the secret is checked, so guessing a client's secret is slowed too.
  const retryAfter = tokenRequestLimiter.take(clientId);
  if (retryAfter > 0) {
    await recordAudit(db, 'token_rejected', { clientId, detail: { reason: 'rate_limited' } });
    return Response.json(
      { error: 'slow_down', error_description: `too many token requests for this client; retry in ${retryAfter} seconds` },
      { status: 429, headers: { ...NO_STORE, 'retry-after': String(retryAfter) } },
    );
  }

  const grantType = form.value.get('grant_type');
  if (!grantType) return oauthError('invalid_request', 'grant_type is missing; use grant_type=client_credentials');

  const check = await checkClient(db, clientId, clientSecret);
  if (!check.ok) {
    await recordAudit(db, 'token_rejected', { clientId, userId: check.userId, detail: { reason: check.reason, method } });
    if (check.reason === 'user_inactive') return oauthError('invalid_grant', 'the user of this client is deactivated; ask an administrator to reactivate the user');
    if (check.reason === 'client_revoked') return oauthError('invalid_client', 'this client is revoked; create a new client in your profile');
    return oauthError('invalid_client', 'unknown client_id or wrong client_secret');
  }

  if (grantType !== 'client_credentials') {
    await recordAudit(db, 'token_rejected', { clientId, userId: check.owner.id, detail: { reason: 'unsupported_grant_type', grantType: grantType.slice(0, 64) } });
    return oauthError('unsupported_grant_type', `grant_type ${grantType.slice(0, 64)} is not supported; use client_credentials`);
  }

  const scope = resolveScope(check.grants, form.value.get('scope') ?? undefined);
  if (!scope.ok) {
    await recordAudit(db, 'token_rejected', { clientId, userId: check.owner.id, detail: { reason: 'invalid_scope' } });
    return oauthError('invalid_scope', scope.description);
  }

  const issued = await issueAccessToken(db, check.client, check.owner, scope.grants);
  await touchClient(db, check.client);
  await recordAudit(db, 'token_issued', { clientId, userId: check.owner.id, detail: { method, scope: issued.scope, expiresIn: issued.expiresIn } });
  log.debug({ clientId, userId: check.owner.id }, 'issued an access token');
  return Response.json(
    { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope },
    { headers: NO_STORE },
  );
}
