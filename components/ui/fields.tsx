import { Children, type ReactNode } from 'react';

/** Checks whether a value renders nothing: null, undefined, false, blank text or a list of only those. */
function isEmpty(children: ReactNode): boolean {
  return Children.toArray(children).every((child) => child === '' || (typeof child === 'string' && child.trim() === ''));
}

/** Lays out labeled values in two columns; a null or empty value shows as a dash. */
export function Fields({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[12rem_1fr]">{children}</dl>;
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-tremor-default font-medium text-tremor-content-subtle">{label}</dt>
      <dd className="break-words text-tremor-default text-tremor-content-strong">{isEmpty(children) ? <EmptyValue /> : children}</dd>
    </>
  );
}

/** Lays out facts as a grid of label-over-value cells, one to three columns by screen width. */
export function FactGrid({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-8 gap-y-5 sm:grid-cols-2 lg:grid-cols-3">{children}</dl>;
}

/** Renders one cell of a FactGrid. A `wide` cell spans the whole row, for long values such as CVSS vectors. */
export function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`min-w-0 ${wide ? 'sm:col-span-2 lg:col-span-3' : ''}`}>
      <dt className="text-tremor-label font-medium text-tremor-content-subtle">{label}</dt>
      <dd className="mt-1 break-words text-tremor-default text-tremor-content-strong">{isEmpty(children) ? <EmptyValue /> : children}</dd>
    </div>
  );
}

function EmptyValue() {
  return <span className="text-tremor-content-subtle">—</span>;
}

/** Text from a report, with its line breaks kept. */
export function ReportText({ text }: { text: string | null }) {
  if (!text) return <p className="text-tremor-default text-tremor-content-subtle">None given.</p>;
  return <p className="whitespace-pre-wrap break-words text-tremor-default leading-relaxed text-tremor-content-strong">{text}</p>;
}
