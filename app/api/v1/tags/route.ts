import { API_ROUTES } from '../../../../lib/http/api-routes';
import { withApi } from '../../../../lib/http/with-api';
import { createTag, listTags } from '../../../../lib/tags/tags';

/** GET /api/v1/tags returns `{ tags }`, each with its Asset Criticality Score and asset count. */
export const GET = withApi(API_ROUTES.listTags, async ({ db }) => ({ tags: await listTags(db) }));

/** POST /api/v1/tags with `{ name, criticalityScore? }` creates a static tag and returns it with 201. */
export const POST = withApi(API_ROUTES.createTag, async ({ db, input }) => Response.json(await createTag(db, input), { status: 201 }));
