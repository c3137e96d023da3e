import { AppError } from '../../../../../lib/http/app-error';
import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi } from '../../../../../lib/http/with-api';
import { actorOf, getRiskAcceptanceRule, revokeRiskAcceptanceRule, updateRiskAcceptanceRule } from '../../../../../lib/risk-acceptance/rules';

/** GET /api/v1/risk-acceptances/{id} returns the rule. */
export const GET = withApi(API_ROUTES.getRiskAcceptance, async ({ db, params }) => {
  const rule = await getRiskAcceptanceRule(db, params.id);
  if (!rule) throw new AppError('not_found', `risk acceptance rule ${params.id} was not found`);
  return rule;
});

/** PATCH /api/v1/risk-acceptances/{id} changes the given fields and returns the rule. */
export const PATCH = withApi(API_ROUTES.updateRiskAcceptance, async ({ db, params, input, principal }) => updateRiskAcceptanceRule(db, params.id, input, actorOf(principal)));

/** DELETE /api/v1/risk-acceptances/{id} revokes the rule and returns it, now revoked. */
export const DELETE = withApi(API_ROUTES.revokeRiskAcceptance, async ({ db, params, principal }) => revokeRiskAcceptanceRule(db, params.id, actorOf(principal)));
