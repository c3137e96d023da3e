import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { sessionUserOf, withApi } from '../../../../../lib/http/with-api';
import { deleteSavedSearch } from '../../../../../lib/saved-searches/saved-searches';

/** DELETE /api/v1/saved-searches/{id} deletes one of the signed-in user's saved searches. */
export const DELETE = withApi(API_ROUTES.deleteSavedSearch, async ({ db, principal, params }) => {
  await deleteSavedSearch(db, sessionUserOf(principal).id, params.id);
  return new Response(null, { status: 204 });
});
