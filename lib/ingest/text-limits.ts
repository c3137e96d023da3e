/**
 * Maximum length of a finding's stored description or solution, in characters. Longer scanner text
 * (plugin output pasted into a description, base64 blobs) is cut with a marker, and the
 * detection keeps the full text in its raw fields, so nothing of the report is lost.
 */
export const MAX_FINDING_TEXT_LENGTH = 64 * 1024;

/** Maximum length of a finding's stored title, in characters. */
export const MAX_FINDING_TITLE_LENGTH = 1024;

/** Cuts `value` to `max` characters, ending with a marker that states the original length. */
export function capText(value: string | undefined, max = MAX_FINDING_TEXT_LENGTH): string | null {
  if (value === undefined) return null;
  if (value.length <= max) return value;
  const marker = `\n\n[Truncated by Riskboard: the report's text has ${value.length.toLocaleString('en-US')} characters; the detection's raw fields keep all of it.]`;
  // Never cut a surrogate pair in half.
  let end = max - marker.length;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return value.slice(0, end) + marker;
}

/**
 * Returns the raw fields with the full text of each field `capText` cut, under `fullText`, so a
 * finding's shortened text can always be read in full on its detection.
 */
export function keepFullText(raw: Record<string, unknown>, fields: [name: string, value: string | undefined, max: number][]): Record<string, unknown> {
  const cut = fields.filter(([, value, max]) => value !== undefined && value.length > max).map(([name, value]) => [name, value]);
  if (cut.length === 0) return raw;
  return { ...raw, fullText: Object.fromEntries(cut) };
}
