import { API_ROUTES } from '../../../../../../../lib/http/api-routes';
import { withApi } from '../../../../../../../lib/http/with-api';
import { removeAssetsFromTag } from '../../../../../../../lib/tags/tags';

/** DELETE /api/v1/tags/{id}/assets/{assetId} removes the asset from the tag and returns `{ removed }` (0 or 1). */
export const DELETE = withApi(API_ROUTES.removeTagAsset, async ({ db, params }) => ({ removed: await removeAssetsFromTag(db, params.id, { assetIds: [params.assetId] }) }));
