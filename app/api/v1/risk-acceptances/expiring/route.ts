import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi } from '../../../../../lib/http/with-api';
import { listExpiringRules } from '../../../../../lib/risk-acceptance/expiry';

/** GET /api/v1/risk-acceptances/expiring returns `{ rules }` ending within their notice period, soonest first. */
export const GET = withApi(API_ROUTES.listExpiringRiskAcceptances, async ({ db }) => ({ rules: await listExpiringRules(db) }));
