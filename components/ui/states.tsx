import { Callout, Card } from '@tremor/react';
import Link from 'next/link';
import type { ReactNode } from 'react';

const PRIMARY_LINK =
  'inline-block rounded-tremor-default bg-tremor-brand px-4 py-2 text-tremor-default font-medium text-tremor-brand-inverted hover:bg-tremor-brand-emphasis';
const SECONDARY_LINK =
  'inline-block rounded-tremor-default border border-tremor-border bg-white px-4 py-2 text-tremor-default font-medium text-tremor-content-emphasis hover:bg-tremor-background-subtle';

interface EmptyStateProps {
  title: string;
  children: ReactNode;
  actionHref: string;
  actionLabel: string;
  /** A second, less prominent link, such as back to a list. */
  secondaryHref?: string;
  secondaryLabel?: string;
  /** Short text above the title, such as an error status. */
  eyebrow?: string;
}

/** Explains why a page has nothing to show and links to the step that fills it. */
export function EmptyState({ title, children, actionHref, actionLabel, secondaryHref, secondaryLabel, eyebrow }: EmptyStateProps) {
  return (
    <Card className="mx-auto mt-8 max-w-xl px-8 py-10 text-center">
      <div aria-hidden="true" className="mx-auto mb-4 flex h-12 w-12 items-center justify-center rounded-tremor-full bg-tremor-brand-faint">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-6 w-6 text-tremor-brand">
          <rect x="4" y="4" width="16" height="16" rx="3" />
          <path d="M8 10h8M8 14h5" strokeLinecap="round" />
        </svg>
      </div>
      {eyebrow ? <p className="text-tremor-label font-semibold uppercase tracking-wide text-tremor-brand">{eyebrow}</p> : null}
      <h2 className="mt-1 text-tremor-title font-semibold text-tremor-content-strong">{title}</h2>
      <p className="mt-2 text-tremor-default">{children}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Link href={actionHref} className={PRIMARY_LINK}>
          {actionLabel}
        </Link>
        {secondaryHref && secondaryLabel ? (
          <Link href={secondaryHref} className={SECONDARY_LINK}>
            {secondaryLabel}
          </Link>
        ) : null}
      </div>
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

export function PageHeading({ title, description, children }: { title: string; description?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold text-tremor-content-strong">{title}</h1>
        {description ? <p className="mt-1 text-tremor-default text-tremor-content">{description}</p> : null}
      </div>
      {children}
    </div>
  );
}
