import { z } from 'zod';
import { MINIMUM_ROLE } from '../../../../lib/auth/roles';
import { withApi } from '../../../../lib/http/with-api';
import { DEFAULT_IMPORT_LIST_SIZE, MAX_IMPORT_LIST_SIZE, listImports } from '../../../../lib/imports/list-imports';
import { importUpload } from '../../../../lib/imports/upload';

const listInputSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_IMPORT_LIST_SIZE).default(DEFAULT_IMPORT_LIST_SIZE),
});

/** GET /api/v1/imports?limit= returns `{ items }`, the most recent imports first. */
export const GET = withApi({ input: listInputSchema }, async ({ db, input }) => ({ items: await listImports(db, input) }));

/**
 * POST /api/v1/imports takes multipart/form-data with the report in field `file` and an optional
 * `format` field before it. It returns the import summary: 201 when the report was imported, 422
 * when it was rejected (the error names the file and line or field), 413 when it was too large.
 */
export const POST = withApi({ minimumRole: MINIMUM_ROLE.importReports }, async ({ db, request, principal, log }) => {
  const summary = await importUpload(db, request, { userId: principal.kind === 'session' ? principal.user.id : undefined, log });

  let status = 201;
  if (summary.status === 'failed') {
    if (summary.error?.code === 'too_large') status = 413;
    else if (summary.error?.code === 'internal') status = 500;
    else status = 422;
  }
  return Response.json(summary, { status });
});
