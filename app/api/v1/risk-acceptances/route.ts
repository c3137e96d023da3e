import { API_ROUTES } from '../../../../lib/http/api-routes';
import { withApi } from '../../../../lib/http/with-api';
import { actorOf, createRiskAcceptanceRule, listRiskAcceptanceRules } from '../../../../lib/risk-acceptance/rules';

/** GET /api/v1/risk-acceptances[?state=active] returns `{ rules }`, by name. */
export const GET = withApi(API_ROUTES.listRiskAcceptances, async ({ db, input }) => ({ rules: await listRiskAcceptanceRules(db, input) }));

/** POST /api/v1/risk-acceptances creates a rule, stores the findings its query matches and returns it with 201. */
export const POST = withApi(API_ROUTES.createRiskAcceptance, async ({ db, input, principal }) =>
  Response.json(await createRiskAcceptanceRule(db, input, actorOf(principal)), { status: 201 }),
);
