import { z } from 'zod';

/** Largest value of a Postgres `integer`, the type of every id column. */
export const MAX_ID = 2_147_483_647;

/**
 * Parses an id from a URL segment. Returns undefined for anything but a positive decimal integer
 * that fits the id column, so `/findings/abc` or an id past the column's range is a 404, not a
 * database error.
 */
export function parseId(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id <= MAX_ID ? id : undefined;
}

/** Route params schema for `[id]` segments. */
export const idParamsSchema = z.object({
  id: z
    .string()
    .transform((text, context) => {
      const id = parseId(text);
      if (id === undefined) {
        context.addIssue({ code: 'custom', message: 'id must be a positive integer' });
        return z.NEVER;
      }
      return id;
    }),
});
