// Validation of the asset name an import may give a report's only asset (see
// explicit-asset-name.ts). This file has no server-only imports, so the upload form uses it too.

import { z } from 'zod';

/** Maximum length of an asset name, in characters (UTF-16 code units, as JavaScript counts them). */
export const ASSET_NAME_MAX_LENGTH = 255;

/** Unicode control characters (general category Cc: C0, DEL and C1), such as tabs and line breaks. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Zero-width and bidirectional formatting characters (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069,
 * U+FEFF). They make a name look empty or like another name, for example a right-to-left override
 * that shows "cluster-a" for a different string.
 */
const INVISIBLE_OR_BIDI_CHARACTER = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** An import's asset name: trimmed, 1–255 characters, without control, invisible or text-direction characters. */
export const assetNameSchema = z
  .string()
  .trim()
  .min(1, 'the asset name is empty; give a name of 1 to 255 characters, or leave the option out')
  .max(ASSET_NAME_MAX_LENGTH, `the asset name is longer than ${ASSET_NAME_MAX_LENGTH} characters; shorten it`)
  .refine((name) => !CONTROL_CHARACTER.test(name), 'the asset name contains a control character, such as a tab or line break; remove it')
  .refine(
    (name) => !INVISIBLE_OR_BIDI_CHARACTER.test(name),
    'the asset name contains an invisible or text-direction character (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069 or U+FEFF); remove it',
  );

/** Returns the trimmed asset name, or the reason it is invalid. */
export function parseAssetName(value: string): { name: string; error?: undefined } | { name?: undefined; error: string } {
  const parsed = assetNameSchema.safeParse(value);
  if (parsed.success) return { name: parsed.data };
  return { error: parsed.error.issues[0]?.message ?? 'the asset name is invalid' };
}
