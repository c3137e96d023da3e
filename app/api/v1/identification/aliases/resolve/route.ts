import { API_ROUTES } from '../../../../../../lib/http/api-routes';
import { withApi } from '../../../../../../lib/http/with-api';
import { resolveSpelling } from '../../../../../../lib/identification/alias-store';

/** GET /api/v1/identification/aliases/resolve?kind=vendor&name=… returns the canonical name and the table that decided it. */
export const GET = withApi(API_ROUTES.resolveTechnologySpelling, async ({ db, input }) => resolveSpelling(db, input));
