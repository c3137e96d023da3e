import { AppError } from '../../../../../lib/http/app-error';
import { withApi } from '../../../../../lib/http/with-api';
import { getImport } from '../../../../../lib/imports/list-imports';
import { API_ROUTES } from '../../../../../lib/http/api-routes';

/** GET /api/v1/imports/{id} returns one import with its status, counts and error. */
export const GET = withApi(API_ROUTES.getImport, async ({ db, params }) => {
  const found = await getImport(db, params.id);
  if (!found) throw new AppError('not_found', `import ${params.id} was not found`);
  return found;
});
