import { z } from 'zod';
import { defineWidget } from '@/widgets/types';
import { loadGroupRiskScore } from './data';

export const groupRiskScoreOptionsSchema = z
  .object({
    /** Whose Risk Score the widget shows. */
    subject: z.enum(['organization', 'business_entity', 'tag']).default('organization'),
    /** Id of the business entity or tag; ignored for the organization. */
    subjectId: z.number().int().positive().optional(),
    /** Version shown; `setting` follows the organization's scoring setting. */
    version: z.enum(['v1', 'v2', 'setting']).default('setting'),
  })
  .refine((options) => options.subject === 'organization' || options.subjectId !== undefined, {
    message: 'subjectId is required for a business entity or tag',
    path: ['subjectId'],
  });

export type GroupRiskScoreOptions = z.output<typeof groupRiskScoreOptionsSchema>;

export const groupRiskScoreWidget = defineWidget({
  id: 'group-risk-score',
  title: 'Risk Score',
  version: 1,
  optionsSchema: groupRiskScoreOptionsSchema,
  loadData: (db, options) => loadGroupRiskScore(db, options),
  loadView: () => import('./view'),
});
