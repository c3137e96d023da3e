import { getDetectionRaw } from '../../../../../../../../lib/findings/raw-view';
import { AppError } from '../../../../../../../../lib/http/app-error';
import { withApi } from '../../../../../../../../lib/http/with-api';
import { API_ROUTES } from '../../../../../../../../lib/http/api-routes';

/**
 * GET /api/v1/findings/{id}/detections/{detectionId}/raw returns a detection's raw attributes in
 * full, as a JSON download; the finding page shows a shortened view and links here.
 */
export const GET = withApi(API_ROUTES.getDetectionRaw, async ({ db, params, log }) => {
  const raw = await getDetectionRaw(db, params.id, params.detectionId);
  if (raw === undefined) {
    log.info({ findingId: params.id, detectionId: params.detectionId }, 'raw download requested for a detection that is not found');
    throw new AppError('not_found', `finding ${params.id} has no detection ${params.detectionId}`);
  }
  return new Response(JSON.stringify(raw, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="finding-${params.id}-detection-${params.detectionId}-raw.json"`,
    },
  });
});
