import { API_ROUTES } from '../../../../lib/http/api-routes';
import { withApi } from '../../../../lib/http/with-api';
import { listImports } from '../../../../lib/imports/list-imports';
import { importUpload } from '../../../../lib/imports/upload';

/** GET /api/v1/imports?limit= returns `{ items }`, the most recent imports first. */
export const GET = withApi(API_ROUTES.listImports, async ({ db, input }) => ({ items: await listImports(db, input) }));

/**
 * POST /api/v1/imports takes multipart/form-data with the report in field `file` and optional
 * `format`, `profile` and `assetName` fields before it. It returns the import summary: 201 when the report was imported, 422
 * when it was rejected (the error names the file and line or field), 413 when it was too large.
 * Files above RISKBOARD_INLINE_IMPORT_BYTES (5 MB) are imported by a background job: 202 with the
 * import id and a Location to poll (`GET /api/v1/imports/{id}`).
 */
export const POST = withApi(API_ROUTES.createImport, async ({ db, request, principal, log }) => {
  const summary = await importUpload(db, request, { userId: principal.kind === 'session' || principal.kind === 'token' ? principal.user.id : undefined, log });
  if (summary.status === 'queued') {
    const location = `/api/v1/imports/${summary.importId}`;
    return Response.json({ ...summary, location }, { status: 202, headers: { Location: location } });
  }

  let status = 201;
  if (summary.status === 'failed') {
    if (summary.error?.code === 'too_large') status = 413;
    else if (summary.error?.code === 'internal') status = 500;
    else status = 422;
  }
  return Response.json(summary, { status });
});
