import { getAsset } from '../../../../../lib/assets/get-asset';
import { AppError } from '../../../../../lib/http/app-error';
import { idParamsSchema } from '../../../../../lib/http/ids';
import { withApi } from '../../../../../lib/http/with-api';

/** GET /api/v1/assets/{id} returns the asset with its tags, technologies and open findings per severity. */
export const GET = withApi({ params: idParamsSchema }, async ({ db, params }) => {
  const asset = await getAsset(db, params.id);
  if (!asset) throw new AppError('not_found', `asset ${params.id} was not found`);
  return asset;
});
