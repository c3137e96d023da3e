/** Renders data taken verbatim from a report as collapsible, escaped JSON. */
export function JsonView({ value, summary }: { value: unknown; summary: string }) {
  return (
    <details className="rounded-tremor-small border border-tremor-border bg-tremor-background-muted">
      <summary className="cursor-pointer select-none px-3 py-2 text-tremor-default text-tremor-content-emphasis">{summary}</summary>
      <pre className="max-h-[32rem] overflow-auto border-t border-tremor-border p-3 text-xs leading-relaxed text-tremor-content-strong">
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}
