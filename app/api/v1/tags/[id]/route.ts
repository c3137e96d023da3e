import { AppError } from '../../../../../lib/http/app-error';
import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi } from '../../../../../lib/http/with-api';
import { deleteTag, getTag, updateTag } from '../../../../../lib/tags/tags';

/** GET /api/v1/tags/{id} returns the tag, its asset count and its first 500 assets by name. */
export const GET = withApi(API_ROUTES.getTag, async ({ db, params }) => {
  const tag = await getTag(db, params.id);
  if (!tag) throw new AppError('not_found', `tag ${params.id} was not found`);
  return tag;
});

/** PATCH /api/v1/tags/{id} with `{ name?, criticalityScore? }` returns the updated tag. */
export const PATCH = withApi(API_ROUTES.updateTag, async ({ db, params, input }) => {
  await updateTag(db, params.id, input);
  return getTag(db, params.id);
});

/** DELETE /api/v1/tags/{id} deletes the tag and returns 204. */
export const DELETE = withApi(API_ROUTES.deleteTag, async ({ db, params }) => {
  await deleteTag(db, params.id);
  return new Response(null, { status: 204 });
});
