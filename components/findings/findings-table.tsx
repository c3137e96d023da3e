import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@tremor/react';
import Link from 'next/link';
import { formatPort } from '@/components/findings/format-port';
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

const CELL = 'px-3 py-3';
const HEADER_CELL = 'px-3';

export function FindingsTable({ items, sort, direction, sortHref, hideAsset = false }: FindingsTableProps) {
  const header = (label: string, key: FindingSort) => (
    <SortLink label={label} sort={key} currentSort={sort} currentDirection={direction} defaultDirection={FINDING_SORT_DEFAULT_DIRECTION[key]} href={sortHref} />
  );

  // Every column but the title keeps to one line, so the title gets the remaining width. The
  // wrapper scrolls sideways when the screen is narrower than the minimum widths.
  return (
    <Table className="-mx-3">
      <TableHead>
        <TableRow className="border-b border-tremor-border">
          <TableHeaderCell className={`${HEADER_CELL} min-w-[18rem]`}>{header('Title', 'title')}</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>{header('Severity', 'severity')}</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>{header('Detection Score', 'detectionScore')}</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>Status</TableHeaderCell>
          {hideAsset ? null : <TableHeaderCell className={HEADER_CELL}>Asset</TableHeaderCell>}
          <TableHeaderCell className={HEADER_CELL}>Port</TableHeaderCell>
          <TableHeaderCell className={HEADER_CELL}>{header('Last found', 'lastFound')}</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((finding) => (
          <TableRow key={finding.id} className="hover:bg-tremor-background-muted">
            <TableCell className={`${CELL} min-w-[18rem] whitespace-normal`}>
              <Link href={`/findings/${finding.id}`} className="font-medium text-tremor-content-strong hover:text-tremor-brand hover:underline">
                {finding.title}
              </Link>
              {finding.cveId ? <span className="mt-0.5 block whitespace-nowrap text-tremor-label text-tremor-content-subtle">{finding.cveId}</span> : null}
            </TableCell>
            <TableCell className={CELL}>
              <SeverityBadge severity={finding.severity} />
            </TableCell>
            <TableCell className={CELL}>
              <DetectionScore score={finding.detectionScore} />
            </TableCell>
            <TableCell className={CELL}>
              <StatusBadge status={finding.status} />
            </TableCell>
            {hideAsset ? null : (
              <TableCell className={CELL}>
                <Link href={`/assets/${finding.asset.id}`} title={finding.asset.name} className="block max-w-[14rem] truncate hover:text-tremor-brand hover:underline">
                  {finding.asset.name}
                </Link>
              </TableCell>
            )}
            <TableCell className={`${CELL} tabular-nums`}>{formatPort(finding.port, finding.protocol)}</TableCell>
            <TableCell className={CELL}>
              <DateTime iso={finding.lastFound} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
