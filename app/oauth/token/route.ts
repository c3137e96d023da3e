import { getDb } from '../../../db/client';
import { handleTokenRequest } from '../../../lib/api-access/token-endpoint';
import { logger } from '../../../lib/log';

const log = logger.child({ module: 'oauth' });

/** POST /oauth/token: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4). */
export async function POST(request: Request): Promise<Response> {
  try {
    return await handleTokenRequest(await getDb(), request);
  } catch (error) {
    // A database outage must still produce a JSON error that clients and caches handle as such.
    log.error({ err: error }, 'token request failed with an unexpected error');
    return Response.json(
      { error: 'server_error', error_description: 'the token request failed on the server; retry later, and the server log has the details' },
      { status: 500, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } },
    );
  }
}
