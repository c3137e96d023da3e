import { z } from 'zod';
import { defineWidget } from '@/widgets/types';
import { loadFindingsBySeverity } from './data';

export const findingsBySeverityOptionsSchema = z.object({
  /** Counts informational findings (severity 1) too. */
  includeInformational: z.boolean().default(true),
  /** Counts only the findings this query-language query matches, e.g. `asset.tags.name:production`. */
  query: z.string().max(2000).default(''),
});

export type FindingsBySeverityOptions = z.output<typeof findingsBySeverityOptionsSchema>;

export const findingsBySeverityWidget = defineWidget({
  id: 'findings-by-severity',
  title: 'Open findings by severity',
  version: 1,
  optionsSchema: findingsBySeverityOptionsSchema,
  loadData: (db, options) => loadFindingsBySeverity(db, options.includeInformational, options.query),
  loadView: () => import('./view'),
});
