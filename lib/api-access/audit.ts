import type { Db } from '../../db/client';
import { auditEvent, auditLog } from '../../db/schema';
import { logger } from '../log';

const log = logger.child({ module: 'audit' });

export type AuditEvent = (typeof auditEvent.enumValues)[number];

export interface AuditEntry {
  userId?: number | null;
  clientId?: string | null;
  /** Reason or change, never a secret or a token. */
  detail?: Record<string, unknown>;
}

/**
 * Writes one row to audit_log and the same event to the log. A failed write is logged and not
 * thrown, because an audit outage must not turn a denial into a 500 or hide the original error.
 */
export async function recordAudit(db: Db, event: AuditEvent, entry: AuditEntry = {}): Promise<void> {
  const row = { event, userId: entry.userId ?? null, clientId: entry.clientId ?? null, detail: entry.detail ?? {} };
  log.info(row, `audit: ${event}`);
  try {
    await db.insert(auditLog).values(row);
  } catch (error) {
    log.error({ err: error, event }, 'writing the audit_log row failed');
  }
}
