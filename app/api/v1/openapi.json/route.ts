import { tokenConfig } from '../../../../lib/api-access/config';
import { API_ROUTES } from '../../../../lib/http/api-routes';
import { buildOpenApiDocument } from '../../../../lib/http/openapi';
import { withApi } from '../../../../lib/http/with-api';

/** GET /api/v1/openapi.json returns the OpenAPI 3.1 document of this API; it needs no credentials. */
export const GET = withApi(API_ROUTES.openApi, async () => buildOpenApiDocument(tokenConfig().issuer));
