import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { FindingsTable } from '@/components/findings/findings-table';
import { QueryBox } from '@/components/query/query-box';
import { PageLinks, hrefWith } from '@/components/ui/links';
import { EmptyState, InvalidQuery, PageHeading } from '@/components/ui/states';
import { requireSession } from '@/lib/auth/session';
import { FINDING_SORT_DEFAULT_DIRECTION, listFindings, listFindingsInputSchema, type FindingSort } from '@/lib/findings/list-findings';
import { parseOrThrow } from '@/lib/http/app-error';
import { firstValues, loadOrExplain } from '@/lib/http/query';
import type { SortDirection } from '@/lib/pagination/keyset';

export const metadata: Metadata = { title: 'Findings' };

interface FindingsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function FindingsPage({ searchParams }: FindingsPageProps) {
  const { db } = await requireSession();
  const query = firstValues(await searchParams);

  const result = await loadOrExplain(async () => {
    const input = parseOrThrow(listFindingsInputSchema, { sort: query.sort, direction: query.direction, cursor: query.cursor, limit: query.limit, q: query.q });
    const direction = input.direction ?? FINDING_SORT_DEFAULT_DIRECTION[input.sort];
    return { input, direction, page: await listFindings(db, { ...input, direction }) };
  });

  if (!result.ok) {
    // An invalid search is shown under the search box, where it can be fixed.
    const invalidSearch = result.message.startsWith('q: ');
    return (
      <>
        <PageHeading title="Findings" />
        <QueryBox key={query.q ?? ''} entity="finding" initialQuery={query.q ?? ''} serverError={invalidSearch ? result.message.slice(3) : undefined} />
        {!invalidSearch && <InvalidQuery message={result.message} resetHref="/findings" />}
      </>
    );
  }

  const { input, direction, page } = result.value;
  const pageHref = (cursor: string | null) =>
    cursor ? hrefWith('/findings', { sort: input.sort, direction, limit: query.limit, q: query.q, cursor }) : null;
  const sortHref = (sort: FindingSort, nextDirection: SortDirection) => hrefWith('/findings', { sort, direction: nextDirection, limit: query.limit, q: query.q });

  if (page.total === 0 && query.q) {
    return (
      <>
        <PageHeading title="Findings" />
        <QueryBox key={query.q ?? ''} entity="finding" initialQuery={query.q} />
        <EmptyState title="No findings match this search" actionHref="/findings" actionLabel="Show all findings">
          Change the search above, or see the query syntax for the tokens and operators.
        </EmptyState>
      </>
    );
  }

  if (page.total === 0) {
    return (
      <>
        <PageHeading title="Findings" />
        <EmptyState title="No findings yet" actionHref="/imports" actionLabel="Upload a scanner report">
          Findings appear here once a scanner report has been imported.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeading title="Findings" />
      <QueryBox key={query.q ?? ''} entity="finding" initialQuery={query.q ?? ''} />
      <Card>
        <FindingsTable items={page.items} sort={input.sort} direction={direction} sortHref={sortHref} />
        <PageLinks total={page.total} shown={page.items.length} previousHref={pageHref(page.prevCursor)} nextHref={pageHref(page.nextCursor)} noun="findings" />
      </Card>
    </>
  );
}
