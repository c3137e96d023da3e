import { Callout, Card } from '@tremor/react';
import Link from 'next/link';

export function EmptyState({ title, children, actionHref, actionLabel }: { title: string; children: React.ReactNode; actionHref: string; actionLabel: string }) {
  return (
    <Card className="mx-auto max-w-xl text-center">
      <h2 className="text-tremor-title font-semibold text-tremor-content-strong">{title}</h2>
      <p className="mt-2 text-tremor-default">{children}</p>
      <Link
        href={actionHref}
        className="mt-6 inline-block rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-tremor-brand-inverted hover:bg-tremor-brand-emphasis"
      >
        {actionLabel}
      </Link>
    </Card>
  );
}

/** Explains a list URL whose query is invalid (an edited or stale cursor) and links to the first page. */
export function InvalidQuery({ message, resetHref }: { message: string; resetHref: string }) {
  return (
    <Callout title="This page link is invalid" color="amber">
      {message}.{' '}
      <Link href={resetHref} className="font-medium underline">
        Go to the first page
      </Link>
    </Callout>
  );
}

export function PageHeading({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <h1 className="text-2xl font-semibold text-tremor-content-strong">{title}</h1>
      {children}
    </div>
  );
}
