import { randomBytes } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { userRole, users, type User } from '../../db/schema';
import { AppError, formatIssues } from '../http/app-error';
import { logger } from '../log';
import { hashPassword, verifyPassword } from './password';

const log = logger.child({ module: 'auth' });

export type UserRole = (typeof userRole.enumValues)[number];

/** A user as the rest of the app receives it, without the password hash. */
export interface SessionUser {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
}

export const MIN_PASSWORD_LENGTH = 12;
// scrypt hashes any length, but a multi-megabyte password would make every attempt slow to hash.
const MAX_PASSWORD_LENGTH = 1024;

export const newUserSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'must be a valid email address' })),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters long` })
    .max(MAX_PASSWORD_LENGTH, { message: `must be at most ${MAX_PASSWORD_LENGTH} characters long` }),
  role: z.enum(userRole.enumValues),
  name: z.string().trim().min(1).max(200).optional(),
});

export type NewUserInput = z.input<typeof newUserSchema>;

function toSessionUser(row: Pick<User, 'id' | 'email' | 'name' | 'role'>): SessionUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** Detects a unique-index violation (SQLSTATE 23505), which drizzle may wrap in its own error. */
function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Creates a user after validating the input, storing the email lower-cased. Throws AppError
 * `invalid_input` for invalid fields and for an email that is already taken.
 */
export async function createUser(db: Db, input: NewUserInput): Promise<SessionUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_input', formatIssues(parsed.error));
  }
  const { email, password, role, name } = parsed.data;

  const duplicate = () => new AppError('invalid_input', `a user with the email ${email} already exists`);
  if (await findUserByEmail(db, email)) throw duplicate();

  const passwordHash = await hashPassword(password);
  try {
    const [row] = await db.insert(users).values({ email, passwordHash, role, name: name ?? null }).returning();
    if (!row) throw new Error('insert into users returned no row');
    log.info({ userId: row.id, role }, 'created user');
    return toSessionUser(row);
  } catch (error) {
    // Another request created the same email between the check above and this insert.
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/** Finds a user by email, ignoring case; the row includes the password hash, so keep it server-side. */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  return row;
}

/** Returns the user with this id if it exists and is active; sessions of deactivated users end here. */
export async function findActiveUserById(db: Db, id: number): Promise<SessionUser | undefined> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row?.active ? toSessionUser(row) : undefined;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ value: count() }).from(users);
  return row?.value ?? 0;
}

// Compared against when the email is unknown, so a wrong email costs the same scrypt time as a
// wrong password and response times do not reveal which emails have accounts.
let unknownUserHash: Promise<string> | undefined;

function hashForUnknownUser(): Promise<string> {
  unknownUserHash ??= hashPassword(randomBytes(24).toString('base64'));
  return unknownUserHash;
}

/**
 * Returns the user when the email belongs to an active user and the password matches, else
 * undefined. Every path runs one scrypt verification, whatever the email.
 */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<SessionUser | undefined> {
  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyPassword(password, await hashForUnknownUser());
    return undefined;
  }

  const matches = await verifyPassword(password, user.passwordHash);
  if (!matches || !user.active) return undefined;

  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  return toSessionUser(user);
}

/** The environment to read RISKBOARD_ADMIN_EMAIL and RISKBOARD_ADMIN_PASSWORD from; `process.env` fits. */
export type InitialAdminEnv = Readonly<Record<string, string | undefined>>;

export type InitialAdminResult =
  | { created: true; user: SessionUser }
  | { created: false; reason: 'users_exist' | 'env_missing' };

/**
 * Creates the first admin from RISKBOARD_ADMIN_EMAIL and RISKBOARD_ADMIN_PASSWORD when the users
 * table is empty. Safe to call on every start and from several processes at once.
 */
export async function ensureInitialAdmin(db: Db, env: InitialAdminEnv): Promise<InitialAdminResult> {
  if ((await countUsers(db)) > 0) return { created: false, reason: 'users_exist' };

  const email = env.RISKBOARD_ADMIN_EMAIL?.trim();
  const password = env.RISKBOARD_ADMIN_PASSWORD;
  if (!email || !password) {
    log.warn('no users exist and RISKBOARD_ADMIN_EMAIL or RISKBOARD_ADMIN_PASSWORD is missing, so nobody can sign in; set both and restart');
    return { created: false, reason: 'env_missing' };
  }

  try {
    const user = await createUser(db, { email, password, role: 'admin' });
    log.info({ userId: user.id }, 'created the initial admin from RISKBOARD_ADMIN_EMAIL');
    return { created: true, user };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A concurrent start created the same admin first.
    if ((await countUsers(db)) > 0) return { created: false, reason: 'users_exist' };
    throw new AppError('invalid_input', `RISKBOARD_ADMIN_EMAIL or RISKBOARD_ADMIN_PASSWORD is invalid: ${error.message}`);
  }
}
