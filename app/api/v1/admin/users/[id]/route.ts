import { updateUser } from '../../../../../../lib/auth/user-admin';
import { API_ROUTES } from '../../../../../../lib/http/api-routes';
import { withApi } from '../../../../../../lib/http/with-api';

/** PATCH /api/v1/admin/users/{id} with `{ active?, apiAccess? }` returns the updated user. */
export const PATCH = withApi(API_ROUTES.updateUser, async ({ db, principal, params, input }) =>
  updateUser(db, principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined, { id: params.id }, input),
);
