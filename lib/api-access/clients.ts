import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { apiClients, users, type ApiClient } from '../../db/schema';
import { hashPassword, verifyPassword } from '../auth/password';
import { grantsBeyond, grantsSchema, intersectGrants, userGrants, type Grants } from '../auth/permissions';
import type { UserRole } from '../auth/users';
import { AppError, parseOrThrow } from '../http/app-error';
import { recordAudit } from './audit';

/** Maximum number of clients per user, so a runaway script cannot fill the table. */
export const MAX_CLIENTS_PER_USER = 50;

export const newClientSchema = z.object({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
  description: z.string().trim().max(500).optional(),
  grants: grantsSchema,
});
/** A new client's fields as a caller sends them, or as `newClientSchema` already parsed them. */
export type NewClientInput = z.input<typeof newClientSchema> | z.output<typeof newClientSchema>;

/** A client as the profile page and the API list it, without the secret hash. */
export interface ClientSummary {
  id: number;
  clientId: string;
  name: string;
  description: string | null;
  grants: Grants;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'revoked';
}

/** The user a client acts for, as the token endpoint and the API guard check it. */
export interface ClientOwner {
  id: number;
  email: string;
  role: UserRole;
  active: boolean;
  apiAccess: boolean;
}

function toSummary(row: ApiClient): ClientSummary {
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    description: row.description,
    grants: row.grants,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status: row.revokedAt ? 'revoked' : 'active',
  };
}

function newClientId(): string {
  return `rbc_${randomBytes(12).toString('hex')}`;
}

/** 32 random bytes: guessing is hopeless, so the scrypt hash only protects a leaked database. */
function newClientSecret(): string {
  return `rbs_${randomBytes(32).toString('base64url')}`;
}

/** Returns a user with their status and API access switch, as clients are checked against them. */
export async function getClientOwner(db: Db, userId: number): Promise<ClientOwner | undefined> {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, active: users.active, apiAccess: users.apiAccess })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

/** Returns the owner's grants now: their role's grants, limited by the admin's API access switch. */
export function ownerGrants(owner: ClientOwner): Grants {
  return userGrants(owner.role, { apiAccess: owner.apiAccess });
}

/**
 * Creates a client for a user and returns it with its secret, which is stored only as a scrypt
 * hash and cannot be shown again. Throws `forbidden` when the grants exceed what the user holds.
 */
export async function createClient(db: Db, userId: number, input: NewClientInput): Promise<{ client: ClientSummary; clientSecret: string }> {
  const { name, description, grants } = parseOrThrow(newClientSchema, input);
  const owner = await getClientOwner(db, userId);
  if (!owner?.active) throw new AppError('unauthorized', 'your account is deactivated; ask an administrator to reactivate it');

  const excess = grantsBeyond(grants, ownerGrants(owner));
  if (excess.length > 0) {
    throw new AppError('forbidden', `a client cannot hold more than its user; your ${owner.role} role lacks ${excess.join(', ')}. Remove these and try again`);
  }

  const existing = await db.$count(apiClients, and(eq(apiClients.userId, userId), isNull(apiClients.revokedAt)));
  if (existing >= MAX_CLIENTS_PER_USER) {
    throw new AppError('invalid_input', `you already have ${existing} active clients, the maximum; revoke one you no longer use first`);
  }

  const clientSecret = newClientSecret();
  const [row] = await db
    .insert(apiClients)
    .values({ clientId: newClientId(), userId, name, description: description || null, grants, secretHash: await hashPassword(clientSecret) })
    .returning();
  if (!row) throw new Error('insert into api_clients returned no row');
  await recordAudit(db, 'client_created', { userId, clientId: row.clientId, detail: { name } });
  return { client: toSummary(row), clientSecret };
}

/** Lists a user's clients, newest first, revoked ones included so the history stays visible. */
export async function listClients(db: Db, userId: number): Promise<ClientSummary[]> {
  const rows = await db.select().from(apiClients).where(eq(apiClients.userId, userId)).orderBy(desc(apiClients.createdAt), desc(apiClients.id));
  return rows.map(toSummary);
}

