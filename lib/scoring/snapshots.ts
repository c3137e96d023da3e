import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { aggregateFromParts } from './aggregate';
import { getScoringSettings } from './settings';

export type RiskSubjectKind = 'organization' | 'business_entity' | 'tag';

/** Days of history the trend charts show. */
export const TREND_DAYS = 90;

/** The sufficient statistics of a group's v1 and v2 Risk Scores, computed in one SQL pass. */
export interface GroupParts {
  id: number;
  assetCount: number;
  meanV1: number;
  maxV2: number;
  /** Σ (score_v2 / 1000)², the mass the v2 aggregate sums. */
  mass: number;
}

const PARTS_COLUMNS = sql`
  count(a.id)::int as asset_count,
  coalesce(avg(a.risk_score), 0)::float8 as mean_v1,
  coalesce(max(a.risk_score_v2), 0)::float8 as max_v2,
  coalesce(sum((least(greatest(a.risk_score_v2, 0), 1000)::float8 / 1000) ^ 2), 0)::float8 as mass`;

interface PartsRow {
  id: number;
  asset_count: number;
  mean_v1: number;
  max_v2: number;
  mass: number;
}

function toParts(row: PartsRow): GroupParts {
  return { id: Number(row.id), assetCount: Number(row.asset_count), meanV1: Number(row.mean_v1), maxV2: Number(row.max_v2), mass: Number(row.mass) };
}

/** Reads the organization's score parts over every asset. */
export async function organizationParts(db: Db | Tx): Promise<GroupParts> {
  const [row] = await queryRows<PartsRow>(db, sql`select 0 as id, ${PARTS_COLUMNS} from assets a`);
  return row ? toParts(row) : { id: 0, assetCount: 0, meanV1: 0, maxV2: 0, mass: 0 };
}

/** Reads the score parts of every tag, or of the tags whose ids are listed. */
export async function tagParts(db: Db | Tx, tagIds?: SQL): Promise<GroupParts[]> {
  const rows = await queryRows<PartsRow>(db, sql`
    select t.id, ${PARTS_COLUMNS}
    from tags t
    left join asset_tags at on at.tag_id = t.id
    left join assets a on a.id = at.asset_id
    ${tagIds ? sql`where t.id in (${tagIds})` : sql``}
    group by t.id`);
  return rows.map(toParts);
}

/**
 * Reads the score parts of every business entity, or of those listed. An entity's members are the
 * union of its tags' assets, each counted once.
 */
export async function businessEntityParts(db: Db | Tx, entityIds?: SQL): Promise<GroupParts[]> {
  const rows = await queryRows<PartsRow>(db, sql`
    select e.id, ${PARTS_COLUMNS}
    from business_entities e
    left join (
      select distinct bet.business_entity_id, at.asset_id
      from business_entity_tags bet join asset_tags at on at.tag_id = bet.tag_id
      ${entityIds ? sql`where bet.business_entity_id in (${entityIds})` : sql``}
    ) m on m.business_entity_id = e.id
    left join assets a on a.id = m.asset_id
    ${entityIds ? sql`where e.id in (${entityIds})` : sql``}
    group by e.id`);
  return rows.map(toParts);
}

/** Computes a group's unrounded v1 and v2 Risk Scores from its parts. */
export function scoresFromParts(parts: GroupParts, spread: number): { v1: number; v2: number } {
  return { v1: parts.meanV1, v2: aggregateFromParts(parts.maxV2, parts.mass, spread) };
}

/**
 * Upserts today's (UTC) snapshot of the organization and of every tag and business entity, or,
 * given asset ids, of the organization and of the tags and entities those assets belong to.
 */
export async function snapshotRiskScores(db: Db | Tx, scope: { all: true } | { assetIds: readonly number[] }, day = new Date()): Promise<number> {
  const settings = await getScoringSettings(db);
  let tagFilter: SQL | undefined;
  let entityFilter: SQL | undefined;
  if (!('all' in scope)) {
    const idList = sql.raw(`'{${scope.assetIds.map((id) => Math.trunc(id)).join(',')}}'::int[]`);
    tagFilter = sql`select tag_id from asset_tags where asset_id = any(${idList})`;
    entityFilter = sql`select bet.business_entity_id from business_entity_tags bet join asset_tags at on at.tag_id = bet.tag_id where at.asset_id = any(${idList})`;
  }

  const subjects: { kind: RiskSubjectKind; parts: GroupParts }[] = [{ kind: 'organization', parts: await organizationParts(db) }];
  for (const parts of await tagParts(db, tagFilter)) subjects.push({ kind: 'tag', parts });
  for (const parts of await businessEntityParts(db, entityFilter)) subjects.push({ kind: 'business_entity', parts });

  const rows = subjects.map(({ kind, parts }) => {
    const scores = scoresFromParts(parts, settings.aggregateV2.spread);
    return { kind, id: parts.id, v1: Math.round(scores.v1 * 10) / 10, v2: Math.round(scores.v2 * 10) / 10, count: parts.assetCount };
  });
  await db.execute(sql`
    insert into risk_score_snapshots (day, subject_kind, subject_id, score_v1, score_v2, asset_count)
    select ${day.toISOString().slice(0, 10)}::date, u.kind::risk_subject_kind, u.id, u.v1, u.v2, u.count
    from json_to_recordset(${JSON.stringify(rows)}::json) as u(kind text, id int, v1 real, v2 real, count int)
    on conflict (subject_kind, subject_id, day) do update
      set score_v1 = excluded.score_v1, score_v2 = excluded.score_v2, asset_count = excluded.asset_count`);
  return rows.length;
}

export interface TrendPoint {
  day: string;
  v1: number;
  v2: number;
}

/** Reads a subject's snapshots of the last 90 days, oldest first. */
export async function readRiskTrend(db: Db | Tx, kind: RiskSubjectKind, subjectId: number, today = new Date()): Promise<TrendPoint[]> {
  const since = new Date(today.getTime() - (TREND_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await queryRows<{ day: string | Date; score_v1: number; score_v2: number }>(db, sql`
    select day, score_v1, score_v2 from risk_score_snapshots
    where subject_kind = ${kind}::risk_subject_kind and subject_id = ${subjectId} and day >= ${since}::date
    order by day`);
  return rows.map((row) => ({ day: typeof row.day === 'string' ? row.day.slice(0, 10) : row.day.toISOString().slice(0, 10), v1: Number(row.score_v1), v2: Number(row.score_v2) }));
}
