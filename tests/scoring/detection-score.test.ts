import { describe, expect, it } from 'vitest';
import { detectionScoreBand, riskBand } from '../../lib/scoring/bands';
import { computeDetectionScore, KEV_FLOOR, SEVERITY_SCORES } from '../../lib/scoring/detection-score';

describe('computeDetectionScore', () => {
  it('uses ten times the CVSS base score', () => {
    const result = computeDetectionScore({ type: 'vulnerability', severity: 5, cvssBaseScore: 9.8 });
    expect(result.score).toBe(98);
    expect(result.factors).toEqual([{ name: 'CVSS base score', value: '9.8', points: 98 }]);
  });

  it('falls back to severity without CVSS', () => {
    for (const severity of [1, 2, 3, 4, 5] as const) {
      expect(computeDetectionScore({ type: 'vulnerability', severity }).score).toBe(SEVERITY_SCORES[severity]);
    }
  });

  it('scores misconfigurations by severity', () => {
    expect(computeDetectionScore({ type: 'misconfiguration', severity: 4, cvssBaseScore: 2 }).score).toBe(SEVERITY_SCORES[4]);
  });

  it('raises KEV-listed findings to the floor', () => {
    const result = computeDetectionScore({ type: 'vulnerability', severity: 3, cvssBaseScore: 5.3, isKev: true });
    expect(result.score).toBe(KEV_FLOOR);
    expect(result.factors.map((factor) => factor.name)).toContain('CISA KEV');
  });

  it('adds EPSS points and clamps to 100', () => {
    expect(computeDetectionScore({ type: 'vulnerability', severity: 5, cvssBaseScore: 10, epssScore: 0.97 }).score).toBe(100);
    expect(computeDetectionScore({ type: 'vulnerability', severity: 3, cvssBaseScore: 5, epssScore: 0.5 }).score).toBe(55);
  });

  it('never returns less than 1', () => {
    expect(computeDetectionScore({ type: 'vulnerability', severity: 1, cvssBaseScore: 0 }).score).toBe(1);
  });
});

describe('bands', () => {
  it.each([
    [100, 'critical'],
    [90, 'critical'],
    [89, 'high'],
    [70, 'high'],
    [69, 'medium'],
    [40, 'medium'],
    [39, 'low'],
    [1, 'low'],
  ] as const)('detection score %d is %s', (score, band) => {
    expect(detectionScoreBand(score)).toBe(band);
  });

  it.each([
    [1000, 'critical'],
    [850, 'critical'],
    [849, 'high'],
    [700, 'high'],
    [699, 'medium'],
    [500, 'medium'],
    [499, 'low'],
    [0, 'low'],
  ] as const)('risk score %d is %s', (score, band) => {
    expect(riskBand(score)).toBe(band);
  });
});
