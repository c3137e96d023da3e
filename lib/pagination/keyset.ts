import { and, asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../http/app-error';

export type SortDirection = 'asc' | 'desc';

/** The value types a sort key can have; each decides how its cursor value is checked and cast back. */
export type SortValueType = 'integer' | 'real' | 'timestamp' | 'text';

/** One column or expression a list can be sorted by. */
export interface SortKey {
  /** The column or expression to order by; it must never be null. */
  expression: SQL | AnyColumn;
  type: SortValueType;
}

/** The last (or first) row of a page, as a cursor stores it. */
interface CursorPayload {
  /** Sort key name, so a cursor from another sort is rejected instead of skipping rows. */
  s: string;
  d: SortDirection;
  /** The row's sort value as exact text (see `cursorText`). */
  v: string;
  i: number;
  /** Set on a cursor that pages backwards, to the rows before this one. */
  b?: 1;
}

const cursorPayloadSchema = z.object({
  s: z.string().max(64),
  d: z.enum(['asc', 'desc']),
  v: z.string().max(2000),
  i: z.number().int().min(1).max(2_147_483_647),
  b: z.literal(1).optional(),
});

const VALUE_PATTERNS: Record<SortValueType, RegExp> = {
  integer: /^-?\d{1,10}$/,
  // Postgres prints real values as the shortest text that reads back to the same float4.
  real: /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i,
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  text: /^[\s\S]*$/,
};

/**
 * Renders a sort value as text that reads back to exactly the same value. Timestamps keep their
 * microseconds, because a JavaScript Date rounds to milliseconds and would skip or repeat rows
 * that differ only below that. Reals print in Postgres's shortest exact form.
 */
function cursorText(key: SortKey): SQL<string> {
  if (key.type === 'timestamp') {
    return sql<string>`to_char(${key.expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  }
  return sql<string>`(${key.expression})::text`;
}

/** Casts a cursor value back to the column's type, so the comparison happens in that type. */
function castValue(type: SortValueType, value: string): SQL {
  switch (type) {
    case 'integer':
      return sql`${value}::integer`;
    case 'real':
      return sql`${value}::real`;
    case 'timestamp':
      return sql`${value}::timestamptz`;
    case 'text':
      return sql`${value}::text`;
  }
}

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

const INVALID_CURSOR = 'cursor is invalid or belongs to another sort; remove it to start from the first page';

/** Decodes and validates a cursor for this sort, or throws AppError `invalid_input`. */
export function decodeCursor(cursor: string, sortName: string, direction: SortDirection, type: SortValueType): CursorPayload {
  if (!/^[A-Za-z0-9_-]{1,4000}$/.test(cursor)) throw new AppError('invalid_input', INVALID_CURSOR);

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('invalid_input', INVALID_CURSOR);
  }

  const parsed = cursorPayloadSchema.safeParse(json);
  if (!parsed.success) throw new AppError('invalid_input', INVALID_CURSOR);
  const payload = parsed.data;
  if (payload.s !== sortName || payload.d !== direction || !VALUE_PATTERNS[type].test(payload.v)) {
    throw new AppError('invalid_input', INVALID_CURSOR);
  }
  if (type === 'timestamp' && Number.isNaN(Date.parse(payload.v))) throw new AppError('invalid_input', INVALID_CURSOR);
  if (type === 'real' && !Number.isFinite(Number(payload.v))) throw new AppError('invalid_input', INVALID_CURSOR);
  if (type === 'integer' && Math.abs(Number(payload.v)) > 2_147_483_647) throw new AppError('invalid_input', INVALID_CURSOR);
  return payload;
}

export interface KeysetQuery {
  /** Extra filter applied before paging (for example one asset's findings). */
  where: SQL | undefined;
  orderBy: SQL[];
  /** Rows to fetch: the page size plus one, to learn whether another page exists. */
  limit: number;
  /** Select this as `cursorValue` so the page's first and last rows can become cursors. */
  cursorValue: SQL<string>;
}

export interface KeysetPage<Row> {
  rows: Row[];
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface KeysetOptions<Row extends { id: number; cursorValue: string }> {
  sortName: string;
  key: SortKey;
  idColumn: AnyColumn;
  direction: SortDirection;
  limit: number;
  cursor: string | undefined;
  where?: SQL;
  fetch: (query: KeysetQuery) => Promise<Row[]>;
}

/**
 * Reads one page of a list ordered by (sort value, id) after or before a cursor. Ties on the
 * sort value are ordered by id in the opposite direction, matching the `(value desc, id)`
 * indexes, so Postgres can read each page from an index whichever way the list is sorted.
 */
export async function fetchKeysetPage<Row extends { id: number; cursorValue: string }>(options: KeysetOptions<Row>): Promise<KeysetPage<Row>> {
  const { key, idColumn, direction, limit, sortName } = options;
  const cursor = options.cursor ? decodeCursor(options.cursor, sortName, direction, key.type) : undefined;
  const backwards = cursor?.b === 1;

  // Reading backwards walks the same order in reverse, then flips the rows back.
  const valueAscending = (direction === 'asc') !== backwards;
  const idAscending = !valueAscending;

  let after: SQL | undefined;
  if (cursor) {
    const value = castValue(key.type, cursor.v);
    const valueBeyond = valueAscending ? sql`${key.expression} > ${value}` : sql`${key.expression} < ${value}`;
    const idBeyond = idAscending ? sql`${idColumn} > ${cursor.i}` : sql`${idColumn} < ${cursor.i}`;
    after = sql`(${valueBeyond} or (${key.expression} = ${value} and ${idBeyond}))`;
  }

  const fetched = await options.fetch({
    where: and(options.where, after),
    // Sort keys are never null, but the planner matches NULLS order literally: the indexes are
    // `(value desc nulls last, id)`, read forwards or backwards, so the order must say the same.
    orderBy: [valueAscending ? sql`${key.expression} asc nulls first` : sql`${key.expression} desc nulls last`, idAscending ? asc(idColumn) : desc(idColumn)],
    limit: limit + 1,
    cursorValue: cursorText(key),
  });

  const hasMore = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (backwards) rows.reverse();

  const first = rows[0];
  const last = rows[rows.length - 1];
  const toCursor = (row: Row, back: boolean) => encodeCursor({ s: sortName, d: direction, v: row.cursorValue, i: row.id, ...(back ? { b: 1 as const } : {}) });

  // Forwards: a next page exists when more rows came back; a previous one whenever we started
  // from a cursor. Backwards it is the other way round.
  const hasNext = backwards ? cursor !== undefined : hasMore;
  const hasPrev = backwards ? hasMore : cursor !== undefined;
  return {
    rows,
    nextCursor: hasNext && last ? toCursor(last, false) : null,
    prevCursor: hasPrev && first ? toCursor(first, true) : null,
  };
}
