import { discoveryDocument } from '../../../lib/api-access/discovery';

/** GET /.well-known/openid-configuration: where the token endpoint and keys are, for OAuth client libraries. */
export async function GET(): Promise<Response> {
  return Response.json(discoveryDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
