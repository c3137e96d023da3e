import { integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './users';

/** The list a saved search filters. */
export const savedSearchScope = pgEnum('saved_search_scope', ['findings', 'assets']);

/** A query (lib/query) a user saved under a name for one list, to load it again later. */
export const savedSearches = pgTable(
  'saved_searches',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scope: savedSearchScope().notNull(),
    name: text().notNull(),
    query: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // The unique index also serves listing one user's searches, as user_id leads it.
  (table) => [uniqueIndex('saved_searches_user_scope_name_key').on(table.userId, table.scope, table.name)],
);

export type SavedSearch = typeof savedSearches.$inferSelect;
