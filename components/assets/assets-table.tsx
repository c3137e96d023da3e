import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import Link from 'next/link';
import { assetIdentifiers } from '@/components/assets/asset-labels';
import { RiskScore } from '@/components/ui/badges';
import { DateTime } from '@/components/ui/date-time';
import { SortLink } from '@/components/ui/links';
import { SeverityCounts } from '@/components/ui/severity-counts';
import { ASSET_SORT_DEFAULT_DIRECTION, type AssetListItem, type AssetSort } from '@/lib/assets/list-assets';
import type { SortDirection } from '@/lib/pagination/keyset';

interface AssetsTableProps {
  items: AssetListItem[];
  sort: AssetSort;
  direction: SortDirection;
  sortHref: (sort: AssetSort, direction: SortDirection) => string;
}

const CELL = 'px-3 py-3';
const HEADER_CELL = 'px-3';

export function AssetsTable({ items, sort, direction, sortHref }: AssetsTableProps) {
  const header = (label: string, key: AssetSort) => (
    <SortLink label={label} sort={key} currentSort={sort} currentDirection={direction} defaultDirection={ASSET_SORT_DEFAULT_DIRECTION[key]} href={sortHref} />
  );

  return (
    <Table className="-mx-3">
      <TableHead>
        <TableRow className="border-b border-tremor-border">
          <TableHeaderCell className={`${HEADER_CELL} min-w-[16rem]`}>{header('Name', 'name')}</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>{header('Risk Score', 'riskScore')}</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>{header('Open findings', 'openFindings')}</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>Operating system</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>{header('Last seen', 'lastSeen')}</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((asset) => {
          const identifiers = assetIdentifiers(asset).join(' · ');
          return (
            <TableRow key={asset.id} className="hover:bg-tremor-background-muted">
              <TableCell className={`${CELL} min-w-[16rem]`}>
                <div className="flex max-w-[28rem] items-center gap-2">
                  <Link
                    href={`/assets/${asset.id}`}
                    title={asset.name}
                    className="truncate font-medium text-tremor-content-strong hover:text-tremor-brand hover:underline"
                  >
                    {asset.name}
                  </Link>
                  {asset.internetFacing ? (
                    <span className="shrink-0 rounded-tremor-small bg-red-50 px-1.5 text-tremor-label text-red-700 ring-1 ring-inset ring-red-200">
                      internet-facing
                    </span>
                  ) : null}
                </div>
                <p className="mt-0.5 max-w-[28rem] truncate text-tremor-label text-tremor-content-subtle" title={identifiers}>
                  {identifiers}
                </p>
              </TableCell>
              <TableCell className={CELL}>
                <RiskScore score={asset.riskScore} />
              </TableCell>
              <TableCell className={CELL}>
                <span className="flex items-center gap-3">
                  <span className="min-w-[3ch] text-right font-medium tabular-nums text-tremor-content-strong">{asset.openFindings}</span>
                  <SeverityCounts counts={asset.openFindingsBySeverity} />
                </span>
              </TableCell>
              <TableCell className={CELL}>
                {asset.os ? (
                  <span className="block max-w-[16rem] truncate" title={asset.os}>
                    {asset.os}
                  </span>
                ) : (
                  <span className="text-tremor-content-subtle">—</span>
                )}
              </TableCell>
              <TableCell className={CELL}>
                <DateTime iso={asset.lastSeen} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
