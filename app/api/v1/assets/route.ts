import { listAssets } from '../../../../lib/assets/list-assets';
import { withApi } from '../../../../lib/http/with-api';
import { API_ROUTES } from '../../../../lib/http/api-routes';

/** GET /api/v1/assets?limit=&cursor=&sort=&direction= returns `{ total, items, nextCursor, prevCursor }`. */
export const GET = withApi(API_ROUTES.listAssets, ({ db, input }) => listAssets(db, input));
