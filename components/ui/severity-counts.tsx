import { SEVERITY_CHIP_CLASSES } from '@/components/ui/colors';
import type { SeverityCount } from '@/lib/findings/aggregates';

/**
 * Shows open findings per severity as a row of small colored counts, most severe first.
 * Informational findings are left out, as they rarely call for action; zeros are dimmed.
 */
export function SeverityCounts({ counts }: { counts: SeverityCount[] }) {
  const actionable = counts.filter((entry) => entry.severity !== 1);
  const description = actionable.map((entry) => `${entry.count} ${entry.label.toLowerCase()}`).join(', ');
  return (
    <span className="inline-flex gap-1" title={description}>
      {actionable.map((entry) => (
        <span
          key={entry.severity}
          aria-hidden="true"
          className={`inline-block min-w-[1.75rem] rounded-tremor-small px-1 text-center text-tremor-label font-medium tabular-nums ring-1 ring-inset ${
            entry.count === 0 ? 'bg-transparent text-tremor-content-subtle ring-tremor-border' : SEVERITY_CHIP_CLASSES[entry.severity]
          }`}
        >
          {entry.count}
        </span>
      ))}
      <span className="sr-only">{description}</span>
    </span>
  );
}