async function findOwnClient(db: Db, userId: number, id: number): Promise<ApiClient> {
  const [row] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.id, id), eq(apiClients.userId, userId)))
    .limit(1);
  // Another user's client is reported as missing, so ids of other users' clients are not revealed.
  if (!row) throw new AppError('not_found', `API client ${id} was not found among your clients`);
  return row;
}

/** Replaces a client's secret and returns the new one; the old secret stops working at once, tokens already issued keep working. */
export async function rotateClientSecret(db: Db, userId: number, id: number): Promise<{ client: ClientSummary; clientSecret: string }> {
  const row = await findOwnClient(db, userId, id);
  if (row.revokedAt) throw new AppError('invalid_input', `API client ${row.clientId} is revoked; create a new client instead`);
  const clientSecret = newClientSecret();
  const [updated] = await db
    .update(apiClients)
    .set({ secretHash: await hashPassword(clientSecret), secretRotatedAt: new Date() })
    .where(eq(apiClients.id, row.id))
    .returning();
  if (!updated) throw new AppError('not_found', `API client ${id} was not found among your clients`);
  await recordAudit(db, 'client_secret_rotated', { userId, clientId: row.clientId });
  return { client: toSummary(updated), clientSecret };
}

/** Revokes a client: its secret and every token it was issued stop working on the next request. */
export async function revokeClient(db: Db, userId: number, id: number): Promise<ClientSummary> {
  const row = await findOwnClient(db, userId, id);
  if (row.revokedAt) return toSummary(row);
  const [updated] = await db.update(apiClients).set({ revokedAt: new Date() }).where(eq(apiClients.id, row.id)).returning();
  if (!updated) throw new AppError('not_found', `API client ${id} was not found among your clients`);
  await recordAudit(db, 'client_revoked', { userId, clientId: row.clientId });
  return toSummary(updated);
}

export type ClientCheck =
  | { ok: true; client: ApiClient; owner: ClientOwner; grants: Grants }
  | { ok: false; reason: 'unknown_client' | 'client_revoked' | 'user_inactive' | 'invalid_secret'; userId?: number };

/**
 * Loads a client with its owner and checks both are usable: the client exists and is not revoked,
 * and its user is active. With `secret`, also verifies the client secret. The returned grants are
 * the client's limited to its user's grants now, so a lowered role or API access applies at once.
 */
export async function checkClient(db: Db, clientId: string, secret?: string): Promise<ClientCheck> {
  const [row] = await db
    .select({ client: apiClients, owner: { id: users.id, email: users.email, role: users.role, active: users.active, apiAccess: users.apiAccess } })
    .from(apiClients)
    .innerJoin(users, eq(users.id, apiClients.userId))
    .where(eq(apiClients.clientId, clientId))
    .limit(1);
  if (!row) return { ok: false, reason: 'unknown_client' };

  const userId = row.owner.id;
  if (secret !== undefined && !(await verifyPassword(secret, row.client.secretHash))) return { ok: false, reason: 'invalid_secret', userId };
  if (row.client.revokedAt) return { ok: false, reason: 'client_revoked', userId };
  if (!row.owner.active) return { ok: false, reason: 'user_inactive', userId };
  return { ok: true, client: row.client, owner: row.owner, grants: intersectGrants(row.client.grants, ownerGrants(row.owner)) };
}

/** Minimum time between two writes of `last_used_at`, so a busy script does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Records that a client was used now. It writes at most once a minute per client (LAST_USED_RESOLUTION_MS). */
export async function touchClient(db: Db, client: ApiClient): Promise<void> {
  const now = new Date();
  if (client.lastUsedAt && now.getTime() - client.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await db.update(apiClients).set({ lastUsedAt: now }).where(eq(apiClients.id, client.id));
}
