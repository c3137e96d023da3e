import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { riskAcceptanceNotices } from '../../db/schema';
import { logger } from '../log';

const log = logger.child({ module: 'risk-acceptance' });
const DAY_MS = 86_400_000;

export interface ExpiringRule {
  id: number;
  name: string;
  type: string;
  endDate: string;
  notifyDaysBefore: number;
  findingCount: number;
  /** Whole days left, rounded up: 1 means it ends within a day. */
  daysLeft: number;
}

/**
 * Rules that are not revoked and end within their notice period (notifyDaysBefore days) after
 * `now`, soonest first: the in-app list of expiring risk acceptances.
 */
export async function listExpiringRules(db: Db, now = new Date()): Promise<ExpiringRule[]> {
  const at = now.toISOString();
  const rows = await queryRows<{ id: number; name: string; type: string; end_date: string | Date; notify_days_before: number; finding_count: number }>(
    db,
    sql`select r.id, r.name, r.type, r.end_date, r.notify_days_before,
          (select count(*)::int from finding_risk_acceptances m where m.rule_id = r.id) as finding_count
        from risk_acceptance_rules r
        where r.revoked_at is null and r.end_date is not null and r.notify_days_before > 0
          and r.end_date > ${at}::timestamptz and r.end_date <= ${at}::timestamptz + make_interval(days => r.notify_days_before)
        order by r.end_date, r.id`,
  );
  return rows.map((row) => {
    const endDate = new Date(row.end_date);
    return {
      id: Number(row.id),
      name: row.name,
      type: row.type,
      endDate: endDate.toISOString(),
      notifyDaysBefore: Number(row.notify_days_before),
      findingCount: Number(row.finding_count),
      daysLeft: Math.max(1, Math.ceil((endDate.getTime() - now.getTime()) / DAY_MS)),
    };
  });
}

/** Days before the end date at which a rule's notice goes out: its own period, then one day before. */
export function noticeThresholds(notifyDaysBefore: number): number[] {
  if (notifyDaysBefore <= 0) return [];
  return notifyDaysBefore > 1 ? [notifyDaysBefore, 1] : [1];
}

/** Mail settings from the environment: RISKBOARD_SMTP_URL (smtp:// or smtps://) and RISKBOARD_SMTP_FROM. */
export function mailTransportFromEnv(env: NodeJS.ProcessEnv = process.env): { transport: Transporter; from: string } | undefined {
  const url = env.RISKBOARD_SMTP_URL?.trim();
  if (!url) return undefined;
  return { transport: nodemailer.createTransport(url), from: env.RISKBOARD_SMTP_FROM?.trim() || 'Riskboard <riskboard@localhost>' };
}

interface DueRule {
  id: number;
  name: string;
  type: string;
  end_date: string | Date;
  notify_days_before: number;
  finding_count: number;
  recipients: string[] | null;
}

/**
 * Sends each expiring rule's notice by e-mail, once per rule, threshold and end date. The notice
 * rows are written before the mail goes out and removed again when it fails. So a restart never
 * sends one twice, and a failed one is retried on the next run. Recipients are the rule's creator,
 * or the active admins when the creator is gone. Without RISKBOARD_SMTP_URL nothing is sent or
 * recorded, and the in-app list is the only notice. Returns the number of e-mails sent.
 */
export async function sendExpiryNotices(db: Db, now = new Date(), mail = mailTransportFromEnv()): Promise<number> {
  const expiring = await listExpiringRules(db, now);
  if (expiring.length === 0) return 0;
  if (!mail) {
    log.info({ expiringRules: expiring.length }, 'mail is not configured (RISKBOARD_SMTP_URL); expiring risk acceptances are listed in the app only');
    return 0;
  }
  const rules = await queryRows<DueRule>(
    db,
    sql`select r.id, r.name, r.type, r.end_date, r.notify_days_before,
          (select count(*)::int from finding_risk_acceptances m where m.rule_id = r.id) as finding_count,
          coalesce(
            (select array[u.email] from users u where u.id = r.created_by and u.active),
            (select array_agg(u.email order by u.email) from users u where u.role = 'admin' and u.active)) as recipients
        from risk_acceptance_rules r where r.id = any(${sql.raw(`'{${expiring.map((rule) => rule.id).join(',')}}'::int[]`)})`,
  );

  let sent = 0;
  for (const rule of rules) {
    const endDate = new Date(rule.end_date);
    const due = noticeThresholds(Number(rule.notify_days_before)).filter((days) => now.getTime() >= endDate.getTime() - days * DAY_MS);
    const recipients = rule.recipients ?? [];
    if (due.length === 0) continue;
    if (recipients.length === 0) {
      log.warn({ ruleId: rule.id }, 'an expiring risk acceptance has no one to notify: its creator is gone and there is no active admin');
      continue;
    }
    const claimed = await db
      .insert(riskAcceptanceNotices)
      .values(due.map((thresholdDays) => ({ ruleId: Number(rule.id), thresholdDays, endDate, recipients, sentAt: now })))
      .onConflictDoNothing()
      .returning({ id: riskAcceptanceNotices.id });
    if (claimed.length === 0) continue;
    try {
      await mail.transport.sendMail(noticeMessage(mail.from, recipients, rule, endDate, now));
      sent++;
      log.info({ ruleId: rule.id, thresholds: due, recipients: recipients.length }, 'risk acceptance expiry notice sent');
    } catch (error) {
      await db.execute(sql`delete from risk_acceptance_notices where id = any(${sql.raw(`'{${claimed.map((row) => row.id).join(',')}}'::int[]`)})`);
      log.error({ ruleId: rule.id, err: error }, 'sending the risk acceptance expiry notice failed; it is retried on the next run');
    }
  }
  return sent;
}

function noticeMessage(from: string, to: string[], rule: DueRule, endDate: Date, now: Date) {
  const daysLeft = Math.max(1, Math.ceil((endDate.getTime() - now.getTime()) / DAY_MS));
  const subject = `Risk acceptance "${rule.name}" ends in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}`;
  const text = [
    `The risk acceptance rule "${rule.name}" (${rule.type}, rule ${rule.id}) ends in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}, at ${endDate.toISOString()}.`,
    `It covers ${rule.finding_count} ${Number(rule.finding_count) === 1 ? 'finding, which counts' : 'findings, which count'} toward Risk Scores again once it ends.`,
    'Prolong the rule if the risk is still accepted, or plan the fixes.',
  ].join('\n\n');
  return { from, to, subject, text };
}
