/**
 * A query that cannot be parsed or does not type-check. `start` and `end` are 0-based UTF-16
 * offsets into the query text (`end` exclusive), so an editor can underline the span; the
 * message names the same place as a 1-based character number for people.
 */
export class QueryError extends Error {
  readonly start: number;
  readonly end: number;

  constructor(message: string, start: number, end: number) {
    super(message);
    this.name = 'QueryError';
    this.start = start;
    this.end = Math.max(start, end);
  }

  toJSON(): { message: string; start: number; end: number } {
    return { message: this.message, start: this.start, end: this.end };
  }
}

export function isQueryError(error: unknown): error is QueryError {
  return error instanceof QueryError;
}

/** Formats an offset for a message: "at character 12". */
export function at(offset: number): string {
  return `at character ${offset + 1}`;
}
