import { deleteProfile, getProfile, updateProfile } from '../../../../../lib/connector-profiles/profiles';
import { AppError } from '../../../../../lib/http/app-error';
import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi, type Principal } from '../../../../../lib/http/with-api';

function userIdOf(principal: Principal): number | undefined {
  return principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined;
}

/** GET /api/v1/connector-profiles/{id} returns the profile. */
export const GET = withApi(API_ROUTES.getConnectorProfile, async ({ db, params }) => {
  const profile = await getProfile(db, params.id);
  if (!profile) throw new AppError('not_found', `connector profile ${params.id} was not found`);
  return profile;
});

/** PUT /api/v1/connector-profiles/{id} replaces every setting and returns the profile. */
export const PUT = withApi(API_ROUTES.updateConnectorProfile, async ({ db, params, input, principal }) => updateProfile(db, params.id, input, userIdOf(principal)));

/** DELETE /api/v1/connector-profiles/{id} deletes the profile and returns 204. */
export const DELETE = withApi(API_ROUTES.deleteConnectorProfile, async ({ db, params, principal }) => {
  await deleteProfile(db, params.id, userIdOf(principal));
  return new Response(null, { status: 204 });
});
