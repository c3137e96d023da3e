import Link from 'next/link';
import { RiskScore } from '@/components/ui/badges';

export interface ContributionRow {
  id: number;
  name: string;
  score: number;
  contribution: number;
}

interface ContributionsTableProps {
  rows: ContributionRow[];
  /** Path of a row's page, e.g. `/assets/` followed by the id. */
  hrefPrefix: string;
  caption: string;
  scoreLabel: string;
  /** Rows shown; the rest are summed in one last line so the total still adds up. */
  limit?: number;
}

/** Rows a table shows by default, so an estate of 50,000 assets still renders a page of usable size. */
const DEFAULT_LIMIT = 500;

/** Lists members with their score and the points of the aggregate each accounts for. */
export function ContributionsTable({ rows, hrefPrefix, caption, scoreLabel, limit = DEFAULT_LIMIT }: ContributionsTableProps) {
  const shown = rows.slice(0, limit);
  const rest = rows.slice(limit);
  const restTotal = rest.reduce((sum, row) => sum + row.contribution, 0);
  return (
    <table className="w-full text-left text-tremor-default">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-tremor-border text-tremor-label uppercase tracking-wide text-tremor-content-subtle">
          <th scope="col" className="py-2 font-medium">Name</th>
          <th scope="col" className="py-2 font-medium">{scoreLabel}</th>
          <th scope="col" className="py-2 text-right font-medium">Contribution</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-tremor-border">
        {shown.map((row) => (
          <tr key={row.id}>
            <td className="max-w-[16rem] truncate py-2">
              <Link href={`${hrefPrefix}${row.id}`} className="font-medium text-tremor-brand hover:underline">
                {row.name}
              </Link>
            </td>
            <td className="py-2">
              <RiskScore score={row.score} />
            </td>
            <td className="py-2 text-right tabular-nums text-tremor-content-strong">{formatPoints(row.contribution)}</td>
          </tr>
        ))}
        {rest.length > 0 ? (
          <tr>
            <td className="py-2 text-tremor-content-subtle" colSpan={2}>
              {rest.length} more, each contributing at most {formatPoints(rest[0]?.contribution ?? 0)}
            </td>
            <td className="py-2 text-right tabular-nums text-tremor-content-strong">{formatPoints(restTotal)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/** Formats points with one decimal, and very small positive values as such instead of 0.0. */
export function formatPoints(points: number): string {
  if (points > 0 && points < 0.05) return '< 0.1';
  return points.toFixed(1);
}
