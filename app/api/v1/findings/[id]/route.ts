import { getFinding } from '../../../../../lib/findings/get-finding';
import { AppError } from '../../../../../lib/http/app-error';
import { idParamsSchema } from '../../../../../lib/http/ids';
import { withApi } from '../../../../../lib/http/with-api';

/** GET /api/v1/findings/{id} returns the finding with its asset, technology, catalog entry and detections. */
export const GET = withApi({ params: idParamsSchema }, async ({ db, params }) => {
  const finding = await getFinding(db, params.id);
  if (!finding) throw new AppError('not_found', `finding ${params.id} was not found`);
  return finding;
});
