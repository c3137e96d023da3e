import { z } from 'zod';
import { parseId } from '../http/ids';

export const MAX_TAG_NAME_LENGTH = 100;
/** Assets one request may add to or remove from a tag; larger changes go in several requests. */
export const MAX_ASSETS_PER_CHANGE = 1000;

export const tagIdSchema = z.coerce.number().int().positive();

export const tagNameSchema = z
  .string()
  .trim()
  .min(1, 'a tag name must not be empty')
  .max(MAX_TAG_NAME_LENGTH, `a tag name must be at most ${MAX_TAG_NAME_LENGTH} characters`);

/** Asset Criticality Score: 1 (lowest) to 5 (highest), or null for a tag that sets none. */
export const criticalityScoreSchema = z.number().int().min(1, 'the Asset Criticality Score must be 1 to 5').max(5, 'the Asset Criticality Score must be 1 to 5').nullable();

/** Query in the query language whose matching assets are a dynamic tag's members, or null for a static tag. */
export const tagQuerySchema = z
  .string()
  .trim()
  .max(2000, 'a tag query must be at most 2000 characters')
  .nullable()
  .transform((value) => (value === '' ? null : value));

export const createTagInputSchema = z.object({
  name: tagNameSchema,
  criticalityScore: criticalityScoreSchema.default(null),
  query: tagQuerySchema.default(null),
});
export type CreateTagInput = z.input<typeof createTagInputSchema>;

/** A change to a tag; fields left out keep their value. */
export const updateTagInputSchema = z
  .object({ name: tagNameSchema.optional(), criticalityScore: criticalityScoreSchema.optional(), query: tagQuerySchema.optional() })
  .refine(
    (value) => value.name !== undefined || value.criticalityScore !== undefined || value.query !== undefined,
    'give a new name, criticalityScore or query',
  );
export type UpdateTagInput = z.input<typeof updateTagInputSchema>;

export const tagAssetsInputSchema = z.object({
  assetIds: z.array(z.number().int().positive()).min(1, 'give at least one asset id').max(MAX_ASSETS_PER_CHANGE),
});

export const assetSearchInputSchema = z.object({
  query: z.string().trim().min(1, 'type part of an asset name').max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Route params of `/api/v1/tags/{id}/assets/{assetId}`. */
export const tagAssetParamsSchema = z.object({
  id: z.string().transform((text, context) => positiveId(text, context, 'id')),
  assetId: z.string().transform((text, context) => positiveId(text, context, 'assetId')),
});

function positiveId(text: string, context: z.RefinementCtx, name: string): number {
  const id = parseId(text);
  if (id === undefined) {
    context.addIssue({ code: 'custom', message: `${name} must be a positive integer` });
    return z.NEVER;
  }
  return id;
}
