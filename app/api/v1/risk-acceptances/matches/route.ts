import { API_ROUTES } from '../../../../../lib/http/api-routes';
import { withApi } from '../../../../../lib/http/with-api';
import { countMatchingFindings } from '../../../../../lib/risk-acceptance/rules';

/** GET /api/v1/risk-acceptances/matches?query=… returns `{ count }` of the findings the query matches now. */
export const GET = withApi(API_ROUTES.countRiskAcceptanceMatches, async ({ db, input }) => ({ count: await countMatchingFindings(db, input.query) }));
