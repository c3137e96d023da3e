import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Db } from '../../db/client';
import type { ApiClient } from '../../db/schema';
import { ACCESS_KINDS, MODULES, PERMISSIONS, emptyGrants, grantsBeyond, grantsSchema, intersectGrants, type Grants } from '../auth/permissions';
import { checkClient, type ClientOwner } from './clients';
import { tokenConfig } from './config';
import { SIGNING_ALGORITHM, findVerificationKey, getActiveSigningKey } from './signing-keys';

/** Turns grants into OAuth scope values: `findings:read`, `findings:write`, …, `access:api`, `access:ui`. */
export function grantsToScope(grants: Grants): string {
  const values: string[] = [];
  for (const moduleName of MODULES) for (const permission of PERMISSIONS) if (grants.modules[moduleName].includes(permission)) values.push(`${moduleName}:${permission}`);
  for (const kind of ACCESS_KINDS) if (grants.access[kind]) values.push(`access:${kind}`);
  return values.join(' ');
}

/** Parses a `scope` parameter into grants; returns the unknown values instead when there are any. */
export function scopeToGrants(scope: string): { grants: Grants; unknown: string[] } {
  const grants = emptyGrants();
  const unknown: string[] = [];
  for (const value of scope.split(' ').filter(Boolean)) {
    const [left, right, ...rest] = value.split(':');
    if (rest.length === 0 && left === 'access' && (ACCESS_KINDS as readonly string[]).includes(right ?? '')) {
      grants.access[right as (typeof ACCESS_KINDS)[number]] = true;
    } else if (rest.length === 0 && (MODULES as readonly string[]).includes(left ?? '') && (PERMISSIONS as readonly string[]).includes(right ?? '')) {
      const moduleName = left as (typeof MODULES)[number];
      grants.modules[moduleName] = [...new Set([...grants.modules[moduleName], right as (typeof PERMISSIONS)[number]])];
    } else {
      unknown.push(value);
    }
  }
  return { grants, unknown };
}

export type ScopeResult = { ok: true; grants: Grants } | { ok: false; description: string };

/** Narrows a client's grants to a requested scope; a scope beyond the client's grants is rejected, not trimmed. */
export function resolveScope(clientGrants: Grants, scope: string | undefined): ScopeResult {
  if (scope === undefined || scope.trim() === '') return { ok: true, grants: clientGrants };
  const { grants, unknown } = scopeToGrants(scope);
  if (unknown.length > 0) return { ok: false, description: `unknown scope values: ${unknown.join(', ')}; use module:read, module:write, access:api or access:ui` };
  const excess = grantsBeyond(grants, clientGrants);
  if (excess.length > 0) return { ok: false, description: `the client does not hold ${excess.join(', ')}` };
  return { ok: true, grants };
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/** Signs an access token for a client with the active ES256 key. */
export async function issueAccessToken(db: Db, client: ApiClient, owner: ClientOwner, grants: Grants): Promise<IssuedToken> {
  const config = tokenConfig();
  const key = await getActiveSigningKey(db);
  const scope = grantsToScope(grants);
  const accessToken = await new SignJWT({
    client_id: client.clientId,
    email: owner.email,
    scope,
    permissions: grants.modules,
    access: grants.access,
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(String(owner.id))
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${config.lifetimeSeconds}s`)
    .sign(key.privateKey);
  return { accessToken, expiresIn: config.lifetimeSeconds, scope };
}

const claimsSchema = z.object({
  sub: z.string().regex(/^[1-9]\d*$/),
  client_id: z.string().min(1),
  permissions: grantsSchema.shape.modules,
  access: grantsSchema.shape.access,
});

export type TokenCheck =
  | { ok: true; client: ApiClient; owner: ClientOwner; grants: Grants }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'expired' | 'invalid_signature_or_claims' | 'client_revoked' | 'user_inactive' | 'unknown_client' | 'subject_mismatch'; clientId?: string; userId?: number };

/**
 * Verifies a bearer token: ES256 only (so `alg: none` and HMAC tokens fail), a published `kid`,
 * signature, `exp`, `iss` and `aud`. Then it re-reads the client and its user, so a revoked client
 * or a deactivated user is rejected on the very next request. The grants returned are the token's
 * limited by the client's and the user's current ones.
 */
export async function verifyAccessToken(db: Db, token: string): Promise<TokenCheck> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== SIGNING_ALGORITHM || typeof header.kid !== 'string') return { ok: false, reason: 'malformed' };
    kid = header.kid;
  } catch {
    return { ok: false, reason: 'malformed' };
  }

  const key = await findVerificationKey(db, kid);
  if (!key) return { ok: false, reason: 'unknown_key' };

  const config = tokenConfig();
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (error) {
    return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid_signature_or_claims' };
  }

  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return { ok: false, reason: 'invalid_signature_or_claims' };
  const clientId = claims.data.client_id;

  const check = await checkClient(db, clientId);
  if (!check.ok) return { ok: false, reason: check.reason === 'invalid_secret' ? 'unknown_client' : check.reason, clientId, userId: check.userId };
  if (String(check.owner.id) !== claims.data.sub) return { ok: false, reason: 'subject_mismatch', clientId, userId: check.owner.id };

  const tokenGrants: Grants = { modules: claims.data.permissions, access: claims.data.access };
  return { ok: true, client: check.client, owner: check.owner, grants: intersectGrants(tokenGrants, check.grants) };
}
