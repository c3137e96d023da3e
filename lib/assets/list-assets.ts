import { count, desc, asc, gt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { assetKind, assets, findings } from '../../db/schema';
import { AppError, formatIssues } from '../http/app-error';
import { fetchKeysetPage, type SortDirection, type SortKey } from '../pagination/keyset';
import { queryFilter } from '../query/filter';
import { getScoringSettings } from '../scoring/settings';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from '../findings/list-findings';
import type { SeverityCount } from '../findings/aggregates';
import { SEVERITIES_DESCENDING, SEVERITY_LABELS } from '../findings/severity';

export const ASSET_SORTS = ['riskScore', 'name', 'lastSeen', 'openFindings'] as const;
export type AssetSort = (typeof ASSET_SORTS)[number];

export const ASSET_SORT_DEFAULT_DIRECTION = {
  riskScore: 'desc',
  name: 'asc',
  lastSeen: 'desc',
  openFindings: 'desc',
} as const satisfies Record<AssetSort, SortDirection>;

/**
 * Open findings (status other than `fixed`) of the asset in the current row. The columns are
 * written out qualified because drizzle renders `${assets.id}` as a bare `"id"` in a query on
 * one table, which inside this subquery would name the finding's id instead.
 */
export const openFindingCount: SQL<number> = sql<number>`(select count(*)::integer from ${findings} as open_finding where open_finding.asset_id = "assets"."id" and open_finding.status <> 'fixed')`;

/**
 * Open findings of the asset in the current row counted per severity, as an integer array in the
 * order of SEVERITIES_DESCENDING. The columns are qualified for the same reason as above.
 */
const openFindingCountsBySeverity: SQL<number[]> = sql<number[]>`(select array[${sql.join(
  SEVERITIES_DESCENDING.map((severity) => sql`count(*) filter (where open_finding.severity = ${severity})`),
  sql`, `,
)}]::integer[] from ${findings} as open_finding where open_finding.asset_id = "assets"."id" and open_finding.status <> 'fixed')`;

function toSeverityCounts(values: readonly unknown[]): SeverityCount[] {
  return SEVERITIES_DESCENDING.map((severity, index) => ({ severity, label: SEVERITY_LABELS[severity], count: Number(values[index] ?? 0) }));
}

/**
 * The Asset Risk Score column of the version the organization shows (a scoring setting), so lists
 * rank and display assets by the same version as the headline score.
 */
export async function displayedRiskScoreColumn(db: Db) {
  const settings = await getScoringSettings(db);
  return settings.displayedVersion === 'v2' ? assets.riskScoreV2 : assets.riskScore;
}

// Names are compared on their first 256 characters so that cursors stay short; see list-findings.ts.
function assetSortKeys(riskScore: typeof assets.riskScore | typeof assets.riskScoreV2) {
  return {
    riskScore: { expression: riskScore, type: 'real' },
    name: { expression: sql`left(${assets.name}, 256)`, type: 'text' },
    lastSeen: { expression: assets.lastSeen, type: 'timestamp' },
    openFindings: { expression: openFindingCount, type: 'integer' },
  } as const satisfies Record<AssetSort, SortKey>;
}

export const listAssetsInputSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).optional(),
  sort: z.enum(ASSET_SORTS).default('riskScore'),
  direction: z.enum(['asc', 'desc']).optional(),
  /** A query in the query language (lib/query), e.g. `asset.tags.name:production AND finding.isKev:true`. */
  q: z.string().optional(),
});

export type ListAssetsInput = z.input<typeof listAssetsInputSchema>;

/** One row of an asset list, as sent to clients. */
export interface AssetListItem {
  id: number;
  name: string;
  kind: (typeof assetKind.enumValues)[number];
  fqdn: string | null;
  hostname: string | null;
  ipv4: string[];
  os: string | null;
  internetFacing: boolean;
  riskScore: number;
  criticalityScore: number;
  lastSeen: string;
  openFindings: number;
  /** Open findings per severity, most severe first, all five severities listed. */
  openFindingsBySeverity: SeverityCount[];
}

/** Lists assets one keyset page at a time; throws AppError `invalid_input` for invalid options, queries `q` or cursors. */
export async function listAssets(db: Db, input: ListAssetsInput = {}): Promise<Page<AssetListItem>> {
  const parsed = listAssetsInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', formatIssues(parsed.error));
  const options = parsed.data;
  const direction = options.direction ?? ASSET_SORT_DEFAULT_DIRECTION[options.sort];
  const filter = await queryFilter(db, 'asset', options.q);

  const riskScore = await displayedRiskScoreColumn(db);
  const page = await fetchKeysetPage({
    sortName: options.sort,
    key: assetSortKeys(riskScore)[options.sort],
    idColumn: assets.id,
    direction,
    limit: options.limit,
    cursor: options.cursor,
    where: filter,
    fetch: (query) =>
      db
        .select({
          id: assets.id,
          name: assets.name,
          kind: assets.kind,
          fqdn: assets.fqdn,
          hostname: assets.hostname,
          ipv4: assets.ipv4,
          os: assets.os,
          internetFacing: assets.internetFacing,
          riskScore,
          criticalityScore: assets.criticalityScore,
          lastSeen: assets.lastSeen,
          openFindings: openFindingCount,
          openFindingsBySeverity: openFindingCountsBySeverity,
          cursorValue: query.cursorValue,
        })
        .from(assets)
        .where(query.where)
        .orderBy(...query.orderBy)
        .limit(query.limit),
  });

  const total = filter ? await countMatchingAssets(db, filter) : await countAssets(db);

  return {
    total,
    items: page.rows.map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      fqdn: row.fqdn,
      hostname: row.hostname,
      ipv4: row.ipv4,
      os: row.os,
      internetFacing: row.internetFacing,
      riskScore: row.riskScore,
      criticalityScore: row.criticalityScore,
      lastSeen: row.lastSeen.toISOString(),
      openFindings: Number(row.openFindings),
      openFindingsBySeverity: toSeverityCounts(row.openFindingsBySeverity),
    })),
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
  };
}

async function countMatchingAssets(db: Db, filter: SQL): Promise<number> {
  const [row] = await db.select({ value: count() }).from(assets).where(filter);
  return row?.value ?? 0;
}

export async function countAssets(db: Db): Promise<number> {
  const [row] = await db.select({ value: count() }).from(assets);
  return row?.value ?? 0;
}

export interface RiskyAsset {
  id: number;
  name: string;
  riskScore: number;
  openFindings: number;
}

/** Returns the `limit` assets with the highest displayed Risk Score above 0, highest first, ties by id. */
export async function riskiestAssets(db: Db, limit: number): Promise<RiskyAsset[]> {
  const riskScore = await displayedRiskScoreColumn(db);
  const rows = await db
    .select({ id: assets.id, name: assets.name, riskScore, openFindings: openFindingCount })
    .from(assets)
    .where(gt(riskScore, 0))
    .orderBy(desc(riskScore), asc(assets.id))
    .limit(Math.max(0, Math.min(limit, MAX_PAGE_SIZE)));
  return rows.map((row) => ({ id: row.id, name: row.name, riskScore: row.riskScore, openFindings: Number(row.openFindings) }));
}
