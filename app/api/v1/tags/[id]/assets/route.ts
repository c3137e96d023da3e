import { API_ROUTES } from '../../../../../../lib/http/api-routes';
import { withApi } from '../../../../../../lib/http/with-api';
import { addAssetsToTag } from '../../../../../../lib/tags/tags';

/** POST /api/v1/tags/{id}/assets with `{ assetIds }` returns `{ added }`, the number newly tagged. */
export const POST = withApi(API_ROUTES.addTagAssets, async ({ db, params, input }) => ({ added: await addAssetsToTag(db, params.id, input) }));
