import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import Link from 'next/link';
import { RiskScore } from '@/components/ui/badges';
import { DateTime } from '@/components/ui/date-time';
import { SortLink } from '@/components/ui/links';
import { ASSET_SORT_DEFAULT_DIRECTION, type AssetListItem, type AssetSort } from '@/lib/assets/list-assets';
import type { SortDirection } from '@/lib/pagination/keyset';

interface AssetsTableProps {
  items: AssetListItem[];
  sort: AssetSort;
  direction: SortDirection;
  sortHref: (sort: AssetSort, direction: SortDirection) => string;
}

export function AssetsTable({ items, sort, direction, sortHref }: AssetsTableProps) {
  const header = (label: string, key: AssetSort) => (
    <SortLink label={label} sort={key} currentSort={sort} currentDirection={direction} defaultDirection={ASSET_SORT_DEFAULT_DIRECTION[key]} href={sortHref} />
  );

  return (
    <Table>
      <TableHead>
        <TableRow>
          <TableHeaderCell>{header('Name', 'name')}</TableHeaderCell>
          <TableHeaderCell>{header('Risk Score', 'riskScore')}</TableHeaderCell>
          <TableHeaderCell>{header('Open findings', 'openFindings')}</TableHeaderCell>
          <TableHeaderCell>IP addresses</TableHeaderCell>
          <TableHeaderCell>Operating system</TableHeaderCell>
          <TableHeaderCell>{header('Last seen', 'lastSeen')}</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((asset) => (
          <TableRow key={asset.id}>
            <TableCell className="max-w-xs whitespace-normal">
              <Link href={`/assets/${asset.id}`} className="font-medium text-tremor-content-strong hover:underline">
                {asset.name}
              </Link>
              {asset.internetFacing ? <span className="ml-2 text-tremor-label text-red-700">internet-facing</span> : null}
            </TableCell>
            <TableCell>
              <RiskScore score={asset.riskScore} />
            </TableCell>
            <TableCell className="tabular-nums">{asset.openFindings}</TableCell>
            <TableCell className="max-w-xs whitespace-normal">{asset.ipv4.join(', ') || '—'}</TableCell>
            <TableCell className="max-w-xs whitespace-normal">{asset.os ?? '—'}</TableCell>
            <TableCell>
              <DateTime iso={asset.lastSeen} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
