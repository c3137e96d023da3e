import { recordAudit } from '../api-access/audit';
import { AppError } from '../http/app-error';
import { logger } from '../log';
import type { Db } from '../../db/client';
import { hasPermission, MODULE_LABELS, ROLE_GRANTS, type Module, type Permission } from './permissions';
import { getCurrentSession } from './session';

/** Result of a server action for its client island: the data, or a message to show. */
export type ActionResult<Data = null> = { ok: true; data: Data } | { ok: false; error: string };

const log = logger.child({ module: 'actions' });

/**
 * Runs a server action for the signed-in user: checks the session and the permission on the
 * module, then turns an AppError into its message. Other errors are logged and shown as a
 * generic failure, so internals stay in the server log.
 */
export async function runAction<Data>(
  access: { module: Module; permission: Permission; action: string },
  work: (db: Db) => Promise<Data>,
): Promise<ActionResult<Data>> {
  const session = await getCurrentSession();
  if (!session) return { ok: false, error: 'Your session has ended; sign in again and retry.' };

  const { user, db } = session;
  if (!hasPermission(ROLE_GRANTS[user.role], access.module, access.permission)) {
    await recordAudit(db, 'access_denied', { userId: user.id, detail: { module: access.module, permission: access.permission, action: access.action, principal: 'session' } });
    return { ok: false, error: `Your role (${user.role}) may not change ${MODULE_LABELS[access.module].toLowerCase()}; ask an administrator for the analyst role.` };
  }

  try {
    return { ok: true, data: await work(db) };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, error: sentence(error.message) };
    log.error({ err: error, action: access.action, userId: user.id }, 'server action failed');
    return { ok: false, error: 'The change failed because of a server error; the server log has the details.' };
  }
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return text.endsWith('.') ? text : `${text}.`;
}
