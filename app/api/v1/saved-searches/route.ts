import { API_ROUTES } from '../../../../lib/http/api-routes';
import { sessionUserOf, withApi } from '../../../../lib/http/with-api';
import { listSavedSearches, saveSearch } from '../../../../lib/saved-searches/saved-searches';

/** GET /api/v1/saved-searches?scope= returns `{ items }`, the signed-in user's saved searches by name. */
export const GET = withApi(API_ROUTES.listSavedSearches, async ({ db, principal, input }) => ({ items: await listSavedSearches(db, sessionUserOf(principal).id, input.scope) }));

/** POST /api/v1/saved-searches `{ scope, name, query }` saves a query, replacing one of the same name. */
export const POST = withApi(API_ROUTES.saveSearch, async ({ db, principal, input }) => Response.json(await saveSearch(db, sessionUserOf(principal).id, input), { status: 201 }));
