import { sql } from 'drizzle-orm';

/** Passes a string array as one bound JSON parameter, never as SQL text. */
export function textArray(values: string[]) {
  return sql`array(select jsonb_array_elements_text(${toJson(values)}::jsonb))`;
}

/**
 * Serializes rows for a `json_to_recordset` parameter. Postgres text and jsonb cannot hold the
 * NUL character, which reports do contain (binary plugin output), so it is dropped here.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && item.includes('\u0000') ? item.replaceAll('\u0000', '') : item));
}
