import { z } from 'zod';

export const MAX_BUSINESS_ENTITY_NAME_LENGTH = 100;
export const MAX_BUSINESS_ENTITY_TAGS = 200;

export const businessEntityInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'a business entity name must not be empty')
    .max(MAX_BUSINESS_ENTITY_NAME_LENGTH, `a business entity name must be at most ${MAX_BUSINESS_ENTITY_NAME_LENGTH} characters`),
  description: z
    .string()
    .trim()
    .max(2000, 'a description must be at most 2,000 characters')
    .nullish()
    .transform((value) => (value ? value : null)),
  tagIds: z.array(z.number().int().positive()).max(MAX_BUSINESS_ENTITY_TAGS).default([]),
});
export type BusinessEntityInput = z.input<typeof businessEntityInputSchema>;

export const idSchema = z.coerce.number().int().positive();
