import { describe, expect, it } from 'vitest';
import { detectionScoreBand, riskBand } from '../../lib/scoring/bands';
import { parseCvssVector } from '../../lib/scoring/cvss';
import { computeDetectionScore, exploitFactsFromRaw, MISCONFIGURATION_SCORES, scaleEpss, type DetectionScoreInput } from '../../lib/scoring/detection-score';

function total(input: DetectionScoreInput): number {
  return computeDetectionScore(input).factors.reduce((sum, factor) => sum + factor.contribution, 0);
}

function factor(input: DetectionScoreInput, name: string) {
  const found = computeDetectionScore(input).factors.find((entry) => entry.name === name);
  if (!found) throw new Error(`no factor named ${name}`);
  return found;
}

describe('computeDetectionScore without threat facts', () => {
  it('gives CVSS two thirds and unknown exploit maturity the rest', () => {
    // 2/3 × 98 + 1/3 × (0.5/0.85 × 0.3) × 100
    const expected = (2 / 3) * 98 + (1 / 3) * (0.5 / 0.85) * 0.3 * 100;
    expect(total({ type: 'vulnerability', severity: 5, cvssBaseScore: 9.8 })).toBeCloseTo(expected, 6);
    expect(computeDetectionScore({ type: 'vulnerability', severity: 5, cvssBaseScore: 9.8 }).score).toBe(Math.round(expected));
  });

  it('ranks a weaponized CVE above a plain one', () => {
    const plain = computeDetectionScore({ type: 'vulnerability', severity: 5, cvssBaseScore: 9.8 }).score;
    const weaponized = computeDetectionScore({ type: 'vulnerability', severity: 5, cvssBaseScore: 9.8, exploitMaturity: 'high', epssScore: 0.9 }).score;
    expect(weaponized).toBeGreaterThan(plain);
    expect(detectionScoreBand(weaponized)).toBe('critical');
    expect(detectionScoreBand(plain)).toBe('high');
  });

  it('uses the vector score over a disagreeing stated score', () => {
    const input: DetectionScoreInput = { type: 'vulnerability', severity: 4, cvssBaseScore: 5, cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'] };
    const cvss = factor(input, 'CVSS base score');
    expect(cvss.value).toBe('9.8 from CVSS:3.1 (report states 5.0)');
    expect(cvss.contribution).toBeCloseTo((2 / 3) * 98, 6);
  });

  it('prefers the newest parsable vector', () => {
    const input: DetectionScoreInput = {
      type: 'vulnerability',
      severity: 4,
      cvssVectors: ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 'not a vector', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
    };
    expect(factor(input, 'CVSS base score').value).toBe('9.3 from CVSS:4.0');
  });

  it('takes exploit maturity from the vector E metric', () => {
    const input: DetectionScoreInput = { type: 'vulnerability', severity: 4, cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F'] };
    expect(factor(input, 'Exploit maturity').value).toBe('functional');
  });

  it('falls back to severity without CVSS', () => {
    const low = computeDetectionScore({ type: 'vulnerability', severity: 2 }).score;
    const critical = computeDetectionScore({ type: 'vulnerability', severity: 5 }).score;
    expect(factor({ type: 'vulnerability', severity: 5 }, 'CVSS base score').value).toContain('no CVSS');
    expect(critical).toBeGreaterThan(low);
  });

  it('raises the score with EPSS', () => {
    const without = total({ type: 'vulnerability', severity: 3, cvssBaseScore: 5 });
    const withEpss = total({ type: 'vulnerability', severity: 3, cvssBaseScore: 5, epssScore: 0.01 });
    expect(withEpss - without).toBeCloseTo((1 / 3) * (0.35 / 0.85) * 0.5 * 100, 6);
  });

  it('counts trend only when given', () => {
    expect(factor({ type: 'vulnerability', severity: 3, cvssBaseScore: 5 }, 'Trend').contribution).toBe(0);
    expect(factor({ type: 'vulnerability', severity: 3, cvssBaseScore: 5, trend: 1 }, 'Trend').contribution).toBeCloseTo((1 / 3) * 0.15 * 100, 6);
  });

  it('never returns less than 1', () => {
    expect(computeDetectionScore({ type: 'vulnerability', severity: 1, cvssBaseScore: 0, exploitMaturity: 'unproven' }).score).toBeGreaterThanOrEqual(1);
  });
});

describe('computeDetectionScore with threat facts', () => {
  it('puts every KEV-listed CVE in the critical band', () => {
    const result = computeDetectionScore({ type: 'vulnerability', severity: 2, cvssBaseScore: 3.1, isKev: true });
    expect(detectionScoreBand(result.score)).toBe('critical');
    expect(result.factors.find((entry) => entry.name === 'Threat facts')?.value).toBe('CISA KEV');
  });

  it('lets threat facts carry about 90 percent', () => {
    const input: DetectionScoreInput = { type: 'vulnerability', severity: 5, cvssBaseScore: 10, isKev: true };
    expect(factor(input, 'Threat facts').contribution).toBeCloseTo(90 * (0.9 + 0.1 * 0.8), 6);
    expect(factor(input, 'CVSS base score').contribution).toBe(0);
  });

  it('rises with each added threat fact', () => {
    const kev = total({ type: 'vulnerability', severity: 5, isKev: true });
    const ransomware = total({ type: 'vulnerability', severity: 5, isKev: true, usedByRansomware: true });
    const actor = total({ type: 'vulnerability', severity: 5, isKev: true, usedByRansomware: true, threatActors: ['APT28'] });
    expect(ransomware).toBeGreaterThan(kev);
    expect(actor).toBeGreaterThan(ransomware);
    expect(computeDetectionScore({ type: 'vulnerability', severity: 5, isKev: true, usedByRansomware: true, usedByMalware: true, threatActors: ['A', 'B', 'C'], epssScore: 1, trend: 1 }).score).toBe(100);
  });

  it('treats malware use alone as a threat fact', () => {
    expect(detectionScoreBand(computeDetectionScore({ type: 'vulnerability', severity: 3, usedByMalware: true }).score)).toBe('critical');
  });
});

describe('computeDetectionScore for misconfigurations', () => {
  it('scores by severity and ignores CVSS', () => {
    expect(computeDetectionScore({ type: 'misconfiguration', severity: 4, cvssBaseScore: 2 }).score).toBe(MISCONFIGURATION_SCORES[4]);
  });

  it('raises an end-of-life technology halfway to 100', () => {
    expect(computeDetectionScore({ type: 'misconfiguration', severity: 3, endOfLife: true }).score).toBe(75);
  });
});

describe('factors', () => {
  it('add up to the score', () => {
    const inputs: DetectionScoreInput[] = [
      { type: 'vulnerability', severity: 5, cvssBaseScore: 9.8, epssScore: 0.3 },
      { type: 'vulnerability', severity: 3, isKev: true, epssScore: 0.001, trend: 0.5 },
      { type: 'misconfiguration', severity: 2, endOfLife: true },
    ];
    for (const input of inputs) {
      const result = computeDetectionScore(input);
      expect(result.score).toBe(Math.round(total(input)));
    }
  });
});

describe('parseCvssVector', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1', 9.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.0', 9.8],
    ['CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:P', 'CVSS:2.0', 7.5],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 'CVSS:4.0', 9.3],
  ] as const)('scores %s', (vector, version, baseScore) => {
    expect(parseCvssVector(vector)).toMatchObject({ version, baseScore });
  });

  it('rejects an invalid vector', () => {
    expect(parseCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q')).toBeUndefined();
    expect(parseCvssVector('')).toBeUndefined();
  });
});

describe('exploitFactsFromRaw', () => {
  it('reads the Nessus exploit attributes', () => {
    expect(exploitFactsFromRaw({ exploit_available: 'true' })).toEqual({ exploitMaturity: 'functional' });
    expect(exploitFactsFromRaw({ exploitability_ease: 'No exploit is required' })).toEqual({ exploitMaturity: 'high' });
    expect(exploitFactsFromRaw({ exploitability_ease: 'No known exploits are available', exploited_by_malware: 'true' })).toEqual({ exploitMaturity: 'unproven', usedByMalware: true });
    expect(exploitFactsFromRaw({ cvss3_temporal_vector: 'CVSS:3.0/E:P/RL:O/RC:C' })).toEqual({ exploitMaturity: 'proof_of_concept' });
  });
});

describe('scaleEpss', () => {
  it('maps probabilities on a log scale', () => {
    expect(scaleEpss(0)).toBe(0);
    expect(scaleEpss(0.0001)).toBe(0);
    expect(scaleEpss(0.01)).toBeCloseTo(0.5, 9);
    expect(scaleEpss(1)).toBe(1);
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
