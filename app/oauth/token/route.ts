import { getDb } from '../../../db/client';
import { handleTokenRequest } from '../../../lib/api-access/token-endpoint';

/** POST /oauth/token: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4). */
export async function POST(request: Request): Promise<Response> {
  return handleTokenRequest(await getDb(), request);
}
