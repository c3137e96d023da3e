import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { config, proxy } from '../proxy';
import { REQUEST_URL_HEADER } from '../lib/auth/callback-url';

/** Returns the request header value the proxy passes on, as Next.js encodes overridden request headers. */
function forwardedUrl(url: string, headers: Record<string, string> = {}): string | null {
  const response = proxy(new NextRequest(url, { headers }));
  return response.headers.get(`x-middleware-request-${REQUEST_URL_HEADER}`);
}

describe('proxy', () => {
  it('passes the path and query on', () => {
    expect(forwardedUrl('http://127.0.0.1:3100/findings/42?sort=title&direction=asc')).toBe('/findings/42?sort=title&direction=asc');
  });

  it('drops the _rsc parameter', () => {
    expect(forwardedUrl('http://127.0.0.1:3100/findings?cursor=abc&_rsc=1x2y')).toBe('/findings?cursor=abc');
  });

  it('overwrites a header sent by the client', () => {
    expect(forwardedUrl('http://127.0.0.1:3100/assets/7', { [REQUEST_URL_HEADER]: '//evil.example' })).toBe('/assets/7');
  });

  it('skips static files', () => {
    // This matcher has no named parameters, so path-to-regexp reads it as the same regular expression.
    const matcher = new RegExp(`^${config.matcher[0]}$`);

    expect(matcher.test('/findings/42')).toBe(true);
    expect(matcher.test('/')).toBe(true);
    expect(matcher.test('/api/v1/findings')).toBe(true);
    expect(matcher.test('/_next/static/chunk.js')).toBe(false);
  });

  it('rejects an API path with invalid percent-encoding', async () => {
    const response = proxy(new NextRequest('http://127.0.0.1:3100/api/v1/findings/%FF'));

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  });

  it('passes a valid API path on unchanged', () => {
    const response = proxy(new NextRequest('http://127.0.0.1:3100/api/v1/identification/aliases/vendor/100%25'));

    expect(response.status).toBe(200);
    expect(response.headers.get(`x-middleware-request-${REQUEST_URL_HEADER}`)).toBeNull();
  });
});
