import { createClient, listClients } from '../../../../lib/api-access/clients';
import { API_ROUTES } from '../../../../lib/http/api-routes';
import { sessionUserOf, withApi } from '../../../../lib/http/with-api';

/** GET /api/v1/clients returns `{ items }`, the signed-in user's API clients, newest first. */
export const GET = withApi(API_ROUTES.listClients, async ({ db, principal }) => ({ items: await listClients(db, sessionUserOf(principal).id) }));

/** POST /api/v1/clients creates a client and returns `{ client, clientSecret }`; the secret is never shown again. */
export const POST = withApi(API_ROUTES.createClient, async ({ db, principal, input }) =>
  Response.json(await createClient(db, sessionUserOf(principal).id, input), { status: 201 }),
);
