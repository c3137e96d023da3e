import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/execute';
import { aggregateRisk, memberMass, type AggregateMember, type AggregateRisk } from './aggregate';
import { BANDS, RISK_SCORE_BANDS, riskBand, type Band } from './bands';
import { getScoringSettings } from './settings';
import { acceptedFindingsSummary, type AcceptedFindingsSummary } from '../risk-acceptance/exclusions';
import { businessEntityParts, organizationParts, readRiskTrend, scoresFromParts, type RiskSubjectKind, type TrendPoint } from './snapshots';

export type RiskSubject = { kind: 'organization' } | { kind: 'business_entity'; id: number } | { kind: 'tag'; id: number };

export interface GroupRiskExplanation extends AggregateRisk {
  name: string;
  displayedVersion: 'v1' | 'v2';
  spread: number;
  trend: TrendPoint[];
  /** Open findings of the members left out because an active risk acceptance covers them, and the rules. */
  acceptedFindings: AcceptedFindingsSummary;
}

/** Reads a subject's name, or undefined when the tag or business entity does not exist. */
async function subjectName(db: Db, subject: RiskSubject): Promise<string | undefined> {
  if (subject.kind === 'organization') return 'Organization';
  const rows =
    subject.kind === 'tag'
      ? await queryRows<{ name: string }>(db, sql`select name from tags where id = ${subject.id}`)
      : await queryRows<{ name: string }>(db, sql`select name from business_entities where id = ${subject.id}`);
  return rows[0]?.name;
}

function membersQuery(subject: RiskSubject) {
  switch (subject.kind) {
    case 'organization':
      return sql`select id, name, risk_score, risk_score_v2 from assets`;
    case 'tag':
      return sql`select a.id, a.name, a.risk_score, a.risk_score_v2 from assets a join asset_tags at on at.asset_id = a.id where at.tag_id = ${subject.id}`;
    case 'business_entity':
      return sql`select a.id, a.name, a.risk_score, a.risk_score_v2 from assets a
        where a.id in (select at.asset_id from business_entity_tags bet join asset_tags at on at.tag_id = bet.tag_id where bet.business_entity_id = ${subject.id})`;
  }
}

function subjectKey(subject: RiskSubject): { kind: RiskSubjectKind; id: number } {
  return subject.kind === 'organization' ? { kind: 'organization', id: 0 } : { kind: subject.kind, id: subject.id };
}

/**
 * Computes a tag's, business entity's or the organization's v1 and v2 Risk Scores with every
 * member's contribution and the 90-day trend. Returns undefined for an unknown tag or entity.
 */
export async function explainGroupRisk(db: Db, subject: RiskSubject): Promise<GroupRiskExplanation | undefined> {
  const name = await subjectName(db, subject);
  if (name === undefined) return undefined;

  const settings = await getScoringSettings(db);
  const rows = await queryRows<{ id: number; name: string; risk_score: number; risk_score_v2: number }>(db, membersQuery(subject));
  const members: AggregateMember[] = rows.map((row) => ({ assetId: Number(row.id), name: row.name, scoreV1: Number(row.risk_score), scoreV2: Number(row.risk_score_v2) }));
  const key = subjectKey(subject);
  const trend = await readRiskTrend(db, key.kind, key.id);
  const acceptedFindings = await acceptedFindingsSummary(db, subject.kind === 'organization' ? undefined : members.map((member) => member.assetId));
  return { ...aggregateRisk(members, settings.aggregateV2.spread), name, displayedVersion: settings.displayedVersion, spread: settings.aggregateV2.spread, trend, acceptedFindings };
}

export interface RankedContribution {
  id: number;
  name: string;
  score: number;
  contribution: number;
}

export interface OrganizationOverview {
  displayedVersion: 'v1' | 'v2';
  score: number;
  band: Band;
  v1: number;
  v2: number;
  assetCount: number;
  /** Assets per band of the displayed version's Asset Risk Score. */
  assetsByBand: Record<Band, number>;
  trend: TrendPoint[];
  topAssets: RankedContribution[];
  /**
   * Business entities by the sum of their members' v2 contributions. An asset in several entities
   * counts in each, so these sums can add up to more than the score.
   */
  topBusinessEntities: RankedContribution[];
}

/**
 * Reads the home page's view of the organization's risk in a few aggregate queries, without
 * loading every asset: contributions follow from the maximum and the summed mass (lib/scoring/aggregate.ts).
 */
