import { describe, expect, it } from 'vitest';
import { assetRiskScoreV1, DEFAULT_BAND_WEIGHTS, summarizeBands } from '../../lib/scoring/asset-risk';

describe('assetRiskScoreV1', () => {
  it('is zero without findings', () => {
    expect(assetRiskScoreV1({ criticality: 2, bands: summarizeBands([]) })).toBe(0);
  });

  it('follows the formula for one band', () => {
    const expected = 2 * DEFAULT_BAND_WEIGHTS.critical * 95 * Math.pow(1, 0.01);
    expect(assetRiskScoreV1({ criticality: 2, bands: summarizeBands([95]) })).toBeCloseTo(expected, 1);
  });

  it('averages within a band and weights the count slightly', () => {
    const bands = summarizeBands([50, 60]);
    const expected = 3 * DEFAULT_BAND_WEIGHTS.medium * 55 * Math.pow(2, 0.01);
    expect(assetRiskScoreV1({ criticality: 3, bands })).toBeCloseTo(expected, 1);
  });

  it('sums the bands', () => {
    const bands = summarizeBands([95, 75, 20]);
    const expected = 1 * (DEFAULT_BAND_WEIGHTS.critical * 95 + DEFAULT_BAND_WEIGHTS.high * 75 + DEFAULT_BAND_WEIGHTS.low * 20);
    expect(assetRiskScoreV1({ criticality: 1, bands })).toBeCloseTo(expected, 1);
  });

  it('caps at 1000', () => {
    expect(assetRiskScoreV1({ criticality: 5, bands: summarizeBands([100, 100, 95, 80]) })).toBe(1000);
  });

  it('grows with criticality', () => {
    const bands = summarizeBands([45]);
    expect(assetRiskScoreV1({ criticality: 4, bands })).toBeGreaterThan(assetRiskScoreV1({ criticality: 2, bands }));
  });
});

describe('summarizeBands', () => {
  it('puts each score in its band', () => {
    const bands = summarizeBands([90, 89, 40, 39, 1]);
    expect(bands.critical).toEqual({ count: 1, scoreSum: 90 });
    expect(bands.high).toEqual({ count: 1, scoreSum: 89 });
    expect(bands.medium).toEqual({ count: 1, scoreSum: 40 });
    expect(bands.low).toEqual({ count: 2, scoreSum: 40 });
  });
});
