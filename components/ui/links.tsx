import Link from 'next/link';
import type { SortDirection } from '@/lib/pagination/keyset';

/** Builds `path?query` from the defined values only, so URLs stay short and stable. */
export function hrefWith(path: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

interface SortLinkProps<Sort extends string> {
  label: string;
  sort: Sort;
  currentSort: Sort;
  currentDirection: SortDirection;
  defaultDirection: SortDirection;
  /** Builds the URL of the first page of this sort. */
  href: (sort: Sort, direction: SortDirection) => string;
}

/** Renders a column header link that sorts by the column, or flips the direction when it is already the sort. */
export function SortLink<Sort extends string>({ label, sort, currentSort, currentDirection, defaultDirection, href }: SortLinkProps<Sort>) {
  const active = sort === currentSort;
  const ascending = currentDirection === 'asc';
  const flipped: SortDirection = ascending ? 'desc' : 'asc';
  const nextDirection = active ? flipped : defaultDirection;
  let arrow = '';
  if (active) arrow = ascending ? ' ↑' : ' ↓';
  let ariaSort: 'ascending' | 'descending' | undefined;
  if (active) ariaSort = ascending ? 'ascending' : 'descending';
  return (
    <Link
      href={href(sort, nextDirection)}
      aria-sort={ariaSort}
      className={active ? 'text-tremor-content-strong underline' : 'hover:text-tremor-content-strong'}
    >
      {label}
      {arrow}
    </Link>
  );
}

interface PageLinksProps {
  total: number;
  shown: number;
  previousHref: string | null;
  nextHref: string | null;
  noun: string;
}

/** Renders the previous and next links of a keyset-paginated list, with the total count. */
export function PageLinks({ total, shown, previousHref, nextHref, noun }: PageLinksProps) {
  const linkClass = 'rounded-tremor-small border border-tremor-border bg-white px-3 py-1.5 text-tremor-default hover:bg-tremor-background-subtle';
  const disabledClass = 'rounded-tremor-small border border-tremor-border px-3 py-1.5 text-tremor-default text-tremor-content-subtle';
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between">
      <p className="text-tremor-default">
        Showing {shown} of {total} {noun}
      </p>
      <div className="flex gap-2">
        {previousHref ? (
          <Link href={previousHref} className={linkClass} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span className={disabledClass}>← Previous</span>
        )}
        {nextHref ? (
          <Link href={nextHref} className={linkClass} rel="next">
            Next →
          </Link>
        ) : (
          <span className={disabledClass}>Next →</span>
        )}
      </div>
    </nav>
  );
}

/**
 * Renders an address taken from a report as a link in a new tab. Only http and https addresses
 * become links, because a report could carry a `javascript:` URL. Others are shown as text.
 */
export function ExternalLink({ href, children }: { href: string; children?: React.ReactNode }) {
  let safe = false;
  try {
    const url = new URL(href);
    safe = url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    safe = false;
  }
  if (!safe) return <span className="break-all">{href}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="break-all text-tremor-brand hover:underline">
      {children ?? href}
    </a>
  );
}
