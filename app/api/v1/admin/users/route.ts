import { listUsersForAdmin } from '../../../../../lib/auth/user-admin';
import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi } from '../../../../../lib/http/with-api';

/** GET /api/v1/admin/users returns `{ items }`, every user with role, status and API access. */
export const GET = withApi(API_ROUTES.listUsers, async ({ db }) => ({ items: await listUsersForAdmin(db) }));
