import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { AssetsTable } from '@/components/assets/assets-table';
import { QueryBox } from '@/components/query/query-box';
import { PageLinks, hrefWith } from '@/components/ui/links';
import { EmptyState, InvalidQuery, PageHeading } from '@/components/ui/states';
import { ASSET_SORT_DEFAULT_DIRECTION, listAssets, listAssetsInputSchema, type AssetSort } from '@/lib/assets/list-assets';
import { requireSession } from '@/lib/auth/session';
import { parseOrThrow } from '@/lib/http/app-error';
import { firstValues, loadOrExplain } from '@/lib/http/query';
import type { SortDirection } from '@/lib/pagination/keyset';

export const metadata: Metadata = { title: 'Assets' };

interface AssetsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function AssetsPage({ searchParams }: AssetsPageProps) {
  const { db } = await requireSession();
  const query = firstValues(await searchParams);

  const result = await loadOrExplain(async () => {
    const input = parseOrThrow(listAssetsInputSchema, { sort: query.sort, direction: query.direction, cursor: query.cursor, limit: query.limit, q: query.q });
    const direction = input.direction ?? ASSET_SORT_DEFAULT_DIRECTION[input.sort];
    return { input, direction, page: await listAssets(db, { ...input, direction }) };
  });

  if (!result.ok) {
    // An invalid search is shown under the search box, where it can be fixed.
    const invalidSearch = result.message.startsWith('q: ');
    return (
      <>
        <PageHeading title="Assets" />
        <QueryBox key={query.q ?? ''} entity="asset" initialQuery={query.q ?? ''} serverError={invalidSearch ? result.message.slice(3) : undefined} />
        {!invalidSearch && <InvalidQuery message={result.message} resetHref="/assets" />}
      </>
    );
  }

  const { input, direction, page } = result.value;
  const pageHref = (cursor: string | null) => (cursor ? hrefWith('/assets', { sort: input.sort, direction, limit: query.limit, q: query.q, cursor }) : null);
  const sortHref = (sort: AssetSort, nextDirection: SortDirection) => hrefWith('/assets', { sort, direction: nextDirection, limit: query.limit, q: query.q });

  if (page.total === 0 && query.q) {
    return (
      <>
        <PageHeading title="Assets" />
        <QueryBox key={query.q ?? ''} entity="asset" initialQuery={query.q} />
        <EmptyState title="No assets match this search" actionHref="/assets" actionLabel="Show all assets">
          Change the search above, or see the query syntax for the tokens and operators.
        </EmptyState>
      </>
    );
  }

  if (page.total === 0) {
    return (
      <>
        <PageHeading title="Assets" />
        <EmptyState title="No assets yet" actionHref="/imports" actionLabel="Upload a scanner report">
          Hosts, images and other assets appear here once a scanner report has been imported.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeading title="Assets" />
      <QueryBox key={query.q ?? ''} entity="asset" initialQuery={query.q ?? ''} />
      <Card>
        <AssetsTable items={page.items} sort={input.sort} direction={direction} sortHref={sortHref} />
        <PageLinks total={page.total} shown={page.items.length} previousHref={pageHref(page.prevCursor)} nextHref={pageHref(page.nextCursor)} noun="assets" />
      </Card>
    </>
  );
}
