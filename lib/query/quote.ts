/**
 * Writes text as a "quoted" value of the query language, so links can build queries from names
 * that contain spaces, quotes or brackets. The parser resolves `\"` and `\\` inside quotes.
 */
export function quoteQueryValue(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}
