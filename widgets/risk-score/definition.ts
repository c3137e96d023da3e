import { z } from 'zod';
import { defineWidget } from '@/widgets/types';
import { loadRiskScore } from './data';

export const riskScoreOptionsSchema = z.object({
  /** Shows how many assets the score is computed over. */
  showAssetCount: z.boolean().default(true),
});

export type RiskScoreOptions = z.output<typeof riskScoreOptionsSchema>;

export const riskScoreWidget = defineWidget({
  id: 'risk-score',
  title: 'Risk Score',
  version: 1,
  optionsSchema: riskScoreOptionsSchema,
  loadData: (db) => loadRiskScore(db),
  loadView: () => import('./view'),
});
