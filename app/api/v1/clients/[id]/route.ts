import { revokeClient } from '../../../../../lib/api-access/clients';
import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { sessionUserOf, withApi } from '../../../../../lib/http/with-api';

/** DELETE /api/v1/clients/{id} revokes one of the signed-in user's clients and returns it. */
export const DELETE = withApi(API_ROUTES.revokeClient, async ({ db, principal, params }) => revokeClient(db, sessionUserOf(principal).id, params.id));
