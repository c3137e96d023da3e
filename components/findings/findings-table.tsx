import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import Link from 'next/link';
import { DetectionScore, SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { DateTime } from '@/components/ui/date-time';
import { SortLink } from '@/components/ui/links';
import { FINDING_SORT_DEFAULT_DIRECTION, type FindingListItem, type FindingSort } from '@/lib/findings/list-findings';
import type { SortDirection } from '@/lib/pagination/keyset';

interface FindingsTableProps {
  items: FindingListItem[];
  sort: FindingSort;
  direction: SortDirection;
  sortHref: (sort: FindingSort, direction: SortDirection) => string;
  /** Hides the asset column, on an asset's own page. */
  hideAsset?: boolean;
}

export function FindingsTable({ items, sort, direction, sortHref, hideAsset = false }: FindingsTableProps) {
  const header = (label: string, key: FindingSort) => (
    <SortLink label={label} sort={key} currentSort={sort} currentDirection={direction} defaultDirection={FINDING_SORT_DEFAULT_DIRECTION[key]} href={sortHref} />
  );

  return (
    <Table>
      <TableHead>
        <TableRow>
          <TableHeaderCell>{header('Title', 'title')}</TableHeaderCell>
          <TableHeaderCell>{header('Severity', 'severity')}</TableHeaderCell>
          <TableHeaderCell>{header('Detection Score', 'detectionScore')}</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          {hideAsset ? null : <TableHeaderCell>Asset</TableHeaderCell>}
          <TableHeaderCell>Port</TableHeaderCell>
          <TableHeaderCell>{header('Last found', 'lastFound')}</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((finding) => (
          <TableRow key={finding.id}>
            <TableCell className="max-w-md whitespace-normal">
              <Link href={`/findings/${finding.id}`} className="font-medium text-tremor-content-strong hover:underline">
                {finding.title}
              </Link>
              {finding.cveId ? <span className="ml-2 text-tremor-label text-tremor-content-subtle">{finding.cveId}</span> : null}
            </TableCell>
            <TableCell>
              <SeverityBadge severity={finding.severity} />
            </TableCell>
            <TableCell>
              <DetectionScore score={finding.detectionScore} />
            </TableCell>
            <TableCell>
              <StatusBadge status={finding.status} />
            </TableCell>
            {hideAsset ? null : (
              <TableCell>
                <Link href={`/assets/${finding.asset.id}`} className="hover:underline">
                  {finding.asset.name}
                </Link>
              </TableCell>
            )}
            <TableCell className="tabular-nums">{finding.port === null ? '—' : `${finding.port}/${finding.protocol ?? '?'}`}</TableCell>
            <TableCell>
              <DateTime iso={finding.lastFound} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
