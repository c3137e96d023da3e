import { and, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { assets, findings, findingStatus, findingType } from '../../db/schema';
import { AppError, formatIssues } from '../http/app-error';
import { MAX_ID } from '../http/ids';
import { fetchKeysetPage, type SortDirection, type SortKey } from '../pagination/keyset';
import { queryFilter } from '../query/filter';

export const FINDING_SORTS = ['detectionScore', 'severity', 'lastFound', 'title', 'id'] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

/** Direction used when a request names a sort but no direction: highest, latest or A–Z first. */
export const FINDING_SORT_DEFAULT_DIRECTION = {
  detectionScore: 'desc',
  severity: 'desc',
  lastFound: 'desc',
  title: 'asc',
  id: 'desc',
} as const satisfies Record<FindingSort, SortDirection>;

// Titles are compared on their first 256 characters, so a cursor stays short enough for a URL
// however long a scanner's title is. Longer titles that share those characters are ordered by id.
const FINDING_SORT_KEYS = {
  detectionScore: { expression: findings.detectionScore, type: 'integer' },
  severity: { expression: findings.severity, type: 'integer' },
  lastFound: { expression: findings.lastFound, type: 'timestamp' },
  title: { expression: sql`left(${findings.title}, 256)`, type: 'text' },
  id: { expression: findings.id, type: 'integer' },
} as const satisfies Record<FindingSort, SortKey>;

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** Query parameters of a findings list; shared by the API route and the pages. */
export const listFindingsInputSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).optional(),
  sort: z.enum(FINDING_SORTS).default('detectionScore'),
  direction: z.enum(['asc', 'desc']).optional(),
  /** Only the findings of this asset. */
  assetId: z.coerce.number().int().min(1).max(MAX_ID).optional(),
  /** A query in the query language (lib/query), e.g. `finding.severity>=high AND asset.internetFacing:true`. */
  q: z.string().optional(),
});

export type ListFindingsInput = z.input<typeof listFindingsInputSchema>;

/** One row of a findings list, as sent to clients. */
export interface FindingListItem {
  id: number;
  type: (typeof findingType.enumValues)[number];
  title: string;
  severity: number;
  status: (typeof findingStatus.enumValues)[number];
  detectionScore: number;
  cveId: string | null;
  port: number | null;
  protocol: string | null;
  sources: string[];
  firstFound: string;
  lastFound: string;
  asset: { id: number; name: string };
}

export interface Page<Item> {
  /** Rows matching the filter, on all pages. */
  total: number;
  items: Item[];
  /** Opaque cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** Opaque cursor of the previous page, or null on the first page. */
  prevCursor: string | null;
}

/**
 * Lists findings one keyset page at a time, ordered by the sort key and then by id. Throws
 * AppError `invalid_input` for invalid options, an invalid query `q`, or a cursor that is
 * malformed or from another sort.
 */
export async function listFindings(db: Db, input: ListFindingsInput = {}): Promise<Page<FindingListItem>> {
  const parsed = listFindingsInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', formatIssues(parsed.error));
  const options = parsed.data;
  const direction = options.direction ?? FINDING_SORT_DEFAULT_DIRECTION[options.sort];
  const filter = and(options.assetId === undefined ? undefined : eq(findings.assetId, options.assetId), await queryFilter(db, 'finding', options.q));

  const page = await fetchKeysetPage({
    sortName: options.sort,
    key: FINDING_SORT_KEYS[options.sort],
    idColumn: findings.id,
    direction,
    limit: options.limit,
    cursor: options.cursor,
    where: filter,
    fetch: (query) =>
      db
        .select({
          id: findings.id,
          type: findings.type,
          title: findings.title,
          severity: findings.severity,
          status: findings.status,
          detectionScore: findings.detectionScore,
          cveId: findings.cveId,
          port: findings.port,
          protocol: findings.protocol,
          sources: findings.sources,
          firstFound: findings.firstFound,
          lastFound: findings.lastFound,
          assetId: assets.id,
          assetName: assets.name,
          cursorValue: query.cursorValue,
        })
        .from(findings)
        .innerJoin(assets, eq(assets.id, findings.assetId))
        .where(query.where)
        .orderBy(...query.orderBy)
        .limit(query.limit),
  });

  // TODO: counting every match reads all matching findings; at a million findings a broad query
  // spends up to about a second here (bench/RESULTS.md) against a few milliseconds for the page.
  // Cap or estimate the total for large results.
  const [totalRow] = await db.select({ value: count() }).from(findings).where(filter);

  return {
    total: totalRow?.value ?? 0,
    items: page.rows.map((row) => ({
      id: row.id,
      type: row.type,
      title: row.title,
      severity: row.severity,
      status: row.status,
      detectionScore: row.detectionScore,
      cveId: row.cveId,
      port: row.port,
      protocol: row.protocol,
      sources: row.sources,
      firstFound: row.firstFound.toISOString(),
      lastFound: row.lastFound.toISOString(),
      asset: { id: row.assetId, name: row.assetName },
    })),
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
  };
}
