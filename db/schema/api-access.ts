import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Grants } from '../../lib/auth/permissions';
import { users } from './users';

/** OAuth2 clients that users create for integrations; each one gets tokens through the client-credentials grant. */
export const apiClients = pgTable(
  'api_clients',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** Public identifier sent as `client_id`, e.g. `rbc_3f9…`. */
    clientId: text().notNull(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    /** What the client may do, never more than its user holds (checked when saved and on every request). */
    grants: jsonb().$type<Grants>().notNull(),
    /** scrypt hash of the client secret (lib/auth/password.ts); the secret itself is shown once and never stored. */
    secretHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    secretRotatedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex('api_clients_client_id_key').on(table.clientId), index('api_clients_user_id_idx').on(table.userId)],
);

/**
 * ES256 keys that sign access tokens. The newest key without `retired_at` signs; retired keys stay
 * published in the JWKS until `publish_until`, when the last token they signed has expired.
 */
export const signingKeys = pgTable('signing_keys', {
  kid: text().primaryKey(),
  algorithm: text().notNull(),
  publicJwk: jsonb().$type<Record<string, unknown>>().notNull(),
  /** PKCS#8 private key encrypted with AES-256-GCM (lib/api-access/signing-keys.ts). */
  privateKeyEncrypted: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp({ withTimezone: true }),
  publishUntil: timestamp({ withTimezone: true }),
});

export const auditEvent = pgEnum('audit_event', [
  'token_issued',
  'token_rejected',
  'access_denied',
  'client_created',
  'client_secret_rotated',
  'client_revoked',
  'user_deactivated',
  'user_reactivated',
  'user_api_access_changed',
  'signing_key_rotated',
]);

/** Security events of API access. Rows never contain a client secret or a token. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    event: auditEvent().notNull(),
    /** The user acting or affected, when known. */
    userId: integer().references(() => users.id, { onDelete: 'set null' }),
    /** The `client_id` involved, kept as text so a row survives its client and records unknown ids. */
    clientId: text(),
    /** Why a request failed or what changed, e.g. `{ reason: 'invalid_secret' }`. */
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [index('audit_log_at_idx').on(table.at), index('audit_log_client_id_idx').on(table.clientId)],
);

export type ApiClient = typeof apiClients.$inferSelect;
export type SigningKey = typeof signingKeys.$inferSelect;
