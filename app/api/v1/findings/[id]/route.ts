import { getFinding } from '../../../../../lib/findings/get-finding';
import { AppError } from '../../../../../lib/http/app-error';
import { withApi } from '../../../../../lib/http/with-api';
import { API_ROUTES } from '../../../../../lib/http/api-routes';

/** GET /api/v1/findings/{id} returns the finding with its asset, technology, catalog entry and detections. */
export const GET = withApi(API_ROUTES.getFinding, async ({ db, params }) => {
  const finding = await getFinding(db, params.id);
  if (!finding) throw new AppError('not_found', `finding ${params.id} was not found`);
  return finding;
});
