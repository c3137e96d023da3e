'use client';

import { BarChart } from '@tremor/react';
import { SEVERITY_COLORS } from '@/components/ui/colors';
import type { WidgetViewProps } from '@/widgets/types';
import type { FindingsBySeverityData } from './data';
import type { FindingsBySeverityOptions } from './definition';

const formatCount = (value: number) => value.toLocaleString('en-US');

export default function FindingsBySeverityView({ data }: WidgetViewProps<FindingsBySeverityOptions, FindingsBySeverityData>) {
  // Tremor 3 colors a bar chart per category, not per bar, so each severity is its own category
  // with a value only in its own row. Stacking then draws one bar per severity in its color.
  const categories = data.counts.map((entry) => entry.label);
  const rows = data.counts.map((entry) => ({ severity: entry.label, [entry.label]: entry.count }));

  return (
    <div>
      <p className="text-tremor-default">
        <span className="font-semibold tabular-nums text-tremor-content-strong">{formatCount(data.total)}</span> open findings
      </p>
      <BarChart
        className="mt-4 h-48"
        data={rows}
        index="severity"
        categories={categories}
        colors={data.counts.map((entry) => SEVERITY_COLORS[entry.severity])}
        stack
        showLegend={false}
        allowDecimals={false}
        valueFormatter={formatCount}
        showAnimation={false}
      />
      <ul className="sr-only">
        {data.counts.map((entry) => (
          <li key={entry.severity}>
            {entry.label}: {entry.count}
          </li>
        ))}
      </ul>
    </div>
  );
}
