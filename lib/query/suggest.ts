import { findToken, TOKENS, type Entity } from './catalog';

/** One autocomplete entry: the text that replaces `[start, end)` of the query. */
export interface Suggestion {
  label: string;
  detail: string;
  insert: string;
  start: number;
  end: number;
}

const MAX_SUGGESTIONS = 12;
const TOKEN_PREFIX = /[A-Za-z_][A-Za-z0-9_.]*$/;
// A token, an operator, and the start of a value (optionally inside a list), up to the cursor.
const VALUE_PREFIX = /([A-Za-z_][A-Za-z0-9_.]*)(:|>=|<=|>|<|=)(\[(?:[^\]]*,\s*)?|\()?([^\s()[\],"`]*)$/;

/**
 * Suggests tokens, or the values of an enum or boolean token, for the text before the cursor.
 * Tokens of the list's own entity come first, since they are the most likely.
 */
export function suggest(text: string, cursor: number, entity: Entity): Suggestion[] {
  const before = text.slice(0, cursor);
  const end = cursor + (/^[A-Za-z0-9_.]*/.exec(text.slice(cursor))?.[0].length ?? 0);

  const valueMatch = VALUE_PREFIX.exec(before);
  if (valueMatch) {
    const [, tokenName = '', , , partial = ''] = valueMatch;
    const token = findToken(tokenName);
    if (!token) return [];
    let values: string[] = [];
    if (token.type === 'enum') values = [...(token.values ?? [])];
    if (token.type === 'boolean') values = ['true', 'false'];
    const start = cursor - partial.length;
    return values
      .filter((value) => value.toLowerCase().startsWith(partial.toLowerCase()))
      .map((value) => ({ label: value, detail: token.name, insert: value, start, end }));
  }

  const tokenMatch = TOKEN_PREFIX.exec(before);
  const partial = tokenMatch?.[0] ?? '';
  // Only suggest tokens where a condition can start: at the beginning, or after a space or '('.
  const charBefore = before[before.length - partial.length - 1];
  if (charBefore !== undefined && !/[\s(]/.test(charBefore)) return [];
  const start = cursor - partial.length;
  const lower = partial.toLowerCase();
  return TOKENS.filter((token) => token.name.toLowerCase().startsWith(lower) || (lower.length > 1 && token.name.toLowerCase().includes(lower)))
    .sort((a, b) => Number(b.entity === entity) - Number(a.entity === entity))
    .slice(0, MAX_SUGGESTIONS)
    .map((token) => ({ label: token.name, detail: token.description, insert: `${token.name}:`, start, end }));
}
