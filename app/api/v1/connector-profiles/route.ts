import { createProfile, listProfiles } from '../../../../lib/connector-profiles/profiles';
import { API_ROUTES } from '../../../../lib/http/api-routes';
import { withApi, type Principal } from '../../../../lib/http/with-api';

function userIdOf(principal: Principal): number | undefined {
  return principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined;
}

/** GET /api/v1/connector-profiles returns `{ profiles }`, sorted by name. */
export const GET = withApi(API_ROUTES.listConnectorProfiles, async ({ db }) => ({ profiles: await listProfiles(db) }));

/** POST /api/v1/connector-profiles creates a profile and returns it with 201; a taken name is a 400. */
export const POST = withApi(API_ROUTES.createConnectorProfile, async ({ db, input, principal }) => Response.json(await createProfile(db, input, userIdOf(principal)), { status: 201 }));
