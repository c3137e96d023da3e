import { NextResponse, type NextRequest } from 'next/server';
import { REQUEST_URL_HEADER } from './lib/auth/callback-url';

/**
 * Passes the path and query of each page request to server components in a request header,
 * because they cannot read the URL themselves and need it to send a signed-out visitor to
 * /signin and back. Any value the client sent under the same header name is overwritten.
 */
export function proxy(request: NextRequest): NextResponse {
  if (request.nextUrl.pathname.startsWith('/api/')) return checkApiPath(request);

  const url = request.nextUrl.clone();
  // Client-side navigations fetch pages with an `_rsc` cache-busting parameter; a callbackUrl
  // that kept it would bring the user back to the raw RSC payload.
  url.searchParams.delete('_rsc');

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(REQUEST_URL_HEADER, `${url.pathname}${url.search}`);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

/**
 * Rejects an API path whose percent-encoding does not decode (`%FF`, a stray `%`) with the API's
 * JSON error. Next.js would otherwise fail to decode the route's parameters and return a bare 500.
 */
function checkApiPath(request: NextRequest): NextResponse {
  const rawPath = new URL(request.url).pathname;
  try {
    decodeURIComponent(rawPath);
  } catch {
    const error = { code: 'invalid_input', message: `the path ${rawPath} contains invalid percent-encoding; encode "%" as %25` };
    return NextResponse.json({ error }, { status: 400, headers: { 'cache-control': 'no-store' } });
  }
  return NextResponse.next();
}

export const config = {
  // Pages, and API paths for the encoding check only: API routes return 401 JSON themselves, and
  // static files need no session.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
