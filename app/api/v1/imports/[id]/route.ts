import { AppError } from '../../../../../lib/http/app-error';
import { idParamsSchema } from '../../../../../lib/http/ids';
import { withApi } from '../../../../../lib/http/with-api';
import { getImport } from '../../../../../lib/imports/list-imports';

/** GET /api/v1/imports/{id} returns one import with its status, counts and error. */
export const GET = withApi({ params: idParamsSchema }, async ({ db, params }) => {
  const found = await getImport(db, params.id);
  if (!found) throw new AppError('not_found', `import ${params.id} was not found`);
  return found;
});
