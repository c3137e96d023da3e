import type { SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { AppError } from '../http/app-error';
import type { Entity } from './catalog';
import { checkQuery, type CheckedNode } from './check';
import { compileQuery } from './compile';
import { isQueryError } from './errors';
import { DEFAULT_TIME_ZONE, getOrganizationTimeZone } from './settings';

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
  // The setting is read only when a date needs it, which saves a round trip on most queries.
  const timeZone = checked && usesTimeZone(checked) ? await getOrganizationTimeZone(db) : DEFAULT_TIME_ZONE;
  return compileQuery(checked, entity, { timeZone });
}

/** Whether a query has a date or a timestamp without a zone, whose instant depends on the time zone. */
function usesTimeZone(node: CheckedNode): boolean {
  if (node.kind === 'not') return usesTimeZone(node.child);
  if (node.kind !== 'condition') return node.children.some(usesTimeZone);
  return node.anyOf.some((tests) => tests.some((test) => test.kind === 'time' && test.at.kind !== 'instant'));
}
