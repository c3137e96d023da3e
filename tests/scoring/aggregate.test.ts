import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateRisk, aggregateV2, type AggregateMember } from '../../lib/scoring/aggregate';
import { assetRiskScoreV1, assetRiskScoreV2, summarizeBands } from '../../lib/scoring/asset-risk';
import { detectionScoreBand, type Band } from '../../lib/scoring/bands';
import { DEFAULT_SCORING_SETTINGS } from '../../lib/scoring/settings';

const SPREAD = DEFAULT_SCORING_SETTINGS.aggregateV2.spread;
const ASSET_SETTINGS = DEFAULT_SCORING_SETTINGS.assetRiskV2;

// Asset scores are stored to 0.1 and stay below 1000 here, where the aggregate is not saturated.
const riskScore = fc.integer({ min: 0, max: 9990 }).map((tenths) => tenths / 10);
const positiveRisk = fc.integer({ min: 1, max: 9990 }).map((tenths) => tenths / 10);
const estate = fc.array(riskScore, { minLength: 0, maxLength: 60 });
const nonEmptyEstate = fc.array(riskScore, { minLength: 1, maxLength: 60 });

/** An asset as a list of Detection Scores plus criticality, scored by both formulas. */
const assetArbitrary = fc.record({
  criticality: fc.integer({ min: 1, max: 5 }),
  internetFacing: fc.boolean(),
  findings: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 0, maxLength: 8 }),
});
type ArbitraryAsset = { criticality: number; internetFacing: boolean; findings: number[] };

function scoreAsset(asset: ArbitraryAsset): { v1: number; v2: number } {
  const counts: Record<Band, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const score of asset.findings) counts[detectionScoreBand(score)]++;
  const v2 = assetRiskScoreV2({ criticality: asset.criticality, internetFacing: asset.internetFacing, maxDetectionScore: Math.max(0, ...asset.findings), counts }, ASSET_SETTINGS);
  return { v1: assetRiskScoreV1({ criticality: asset.criticality, bands: summarizeBands(asset.findings) }), v2: v2.score };
}

function members(scores: readonly number[]): AggregateMember[] {
  return scores.map((score, index) => ({ assetId: index + 1, name: `asset-${index + 1}`, scoreV1: score, scoreV2: score }));
}

