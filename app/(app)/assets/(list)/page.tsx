import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { AssetsTable } from '@/components/assets/assets-table';
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
    const input = parseOrThrow(listAssetsInputSchema, { sort: query.sort, direction: query.direction, cursor: query.cursor, limit: query.limit });
    const direction = input.direction ?? ASSET_SORT_DEFAULT_DIRECTION[input.sort];
    return { input, direction, page: await listAssets(db, { ...input, direction }) };
  });

  if (!result.ok) {
    return (
      <>
        <PageHeading title="Assets" />
        <InvalidQuery message={result.message} resetHref="/assets" />
      </>
    );
  }

  const { input, direction, page } = result.value;
  const pageHref = (cursor: string | null) => (cursor ? hrefWith('/assets', { sort: input.sort, direction, limit: query.limit, cursor }) : null);
  const sortHref = (sort: AssetSort, nextDirection: SortDirection) => hrefWith('/assets', { sort, direction: nextDirection, limit: query.limit });

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
      <Card>
        <AssetsTable items={page.items} sort={input.sort} direction={direction} sortHref={sortHref} />
        <PageLinks total={page.total} shown={page.items.length} previousHref={pageHref(page.prevCursor)} nextHref={pageHref(page.nextCursor)} noun="assets" />
      </Card>
    </>
  );
}
