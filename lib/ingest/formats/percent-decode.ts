/**
 * Decodes the percent-encoding of a package URL part or a file URI. Text that is not valid
 * percent-encoding (a stray `%`, or bytes that are not UTF-8) is returned as given, because
 * report fields are data to keep, not input to reject.
 */
export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
