import { listFindings, listFindingsInputSchema } from '../../../../lib/findings/list-findings';
import { withApi } from '../../../../lib/http/with-api';

/** GET /api/v1/findings?limit=&cursor=&sort=&direction=&assetId= returns `{ total, items, nextCursor, prevCursor }`. */
export const GET = withApi({ input: listFindingsInputSchema }, ({ db, input }) => listFindings(db, input));
