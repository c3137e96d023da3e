import { listFindings } from '../../../../lib/findings/list-findings';
import { withApi } from '../../../../lib/http/with-api';
import { API_ROUTES } from '../../../../lib/http/api-routes';

/** GET /api/v1/findings?limit=&cursor=&sort=&direction=&assetId= returns `{ total, items, nextCursor, prevCursor }`. */
export const GET = withApi(API_ROUTES.listFindings, ({ db, input }) => listFindings(db, input));
