import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { riskAcceptanceNotices } from '../../db/schema';
import { createUser } from '../../lib/auth/users';
import { listExpiringRules, noticeThresholds, sendExpiryNotices } from '../../lib/risk-acceptance/expiry';
import { createRiskAcceptanceRule, revokeRiskAcceptanceRule } from '../../lib/risk-acceptance/rules';
import { createTestDb, testDbKind } from '../helpers/test-db';
import { createSmallEstate, daysFrom, type SmallEstate } from './helpers';

interface Received {
  from: string;
  to: string[];
  body: string;
}

let handle: DbHandle;
let db: Db;
let estate: SmallEstate;
let server: SMTPServer;
let port: number;
const received: Received[] = [];

const NOW = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  estate = await createSmallEstate(db, 'notices');
  // A local SMTP server on a free port of 127.0.0.1; nothing leaves the machine.
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          // Undoes quoted-printable soft line breaks, so phrases can be searched.
          body: Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, ''),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the SMTP server has no port');
  port = address.port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await handle?.close();
});

function mail() {
  return { transport: nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }), from: 'Riskboard <riskboard@example.test>' };
}

describe(`expiry notices (${testDbKind})`, () => {
  it('uses the rule period, then one day before', () => {
    expect(noticeThresholds(14)).toEqual([14, 1]);
    expect(noticeThresholds(1)).toEqual([1]);
    expect(noticeThresholds(0)).toEqual([]);
  });

  it('sends one notice per rule and threshold, however often it runs', async () => {
    const owner = await createUser(db, { email: 'owner@example.com', password: 'owner password here', role: 'manager' });
    const rule = await createRiskAcceptanceRule(
      db,
      {
        name: 'Legacy TLS',
        type: 'RISK_ACCEPTED',
        reasonType: 'business_decision',
        justification: 'The old terminals cannot speak TLS 1.2.',
        query: `finding.id:${estate.lowId}`,
        startDate: '2026-03-01',
        endDate: '2026-03-24T12:00:00Z',
        notifyDaysBefore: 14,
      },
      { userId: owner.id },
      NOW,
    );
    // Nine days left, inside the 14-day notice period.
    expect((await listExpiringRules(db, NOW)).map((entry) => [entry.name, entry.daysLeft])).toEqual([['Legacy TLS', 9]]);
    // Without mail settings nothing is sent or recorded.
    expect(await sendExpiryNotices(db, NOW, undefined)).toBe(0);
    expect(await db.select().from(riskAcceptanceNotices)).toHaveLength(0);

    expect(await sendExpiryNotices(db, NOW, mail())).toBe(1);
    expect(await sendExpiryNotices(db, NOW, mail())).toBe(0);
    expect(await sendExpiryNotices(db, daysFrom(NOW, 2), mail())).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'riskboard@example.test', to: ['owner@example.com'] });
    expect(received[0]!.body).toContain('Legacy TLS');
    expect(received[0]!.body).toContain('ends in 9 days');

    // Half a day before the end, the one-day notice goes out, once.
    const lastDay = new Date('2026-03-24T00:00:00Z');
    expect(await sendExpiryNotices(db, lastDay, mail())).toBe(1);
    expect(await sendExpiryNotices(db, lastDay, mail())).toBe(0);
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toContain('ends in 1 day');
    const recorded = await db.select({ threshold: riskAcceptanceNotices.thresholdDays }).from(riskAcceptanceNotices);
    expect(recorded.map((row) => row.threshold).sort((a, b) => a - b)).toEqual([1, 14]);

    // After the end the rule leaves the list.
    expect(await listExpiringRules(db, new Date('2026-03-25T00:00:00Z'))).toEqual([]);
    await revokeRiskAcceptanceRule(db, rule.id, { userId: owner.id }, NOW);
  });

  it('retries a notice whose mail failed', async () => {
    await createRiskAcceptanceRule(
      db,
      {
        name: 'Retry me',
        type: 'RISK_ACCEPTED',
        reasonType: 'other',
        justification: 'Testing a mail failure.',
        query: `finding.id:${estate.mediumId}`,
        startDate: '2026-03-01',
        endDate: '2026-03-20',
        notifyDaysBefore: 7,
      },
      { userId: null },
      NOW,
    );
    await createUser(db, { email: 'admin@example.com', password: 'admin password here', role: 'admin' });
    // Nothing listens on port 1 of 127.0.0.1: the mail fails and nothing is recorded.
    const broken = { transport: nodemailer.createTransport({ host: '127.0.0.1', port: 1, secure: false, connectionTimeout: 2000 }), from: 'riskboard@example.test' };
    expect(await sendExpiryNotices(db, NOW, broken)).toBe(0);
    const before = received.length;
    expect(await sendExpiryNotices(db, NOW, mail())).toBe(1);
    // The rule has no creator, so the active admins get it.
    expect(received[before]?.to).toEqual(['admin@example.com']);
  });
});
