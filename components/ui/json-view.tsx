/**
 * Renders data taken verbatim from a report as collapsible, escaped JSON. Long strings wrap
 * inside the box, so a report's long line never widens the page.
 */
export function JsonView({ value, summary }: { value: unknown; summary: string }) {
  const text = JSON.stringify(value, null, 2);
  return (
    <details className="group min-w-0 rounded-tremor-small border border-tremor-border bg-tremor-background-muted">
      <summary className="flex cursor-pointer select-none list-none items-center justify-between gap-3 px-3 py-2 text-tremor-default text-tremor-content-emphasis hover:bg-tremor-background-subtle">
        <span className="flex items-center gap-2">
          <span aria-hidden="true" className="inline-block text-tremor-content-subtle transition-transform group-open:rotate-90">
            ▸
          </span>
          {summary}
        </span>
        <span className="text-tremor-label text-tremor-content-subtle">{text.split('\n').length} lines</span>
      </summary>
      <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap border-t border-tremor-border p-3 font-mono text-xs leading-relaxed text-tremor-content-strong [overflow-wrap:anywhere]">
        {text}
      </pre>
    </details>
  );
}
