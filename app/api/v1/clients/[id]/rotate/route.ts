import { rotateClientSecret } from '../../../../../../lib/api-access/clients';
import { API_ROUTES } from '../../../../../../lib/http/api-routes';
import { sessionUserOf, withApi } from '../../../../../../lib/http/with-api';

/** POST /api/v1/clients/{id}/rotate replaces the client's secret and returns `{ client, clientSecret }`. */
export const POST = withApi(API_ROUTES.rotateClientSecret, async ({ db, principal, params }) => rotateClientSecret(db, sessionUserOf(principal).id, params.id));
