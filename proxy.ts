import { NextResponse, type NextRequest } from 'next/server';
import { REQUEST_URL_HEADER } from './lib/auth/callback-url';

/**
 * Passes the path and query of each page request to server components in a request header,
 * because they cannot read the URL themselves and need it to send a signed-out visitor to
 * /signin and back. Any value the client sent under the same header name is overwritten.
 */
export function proxy(request: NextRequest): NextResponse {
  const url = request.nextUrl.clone();
  // Client-side navigations fetch pages with an `_rsc` cache-busting parameter; a callbackUrl
  // that kept it would bring the user back to the raw RSC payload.
  url.searchParams.delete('_rsc');

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(REQUEST_URL_HEADER, `${url.pathname}${url.search}`);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  // Pages only: API routes return 401 JSON themselves, and static files need no session.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
