import { createElement, type ReactElement } from 'react';
import type { Db } from '@/db/client';
import { logger } from '@/lib/log';
import { findingsBySeverityWidget } from './findings-by-severity/definition';
import { groupRiskScoreWidget } from './group-risk-score/definition';
import { riskScoreWidget } from './risk-score/definition';
import type { WidgetDefinition } from './types';

/** Every widget the dashboard can show, by id. */
export const widgetDefinitions = {
  'risk-score': riskScoreWidget,
  'findings-by-severity': findingsBySeverityWidget,
  'group-risk-score': groupRiskScoreWidget,
} as const;

export type WidgetId = keyof typeof widgetDefinitions;

const log = logger.child({ module: 'widgets' });

export type WidgetRender =
  | { ok: true; title: string; element: ReactElement }
  | { ok: false; title: string; message: string };

// One view import per widget id for the life of the process.
const viewCache = new Map<string, ReturnType<WidgetDefinition<unknown, unknown>['loadView']>>();

async function renderDefinition<Options, Data>(definition: WidgetDefinition<Options, Data>, db: Db, rawOptions: unknown): Promise<WidgetRender> {
  const parsedOptions = definition.optionsSchema.safeParse(rawOptions ?? {});
  if (!parsedOptions.success) {
    log.warn({ widgetId: definition.id, issues: parsedOptions.error.issues }, 'widget options are invalid');
    return { ok: false, title: definition.title, message: 'The options of this widget are invalid.' };
  }
  const options = parsedOptions.data;

  try {
    const data = await definition.loadData(db, options);
    let view = viewCache.get(definition.id) as ReturnType<typeof definition.loadView> | undefined;
    if (!view) {
      view = definition.loadView();
      viewCache.set(definition.id, view as ReturnType<WidgetDefinition<unknown, unknown>['loadView']>);
    }
    const { default: View } = await view;
    return { ok: true, title: definition.title, element: createElement(View, { data, options }) };
  } catch (error) {
    log.error({ err: error, widgetId: definition.id }, 'widget failed to load');
    return { ok: false, title: definition.title, message: 'This widget failed to load. The server log has the details.' };
  }
}

/**
 * Loads a widget's data and view on the server. A failure becomes an error result for an error
 * tile, so one broken widget does not take the page down.
 */
export function renderWidget(id: WidgetId, db: Db, rawOptions?: unknown): Promise<WidgetRender> {
  switch (id) {
    case 'risk-score':
      return renderDefinition(widgetDefinitions[id], db, rawOptions);
    case 'findings-by-severity':
      return renderDefinition(widgetDefinitions[id], db, rawOptions);
    case 'group-risk-score':
      return renderDefinition(widgetDefinitions[id], db, rawOptions);
  }
}
