import { getDb } from '../../../db/client';
import { publishedJwks } from '../../../lib/api-access/signing-keys';

/** GET /oauth/jwks: the public keys that verify access tokens, including retired keys whose tokens may not have expired. */
export async function GET(): Promise<Response> {
  const jwks = await publishedJwks(await getDb());
  // Short caching: a verifier that sees an unknown kid after a rotation refetches within minutes.
  return Response.json(jwks, { headers: { 'cache-control': 'public, max-age=300' } });
}
