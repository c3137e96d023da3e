import type { RawView } from '@/lib/findings/raw-view';

/**
 * Renders data taken verbatim from a report as collapsible, escaped JSON. The text comes already
 * bounded from the server (lib/findings/raw-view.ts); when it was shortened, a note links to the
 * full JSON. Long strings wrap inside the box, so a report's long line never widens the page.
 */
export function JsonView({ view, summary, downloadHref }: { view: RawView; summary: string; downloadHref?: string }) {
  return (
    <details className="group min-w-0 rounded-tremor-small border border-tremor-border bg-tremor-background-muted">
      <summary className="flex cursor-pointer select-none list-none items-center justify-between gap-3 px-3 py-2 text-tremor-default text-tremor-content-emphasis hover:bg-tremor-background-subtle">
        <span className="flex items-center gap-2">
          <span aria-hidden="true" className="inline-block text-tremor-content-subtle transition-transform group-open:rotate-90">
            ▸
          </span>
          {summary}
        </span>
        <span className="text-tremor-label text-tremor-content-subtle">
          {view.lineCount} lines{view.truncated ? ', shortened' : ''}
        </span>
      </summary>
      {view.truncated || downloadHref ? (
        <p className="border-t border-tremor-border px-3 py-2 text-tremor-label text-tremor-content-subtle">
          {view.truncated ? 'Long values are shortened here. ' : null}
          {downloadHref ? (
            <a href={downloadHref} download className="font-medium text-tremor-brand hover:underline">
              Download the full raw JSON
            </a>
          ) : null}
        </p>
      ) : null}
      <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap border-t border-tremor-border p-3 font-mono text-xs leading-relaxed text-tremor-content-strong [overflow-wrap:anywhere]">
        {view.text}
      </pre>
    </details>
  );
}
