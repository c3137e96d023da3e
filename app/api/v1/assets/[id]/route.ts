import { getAsset } from '../../../../../lib/assets/get-asset';
import { AppError } from '../../../../../lib/http/app-error';
import { withApi } from '../../../../../lib/http/with-api';
import { API_ROUTES } from '../../../../../lib/http/api-routes';

/** GET /api/v1/assets/{id} returns the asset with its tags, technologies and open findings per severity. */
export const GET = withApi(API_ROUTES.getAsset, async ({ db, params }) => {
  const asset = await getAsset(db, params.id);
  if (!asset) throw new AppError('not_found', `asset ${params.id} was not found`);
  return asset;
});
