import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi, type Principal } from '../../../../../lib/http/with-api';
import { bundledAliasSize, listOrganizationAliases, saveOrganizationAlias } from '../../../../../lib/identification/alias-store';

function userIdOf(principal: Principal): number | undefined {
  return principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined;
}

/** GET /api/v1/identification/aliases returns `{ items, bundled }`: the organization's aliases by kind and alias, and the bundled table's size. */
export const GET = withApi(API_ROUTES.listTechnologyAliases, async ({ db }) => ({ items: await listOrganizationAliases(db), bundled: bundledAliasSize() }));

/** POST /api/v1/identification/aliases saves an alias: 201 when it is new, 200 when it existed. */
export const POST = withApi(API_ROUTES.saveTechnologyAlias, async ({ db, input, principal }) => {
  const change = await saveOrganizationAlias(db, input, userIdOf(principal));
  return Response.json(change, { status: change.created ? 201 : 200 });
});
