import { riskBand, type Band } from './bands';

/** One member asset of a tag, business entity or the organization. */
export interface AggregateMember {
  assetId: number;
  name: string;
  /** The asset's v1 Risk Score (0–1000). */
  scoreV1: number;
  /** The asset's v2 Risk Score (0–1000). */
  scoreV2: number;
}

export interface MemberContribution {
  assetId: number;
  name: string;
  assetScore: number;
  /** Points of the aggregate this member accounts for; all contributions add up to the score. */
  contribution: number;
}

export interface AggregateRisk {
  /** Unrounded v2 score, so comparisons see changes smaller than a point. */
  exactV2: number;
  v1: number;
  v2: number;
  bandV1: Band;
  bandV2: Band;
  memberCount: number;
  maxScore: number;
  /** Members ordered by contribution, highest first. */
  contributionsV1: MemberContribution[];
  contributionsV2: MemberContribution[];
}

/**
 * Mass of one member in the v2 aggregate: the square of its score on a 0–1 scale, so one asset at
 * 900 weighs as much as nine at 300 and a crowd of low-risk assets moves the score little.
 */
export function memberMass(score: number): number {
  const share = Math.max(0, Math.min(1000, score)) / 1000;
  return share * share;
}

/**
 * Computes the v2 Risk Score of a group of assets:
 * `S = M + (1000 − M) × (1 − exp(−Σ m_i / K))` with M the highest member score, m_i the mass of
 * each member and K the spread setting. docs/scoring.md proves that S never falls below M, stays
 * within 0–1000, rises with every member or finding that adds risk and falls with every fix.
 */
export function aggregateV2(scores: readonly number[], spread: number): number {
  let max = 0;
  let mass = 0;
  for (const score of scores) {
    if (score > max) max = score;
    mass += memberMass(score);
  }
  return aggregateFromParts(max, mass, spread);
}

/** Evaluates the v2 aggregate from its two sufficient statistics, the maximum and the summed mass. */
export function aggregateFromParts(max: number, mass: number, spread: number): number {
  const top = Math.max(0, Math.min(1000, max));
  return top + (1000 - top) * -Math.expm1(-mass / spread);
}

/** Computes the v1 (mean) and v2 Risk Scores of a group, with each member's contribution. */
export function aggregateRisk(members: readonly AggregateMember[], spread: number): AggregateRisk {
  const count = members.length;
  let top: AggregateMember | undefined;
  let mass = 0;
  let sumV1 = 0;
  for (const member of members) {
    // Ties go to the lowest asset id, so the explanation is stable between page loads.
    if (!top || member.scoreV2 > top.scoreV2 || (member.scoreV2 === top.scoreV2 && member.assetId < top.assetId)) top = member;
    mass += memberMass(member.scoreV2);
    sumV1 += member.scoreV1;
  }

  const max = top ? Math.max(0, Math.min(1000, top.scoreV2)) : 0;
  const exactV2 = aggregateFromParts(max, mass, spread);
  const spreadPoints = exactV2 - max;

  // The maximum member keeps its own score; the points above it are shared in proportion to mass.
  const contributionsV2 = members.map((member) => ({
    assetId: member.assetId,
    name: member.name,
    assetScore: member.scoreV2,
    contribution: (member === top ? max : 0) + (mass > 0 ? (spreadPoints * memberMass(member.scoreV2)) / mass : 0),
  }));
  const contributionsV1 = members.map((member) => ({
    assetId: member.assetId,
    name: member.name,
    assetScore: member.scoreV1,
    contribution: count > 0 ? member.scoreV1 / count : 0,
  }));
  const byContribution = (a: MemberContribution, b: MemberContribution) => b.contribution - a.contribution || a.assetId - b.assetId;
  contributionsV1.sort(byContribution);
  contributionsV2.sort(byContribution);

  const v1 = count > 0 ? Math.round(sumV1 / count) : 0;
  const v2 = Math.round(exactV2);
  return { exactV2, v1, v2, bandV1: riskBand(v1), bandV2: riskBand(v2), memberCount: count, maxScore: max, contributionsV1, contributionsV2 };
}
