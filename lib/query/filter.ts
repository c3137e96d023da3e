import type { SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { AppError } from '../http/app-error';
import type { Entity } from './catalog';
import { checkQuery } from './check';
import { compileQuery } from './compile';
import { isQueryError } from './errors';
import { getOrganizationTimeZone } from './settings';

/**
 * Parses, checks and compiles a query for a list of findings or assets, in the organization's
 * time zone. Returns undefined for an empty query. Throws AppError `invalid_input` with the
 * query error's message (which names the position) before anything reaches the database.
 */
export async function queryFilter(db: Db, entity: Entity, text: string | undefined, now: Date = new Date()): Promise<SQL | undefined> {
  if (text === undefined || text.trim() === '') return undefined;
  let checked;
  try {
    checked = checkQuery(text, { now });
  } catch (error) {
    if (isQueryError(error)) throw new AppError('invalid_input', `q: ${error.message}`, { cause: error });
    throw error;
  }
  const timeZone = await getOrganizationTimeZone(db);
  return compileQuery(checked, entity, { timeZone });
}
