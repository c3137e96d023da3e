import { boolean, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { userRole } from './enums';

export const users = pgTable(
  'users',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    email: text().notNull(),
    name: text(),
    /** scrypt hash in the form `scrypt$N$r$p$salt$hash` (lib/auth/password.ts). */
    passwordHash: text().notNull(),
    role: userRole().notNull().default('reader'),
    active: boolean().notNull().default(true),
    /** Off: the user's API clients get 403 from /api/v1 whatever they hold (lib/auth/permissions.ts). */
    apiAccess: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex('users_email_key').on(sql`lower(${table.email})`)],
);

/** Instance-wide key-value settings, such as the generated session-signing secret. */
export const appSettings = pgTable('app_settings', {
  key: text().primaryKey(),
  value: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type User = typeof users.$inferSelect;
