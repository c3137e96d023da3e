import { Card } from '@tremor/react';
import type { Db } from '@/db/client';
import { renderWidget, type WidgetId } from '@/widgets/registry';

interface WidgetTileProps {
  id: WidgetId;
  db: Db;
  options?: unknown;
  className?: string;
}

/** Renders one widget in a card, or its error when the widget fails. */
export async function WidgetTile({ id, db, options, className }: WidgetTileProps) {
  const result = await renderWidget(id, db, options);
  return (
    <Card className={className}>
      <h2 className="text-tremor-title font-medium text-tremor-content-strong">{result.title}</h2>
      <div className="mt-4">{result.ok ? result.element : <p role="alert" className="text-tremor-default text-red-700">{result.message}</p>}</div>
    </Card>
  );
}
