import { API_ROUTES } from '../../../../../../../lib/http/api-routes';
import { withApi, type Principal } from '../../../../../../../lib/http/with-api';
import { deleteOrganizationAlias } from '../../../../../../../lib/identification/alias-store';

function userIdOf(principal: Principal): number | undefined {
  return principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined;
}

/** DELETE /api/v1/identification/aliases/{kind}/{alias} deletes the alias, queues a re-identification and returns 204. */
export const DELETE = withApi(API_ROUTES.deleteTechnologyAlias, async ({ db, params, principal }) => {
  await deleteOrganizationAlias(db, params, userIdOf(principal));
  return new Response(null, { status: 204 });
});
