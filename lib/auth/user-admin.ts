import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import { recordAudit } from '../api-access/audit';
import { AppError, parseOrThrow } from '../http/app-error';
import type { UserRole } from './users';
import { forgetUserCheck } from './recent-user-checks';

/** A user as the admin users page lists it. */
export interface AdminUserRow {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
  active: boolean;
  apiAccess: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export const updateUserInputSchema = z
  .object({
    active: z.boolean().optional(),
    apiAccess: z.boolean().optional(),
  })
  .refine((value) => value.active !== undefined || value.apiAccess !== undefined, { message: 'send active, apiAccess or both' });
export type UpdateUserInput = z.input<typeof updateUserInputSchema>;

export async function listUsersForAdmin(db: Db): Promise<AdminUserRow[]> {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      apiAccess: users.apiAccess,
      createdAt: users.createdAt,
      lastSignInAt: users.lastSignInAt,
    })
    .from(users)
    .orderBy(asc(users.email));
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), lastSignInAt: row.lastSignInAt?.toISOString() ?? null }));
}

/**
 * Deactivates or reactivates a user and turns their API access on or off. A deactivated user can
 * neither sign in nor use any token, because sessions and tokens re-read the user on every
 * request. `actorId` is the admin acting, or undefined for the CLI; an admin cannot deactivate
 * themselves, which would lock out the last admin.
 */
export async function updateUser(db: Db, actorId: number | undefined, target: { id: number } | { email: string }, input: UpdateUserInput): Promise<AdminUserRow> {
  const { active, apiAccess } = parseOrThrow(updateUserInputSchema, input);
  const where = 'id' in target ? eq(users.id, target.id) : eq(sql`lower(${users.email})`, target.email.trim().toLowerCase());
  const [existing] = await db.select({ id: users.id, active: users.active, apiAccess: users.apiAccess }).from(users).where(where).limit(1);
  const label = 'id' in target ? `user ${target.id}` : `a user with the email ${target.email}`;
  if (!existing) throw new AppError('not_found', `${label} was not found`);
  if (actorId === existing.id && active === false) throw new AppError('invalid_input', 'you cannot deactivate your own account; ask another admin');

  const changes: { active?: boolean; apiAccess?: boolean } = {};
  if (active !== undefined) changes.active = active;
  if (apiAccess !== undefined) changes.apiAccess = apiAccess;
  await db.update(users).set(changes).where(eq(users.id, existing.id));
  forgetUserCheck(existing.id);

  if (active !== undefined && active !== existing.active) {
    await recordAudit(db, active ? 'user_reactivated' : 'user_deactivated', { userId: existing.id, detail: { by: actorId ?? 'cli' } });
  }
  if (apiAccess !== undefined && apiAccess !== existing.apiAccess) {
    await recordAudit(db, 'user_api_access_changed', { userId: existing.id, detail: { by: actorId ?? 'cli', apiAccess } });
  }

  const [row] = (await listUsersForAdmin(db)).filter((candidate) => candidate.id === existing.id);
  if (!row) throw new AppError('not_found', `${label} was not found`);
  return row;
}
