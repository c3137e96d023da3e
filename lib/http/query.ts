import { AppError } from './app-error';

/** Keeps the first value of each query parameter, as Next.js gives repeated ones as arrays. */
export function firstValues(query: Record<string, string | string[] | undefined>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) values[key] = first;
  }
  return values;
}

export type LoadResult<Value> = { ok: true; value: Value } | { ok: false; message: string };

/**
 * Runs a list query for a page and turns AppError `invalid_input` (a stale or edited cursor in
 * the URL) into a message the page shows. Every other error propagates to the error boundary.
 */
export async function loadOrExplain<Value>(load: () => Promise<Value>): Promise<LoadResult<Value>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_input') return { ok: false, message: error.message };
    throw error;
  }
}
