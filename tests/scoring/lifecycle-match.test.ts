import { describe, expect, it } from 'vitest';
import { computeDetectionScore } from '../../lib/scoring/detection-score';
import { lifecycleStatus, matchLifecycle, type LifecycleCycle, type LifecycleIndex } from '../../lib/scoring/lifecycle-match';

function cycle(product: string, name: string, eolDate: string | null, eolFlag: boolean | null = null): LifecycleCycle {
  return { product, label: product, cycle: name, eolDate, eolFlag, latestVersion: null };
}

const index: LifecycleIndex = {
  byName: new Map([
    ['nginx', ['nginx']],
    ['python', ['python']],
    ['ubuntu', ['ubuntu']],
  ]),
  byCpe: new Map([['canonical:ubuntu_linux', ['ubuntu']]]),
  cycles: new Map([
    ['nginx', [cycle('nginx', '1.29', '2026-05-13'), cycle('nginx', '1.2', '2013-01-01')]],
    ['python', [cycle('python', '3.11', '2027-10-31'), cycle('python', '3', null, false)]],
    ['ubuntu', [cycle('ubuntu', '22.04', '2027-04-01')]],
  ]),
};

describe('matchLifecycle', () => {
  it('matches a cycle by version prefix', () => {
    expect(matchLifecycle({ product: 'nginx', version: '1.29.8' }, index)?.cycle).toBe('1.29');
  });

  it('rejects a prefix inside a number', () => {
    expect(matchLifecycle({ product: 'nginx', version: '1.290.1' }, index)).toBeUndefined();
  });

  it('drops a Debian epoch and a leading v', () => {
    expect(matchLifecycle({ product: 'NGINX', version: '1:1.29.2-1ubuntu1' }, index)?.cycle).toBe('1.29');
    expect(matchLifecycle({ product: 'nginx', version: 'v1.2.9' }, index)?.cycle).toBe('1.2');
  });

  it('prefers the longest cycle', () => {
    expect(matchLifecycle({ product: 'python', version: '3.11.2' }, index)?.cycle).toBe('3.11');
    expect(matchLifecycle({ product: 'python', version: '3.9.1' }, index)?.cycle).toBe('3');
  });

  it('finds the product by CPE and reads its version', () => {
    const match = matchLifecycle({ product: 'os', cpe: 'cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:lts:*:*:*' }, index);
    expect(match?.product).toBe('ubuntu');
    expect(match?.cycle).toBe('22.04');
  });

  it('uses the last part of a purl-style name', () => {
    expect(matchLifecycle({ product: 'library/nginx', version: '1.29.0' }, index)?.cycle).toBe('1.29');
  });

  it('returns nothing without a version', () => {
    expect(matchLifecycle({ product: 'nginx' }, index)).toBeUndefined();
  });
});

describe('lifecycleStatus', () => {
  const day = new Date('2026-06-12T15:00:00Z');

  it('counts days past the end of life', () => {
    const status = lifecycleStatus(cycle('nginx', '1.29', '2026-05-13'), day);
    expect(status.endOfLife).toBe(true);
    expect(status.daysPastEol).toBe(30);
    expect(status.eolSoon).toBe(false);
  });

  it('flags an end of life within 90 days', () => {
    const status = lifecycleStatus(cycle('nginx', '1.30', '2026-08-01'), day);
    expect(status.endOfLife).toBe(false);
    expect(status.eolSoon).toBe(true);
    expect(status.daysPastEol).toBe(-50);
  });

  it('ignores an end of life further away', () => {
    expect(lifecycleStatus(cycle('nginx', '1.31', '2027-01-01'), day).eolSoon).toBe(false);
  });

  it('takes a boolean end of life without a date', () => {
    const status = lifecycleStatus(cycle('python', '2', null, true), day);
    expect(status.endOfLife).toBe(true);
    expect(status.daysPastEol).toBeUndefined();
  });
});

describe('end-of-life factor in the Detection Score', () => {
  const day = new Date('2026-06-12T00:00:00Z');

  it('raises a past end of life halfway to 100', () => {
    const score = computeDetectionScore({ type: 'misconfiguration', severity: 3, lifecycle: lifecycleStatus(cycle('nginx', '1.29', '2026-05-13'), day) });
    expect(score.score).toBe(75);
    expect(score.factors.find((factor) => factor.name === 'End of life')?.value).toBe('nginx 1.29, 30 days past its end of life (2026-05-13)');
  });

  it('raises an end of life within 90 days by a fifth', () => {
    const score = computeDetectionScore({ type: 'misconfiguration', severity: 3, lifecycle: lifecycleStatus(cycle('nginx', '1.30', '2026-08-01'), day) });
    expect(score.score).toBe(60);
    expect(score.factors.map((factor) => factor.name)).toContain('End of life within 90 days');
  });

  it('adds nothing for a supported cycle', () => {
    const score = computeDetectionScore({ type: 'misconfiguration', severity: 3, lifecycle: lifecycleStatus(cycle('nginx', '1.31', '2027-06-01'), day) });
    expect(score.score).toBe(50);
  });
});