describe('aggregateV2 properties', () => {
  it('rises when an asset with positive risk is added', () => {
    fc.assert(
      fc.property(estate, positiveRisk, (scores, added) => {
        expect(aggregateV2([...scores, added], SPREAD)).toBeGreaterThan(aggregateV2(scores, SPREAD));
      }),
    );
  });

  it('rises when a finding is added to an asset', () => {
    fc.assert(
      fc.property(fc.array(assetArbitrary, { minLength: 1, maxLength: 20 }), fc.nat(), fc.integer({ min: 1, max: 100 }), (assets, pick, detectionScore) => {
        const index = pick % assets.length;
        const before = assets.map((asset) => scoreAsset(asset).v2);
        const changed = assets.map((asset, position) => (position === index ? { ...asset, findings: [...asset.findings, detectionScore] } : asset));
        const after = changed.map((asset) => scoreAsset(asset).v2);
        fc.pre(Math.max(...after) < 1000);
        expect(aggregateV2(after, SPREAD)).toBeGreaterThan(aggregateV2(before, SPREAD));
      }),
    );
  });

  it('falls when an asset lowers its risk', () => {
    fc.assert(
      fc.property(nonEmptyEstate, fc.nat(), fc.integer({ min: 1, max: 9990 }), (scores, pick, cut) => {
        const index = pick % scores.length;
        const lowered = scores.map((score, position) => (position === index ? Math.max(0, score - cut / 10) : score));
        fc.pre(lowered[index]! < scores[index]!);
        expect(aggregateV2(lowered, SPREAD)).toBeLessThan(aggregateV2(scores, SPREAD));
      }),
    );
  });

  it('falls when a finding is fixed', () => {
    fc.assert(
      fc.property(fc.array(assetArbitrary, { minLength: 1, maxLength: 20 }), fc.nat(), fc.nat(), (assets, pick, findingPick) => {
        const index = pick % assets.length;
        const asset = assets[index]!;
        fc.pre(asset.findings.length > 0);
        const before = assets.map((entry) => scoreAsset(entry).v2);
        fc.pre(Math.max(...before) < 1000);
        const fixed = asset.findings.filter((_, position) => position !== findingPick % asset.findings.length);
        const after = assets.map((entry, position) => (position === index ? scoreAsset({ ...entry, findings: fixed }).v2 : before[position]!));
        expect(aggregateV2(after, SPREAD)).toBeLessThan(aggregateV2(before, SPREAD));
      }),
    );
  });

  it('is never below the riskiest asset', () => {
    fc.assert(
      fc.property(estate, (scores) => {
        expect(aggregateV2(scores, SPREAD)).toBeGreaterThanOrEqual(Math.max(0, ...scores));
      }),
    );
  });

  it('stays within 0 and 1000', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 2000 }), (scores) => {
        const score = aggregateV2(scores, SPREAD);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1000);
      }),
    );
  });

  it('explains itself with contributions that add up', () => {
    fc.assert(
      fc.property(estate, (scores) => {
        const result = aggregateRisk(members(scores), SPREAD);
        const sumV2 = result.contributionsV2.reduce((sum, entry) => sum + entry.contribution, 0);
        const sumV1 = result.contributionsV1.reduce((sum, entry) => sum + entry.contribution, 0);
        expect(result.contributionsV2).toHaveLength(scores.length);
        expect(sumV2).toBeCloseTo(result.exactV2, 6);
        expect(sumV1).toBeCloseTo(scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : 0, 6);
        for (const entry of result.contributionsV2) expect(entry.contribution).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('aggregateV2 saturation', () => {
  it('stays at 1000 once an asset is at 1000', () => {
    expect(aggregateV2([1000], SPREAD)).toBe(1000);
    expect(aggregateV2([1000, 500], SPREAD)).toBe(1000);
  });

  it('is zero for an empty group', () => {
    expect(aggregateV2([], SPREAD)).toBe(0);
    expect(aggregateRisk([], SPREAD).v1).toBe(0);
  });
});

describe('v1 and v2 disagree', () => {
  it('adding a high-risk asset lowers v1 but raises v2', () => {
    const before = aggregateRisk(members([920, 900, 880]), SPREAD);
    const after = aggregateRisk(members([920, 900, 880, 750]), SPREAD);
    expect(after.v1).toBeLessThan(before.v1);
    expect(after.exactV2).toBeGreaterThan(before.exactV2);
  });

  it('fixing a minor finding raises v1 but lowers v2', () => {
    // The medium band's mean rises when its weakest finding goes, so v1 rises; v2 counts findings.
    const assetBefore: ArbitraryAsset = { criticality: 2, internetFacing: false, findings: [95, 69, 41] };
    const assetAfter: ArbitraryAsset = { ...assetBefore, findings: [95, 69] };
    const other: ArbitraryAsset = { criticality: 2, internetFacing: false, findings: [60] };
    const before = [assetBefore, other].map(scoreAsset);
    const after = [assetAfter, other].map(scoreAsset);
    const toMembers = (scores: { v1: number; v2: number }[]) => scores.map((score, index) => ({ assetId: index + 1, name: `asset-${index + 1}`, scoreV1: score.v1, scoreV2: score.v2 }));

    const groupBefore = aggregateRisk(toMembers(before), SPREAD);
    const groupAfter = aggregateRisk(toMembers(after), SPREAD);
    expect(after[0]!.v1).toBeGreaterThan(before[0]!.v1);
    expect(groupAfter.contributionsV1.reduce((sum, entry) => sum + entry.contribution, 0)).toBeGreaterThan(groupBefore.contributionsV1.reduce((sum, entry) => sum + entry.contribution, 0));
    expect(groupAfter.exactV2).toBeLessThan(groupBefore.exactV2);
  });
});

describe('assetRiskScoreV2', () => {
  it('follows the formula', () => {
    const result = assetRiskScoreV2({ criticality: 3, internetFacing: true, maxDetectionScore: 95, counts: { critical: 1, high: 2, medium: 0, low: 4 } }, ASSET_SETTINGS);
    const expected = 3 * 1.2 * (95 * 1.3 + 1 * 150 + 2 * 40 + 4 * 0.5);
    expect(result.score).toBe(Math.min(1000, Math.round(expected * 10) / 10));
    expect(result.terms.reduce((sum, term) => sum + term.points, 0)).toBeCloseTo(result.base, 9);
  });

  it.each([
    [95, 1.3],
    [90, 1.3],
    [89, 1.1],
    [70, 1.1],
    [69, 1],
    [10, 1],
  ] as const)('uses g for a maximum of %d', (max, multiplier) => {
    const result = assetRiskScoreV2({ criticality: 1, internetFacing: false, maxDetectionScore: max, counts: { critical: 0, high: 0, medium: 0, low: 0 } }, ASSET_SETTINGS);
    expect(result.score).toBeCloseTo(max * multiplier, 1);
  });

  it('is zero without findings', () => {
    expect(assetRiskScoreV2({ criticality: 5, internetFacing: true, maxDetectionScore: 0, counts: { critical: 0, high: 0, medium: 0, low: 0 } }, ASSET_SETTINGS).score).toBe(0);
  });

  it('caps at 1000 and says so', () => {
    const result = assetRiskScoreV2({ criticality: 5, internetFacing: true, maxDetectionScore: 100, counts: { critical: 5, high: 0, medium: 0, low: 0 } }, ASSET_SETTINGS);
    expect(result.score).toBe(1000);
    expect(result.capped).toBe(true);
  });

  it('puts a default asset with one critical finding in the medium band', () => {
    const result = assetRiskScoreV2({ criticality: 2, internetFacing: false, maxDetectionScore: 95, counts: { critical: 1, high: 0, medium: 0, low: 0 } }, ASSET_SETTINGS);
    expect(result.score).toBeGreaterThanOrEqual(500);
    expect(result.score).toBeLessThan(700);
  });
});
