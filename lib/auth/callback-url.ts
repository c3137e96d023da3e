// Pure helpers shared by the sign-in page, the sign-in form in the browser and the proxy. The
// file has no Node.js or Next.js imports, so every runtime can load it.

/** Request header the proxy sets to the path and query of the page being rendered. */
export const REQUEST_URL_HEADER = 'x-riskboard-url';

export const SIGN_IN_PATH = '/signin';

const MAX_CALLBACK_URL_LENGTH = 2048;
// Any host works here, because it only serves to check whether a value stays on the current site.
const PLACEHOLDER_ORIGIN = 'http://riskboard.invalid';

/**
 * Returns `value` when it is a path on this site, normalized, else `fallback`. It rejects
 * absolute URLs and the `//host` and `/\host` forms that browsers resolve to another host. It
 * rejects control characters, which URL parsers strip, turning `/\t/host` into `//host`. It
 * rejects the sign-in page itself, so a redirect after sign-in can neither leave the site nor loop.
 */
export function sanitizeCallbackUrl(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (value.length === 0 || value.length > MAX_CALLBACK_URL_LENGTH) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;

  let resolved: URL;
  try {
    resolved = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return fallback;

  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (resolved.pathname === SIGN_IN_PATH || resolved.pathname.startsWith(`${SIGN_IN_PATH}/`)) return fallback;
  return path;
}

/** Returns the sign-in page URL that brings the user back to `currentPath` afterwards. */
export function signInPathFor(currentPath: string): string {
  const callbackUrl = sanitizeCallbackUrl(currentPath);
  if (callbackUrl === '/') return SIGN_IN_PATH;
  return `${SIGN_IN_PATH}?${new URLSearchParams({ callbackUrl }).toString()}`;
}
