import { listAssets, listAssetsInputSchema } from '../../../../lib/assets/list-assets';
import { withApi } from '../../../../lib/http/with-api';

/** GET /api/v1/assets?limit=&cursor=&sort=&direction= returns `{ total, items, nextCursor, prevCursor }`. */
export const GET = withApi({ input: listAssetsInputSchema }, ({ db, input }) => listAssets(db, input));