export async function organizationOverview(db: Db, top = 5): Promise<OrganizationOverview> {
  const settings = await getScoringSettings(db);
  const spread = settings.aggregateV2.spread;
  const parts = await organizationParts(db);
  const scores = scoresFromParts(parts, spread);
  const breadth = scores.v2 - Math.min(1000, parts.maxV2);

  const column = settings.displayedVersion === 'v1' ? sql.raw('risk_score') : sql.raw('risk_score_v2');
  const bandRows = await queryRows<{ band: Band; count: number }>(
    db,
    sql`select case
          when ${column} >= ${RISK_SCORE_BANDS.critical} then 'critical'
          when ${column} >= ${RISK_SCORE_BANDS.high} then 'high'
          when ${column} >= ${RISK_SCORE_BANDS.medium} then 'medium'
          else 'low' end as band, count(*)::int as count
        from assets group by 1`,
  );
  const assetsByBand = Object.fromEntries(BANDS.map((band) => [band, 0])) as Record<Band, number>;
  for (const row of bandRows) assetsByBand[row.band] = Number(row.count);

  const assetRows = await queryRows<{ id: number; name: string; risk_score_v2: number }>(
    db,
    sql`select id, name, risk_score_v2 from assets where risk_score_v2 > 0 order by risk_score_v2 desc, id limit ${top}`,
  );
  const topAsset = assetRows[0];
  const share = (score: number) => (parts.mass > 0 ? (breadth * memberMass(score)) / parts.mass : 0);
  const topAssets = assetRows.map((row, index) => ({
    id: Number(row.id),
    name: row.name,
    score: Number(row.risk_score_v2),
    contribution: (index === 0 ? Math.min(1000, Number(row.risk_score_v2)) : 0) + share(Number(row.risk_score_v2)),
  }));

  const entityRows = await queryRows<{ id: number; name: string }>(db, sql`select id, name from business_entities`);
  const entityNames = new Map(entityRows.map((row) => [Number(row.id), row.name]));
  const holdersOfTop = topAsset
    ? new Set(
        (
          await queryRows<{ id: number }>(
            db,
            sql`select distinct bet.business_entity_id as id from business_entity_tags bet join asset_tags at on at.tag_id = bet.tag_id where at.asset_id = ${topAsset.id}`,
          )
        ).map((row) => Number(row.id)),
      )
    : new Set<number>();
  const topBusinessEntities = (await businessEntityParts(db))
    .map((entity) => ({
      id: entity.id,
      name: entityNames.get(entity.id) ?? `Business entity ${entity.id}`,
      score: scoresFromParts(entity, spread).v2,
      contribution: (holdersOfTop.has(entity.id) ? Math.min(1000, parts.maxV2) : 0) + (parts.mass > 0 ? (breadth * entity.mass) / parts.mass : 0),
    }))
    .filter((entity) => entity.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || a.id - b.id)
    .slice(0, top);

  const score = settings.displayedVersion === 'v1' ? Math.round(scores.v1) : Math.round(scores.v2);
  return {
    displayedVersion: settings.displayedVersion,
    score,
    band: riskBand(score),
    v1: Math.round(scores.v1),
    v2: Math.round(scores.v2),
    assetCount: parts.assetCount,
    assetsByBand,
    trend: await readRiskTrend(db, 'organization', 0),
    topAssets,
    topBusinessEntities,
  };
}

export interface BusinessEntityRisk {
  id: number;
  name: string;
  description: string | null;
  assetCount: number;
  v1: number;
  v2: number;
  band: Band;
}

/** Lists every business entity with its v1 and v2 Risk Scores, riskiest by the displayed version first. */
export async function listBusinessEntityRisks(db: Db): Promise<{ displayedVersion: 'v1' | 'v2'; entities: BusinessEntityRisk[] }> {
  const settings = await getScoringSettings(db);
  const rows = await queryRows<{ id: number; name: string; description: string | null }>(db, sql`select id, name, description from business_entities`);
  const partsById = new Map((await businessEntityParts(db)).map((parts) => [parts.id, parts]));
  const entities = rows.map((row) => {
    const parts = partsById.get(Number(row.id));
    const scores = parts ? scoresFromParts(parts, settings.aggregateV2.spread) : { v1: 0, v2: 0 };
    const v1 = Math.round(scores.v1);
    const v2 = Math.round(scores.v2);
    return { id: Number(row.id), name: row.name, description: row.description, assetCount: parts?.assetCount ?? 0, v1, v2, band: riskBand(settings.displayedVersion === 'v1' ? v1 : v2) };
  });
  const shown = (entity: BusinessEntityRisk) => (settings.displayedVersion === 'v1' ? entity.v1 : entity.v2);
  entities.sort((a, b) => shown(b) - shown(a) || a.name.localeCompare(b.name));
  return { displayedVersion: settings.displayedVersion, entities };
}
