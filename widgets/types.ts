import type { ComponentType } from 'react';
import type { z } from 'zod';
import type { Db } from '@/db/client';

export interface WidgetViewProps<Options, Data> {
  data: Data;
  options: Options;
}

/**
 * One widget: its options schema fills defaults for missing options, `loadData` runs on the
 * server, and `loadView` lazily imports the view, a client component that receives the data
 * and options as plain serializable props.
 */
export interface WidgetDefinition<Options, Data> {
  id: string;
  title: string;
  /** Raised whenever the options schema changes incompatibly. */
  version: number;
  optionsSchema: z.ZodType<Options>;
  loadData: (db: Db, options: Options) => Promise<Data>;
  loadView: () => Promise<{ default: ComponentType<WidgetViewProps<Options, Data>> }>;
}

export function defineWidget<Options, Data>(definition: WidgetDefinition<Options, Data>): WidgetDefinition<Options, Data> {
  return definition;
}
