import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { savedSearches, savedSearchScope } from '../../db/schema';
import { AppError } from '../http/app-error';
import { checkQuery } from '../query/check';
import { isQueryError } from '../query/errors';
import { MAX_QUERY_LENGTH } from '../query/parser';

/** Most saved searches one user may keep per list, so the menu stays short enough to scan. */
export const MAX_SAVED_SEARCHES = 100;

export const savedSearchScopeSchema = z.enum(savedSearchScope.enumValues);

export const listSavedSearchesInputSchema = z.object({ scope: savedSearchScopeSchema.optional() });

export const saveSearchInputSchema = z.object({
  scope: savedSearchScopeSchema,
  name: z.string().trim().min(1).max(100),
  query: z.string().max(MAX_QUERY_LENGTH),
});

export type SaveSearchInput = z.infer<typeof saveSearchInputSchema>;

export interface SavedSearchItem {
  id: number;
  scope: (typeof savedSearchScope.enumValues)[number];
  name: string;
  query: string;
  updatedAt: string;
}

function toItem(row: typeof savedSearches.$inferSelect): SavedSearchItem {
  return { id: row.id, scope: row.scope, name: row.name, query: row.query, updatedAt: row.updatedAt.toISOString() };
}

/** Lists a user's saved searches by name, for one list or all. */
export async function listSavedSearches(db: Db, userId: number, scope?: SavedSearchItem['scope']): Promise<SavedSearchItem[]> {
  const rows = await db
    .select()
    .from(savedSearches)
    .where(and(eq(savedSearches.userId, userId), scope ? eq(savedSearches.scope, scope) : undefined))
    .orderBy(asc(savedSearches.scope), asc(savedSearches.name));
  return rows.map(toItem);
}

/**
 * Saves a query under a name, replacing the user's search of the same name on the same list.
 * Throws AppError `invalid_input` for a query that does not check, so a saved search always loads.
 */
export async function saveSearch(db: Db, userId: number, input: SaveSearchInput): Promise<SavedSearchItem> {
  try {
    checkQuery(input.query);
  } catch (error) {
    if (isQueryError(error)) throw new AppError('invalid_input', `query: ${error.message}`);
    throw error;
  }

  const [countRow] = await db
    .select({ value: sql<number>`count(*)::integer` })
    .from(savedSearches)
    .where(and(eq(savedSearches.userId, userId), eq(savedSearches.scope, input.scope)));
  const [existing] = await db
    .select({ id: savedSearches.id })
    .from(savedSearches)
    .where(and(eq(savedSearches.userId, userId), eq(savedSearches.scope, input.scope), eq(savedSearches.name, input.name)));
  if (!existing && (countRow?.value ?? 0) >= MAX_SAVED_SEARCHES) {
    throw new AppError('invalid_input', `you already have ${MAX_SAVED_SEARCHES} saved searches for ${input.scope}; delete one before saving another`);
  }

  const [row] = await db
    .insert(savedSearches)
    .values({ userId, scope: input.scope, name: input.name, query: input.query })
    .onConflictDoUpdate({ target: [savedSearches.userId, savedSearches.scope, savedSearches.name], set: { query: input.query, updatedAt: new Date() } })
    .returning();
  return toItem(row!);
}

/** Deletes one of the user's saved searches; throws AppError `not_found` when the user has none with that id. */
export async function deleteSavedSearch(db: Db, userId: number, id: number): Promise<void> {
  const deleted = await db
    .delete(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning({ id: savedSearches.id });
  if (deleted.length === 0) throw new AppError('not_found', `saved search ${id} was not found`);
}
