import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { users } from '../../../db/schema';
import { hashPassword } from '../../auth/password';
import { updateUser } from '../../auth/user-admin';
import { createUser, newUserSchema } from '../../auth/users';
import { openCliDatabase } from '../open-cli-db';
import { CliUsageError } from '../usage-error';

const ROLES = ['admin', 'manager', 'analyst', 'reader'] as const;

/** `riskboard users create|set-password|deactivate|reactivate`: manages accounts from the shell, e.g. the first admin. */
export async function runUsers(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      admin: { type: 'boolean', default: false },
      role: { type: 'string' },
      name: { type: 'string' },
    },
  });
  if (action === 'deactivate' || action === 'reactivate') {
    if (!values.email) throw new CliUsageError('--email is required');
    return setActive(values.email, action === 'reactivate');
  }
  if (action !== 'create' && action !== 'set-password') throw new CliUsageError('users takes "create", "set-password", "deactivate" or "reactivate"');
  if (!values.email) throw new CliUsageError('--email is required');
  // The password may also come from the environment, which keeps it out of the process list.
  const password = values.password ?? process.env.RISKBOARD_PASSWORD;
  if (!password) throw new CliUsageError('--password (or RISKBOARD_PASSWORD) is required');

  const role = values.admin ? 'admin' : (values.role ?? 'reader');
  if (!(ROLES as readonly string[]).includes(role)) throw new CliUsageError(`unknown role "${role}"; use one of ${ROLES.join(', ')}`);

  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('unreachable: users commands never go through the server');
  const { db } = database.handle;
  try {
    if (action === 'create') {
      const user = await createUser(db, { email: values.email, password, role: role as (typeof ROLES)[number], name: values.name });
      process.stdout.write(`Created ${user.role} ${user.email} (user ${user.id}).\n`);
      return 0;
    }

    const parsed = newUserSchema.pick({ password: true }).safeParse({ password });
    if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
    const updated = await db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(sql`lower(${users.email})`, values.email.trim().toLowerCase()))
      .returning({ id: users.id });
    if (updated.length === 0) throw new Error(`no user with email ${values.email}`);
    process.stdout.write(`Password of ${values.email} replaced.\n`);
    return 0;
  } finally {
    await database.handle.close();
  }
}

/** Deactivates or reactivates a user; their sessions and API tokens stop or resume working on the next request. */
async function setActive(email: string, active: boolean): Promise<number> {
  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('unreachable: users commands never go through the server');
  try {
    const user = await updateUser(database.handle.db, undefined, { email }, { active });
    process.stdout.write(active ? `Reactivated ${user.email} (user ${user.id}).\n` : `Deactivated ${user.email} (user ${user.id}); their sessions and API tokens no longer work.\n`);
    return 0;
  } finally {
    await database.handle.close();
  }
}
