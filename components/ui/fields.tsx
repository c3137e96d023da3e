import type { ReactNode } from 'react';

/** Lays out labeled values in two columns; a null or empty value shows as a dash. */
export function Fields({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[12rem_1fr]">{children}</dl>;
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '' || (Array.isArray(children) && children.length === 0);
  return (
    <>
      <dt className="text-tremor-default font-medium text-tremor-content-subtle">{label}</dt>
      <dd className="break-words text-tremor-default text-tremor-content-strong">{empty ? '—' : children}</dd>
    </>
  );
}

/** Text from a report, with its line breaks kept. */
export function ReportText({ text }: { text: string | null }) {
  if (!text) return <p className="text-tremor-default text-tremor-content-subtle">None given.</p>;
  return <p className="whitespace-pre-wrap break-words text-tremor-default text-tremor-content-strong">{text}</p>;
}
