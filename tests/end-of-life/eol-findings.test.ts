import { describe, expect, it } from 'vitest';
import { eolFindingRecord, eolSeverity, findEndOfLife, operatingSystemCycle } from '../../lib/end-of-life/eol-findings';
import type { LifecycleCycle, LifecycleIndex } from '../../lib/scoring/lifecycle-match';

const DAY = new Date('2026-06-01T12:00:00Z');

function cycle(product: string, label: string, name: string, eolDate: string | null, eolFlag: boolean | null = null, latestVersion: string | null = null): LifecycleCycle {
  return { product, label, cycle: name, eolDate, eolFlag, latestVersion };
}

/** Builds an index as loadLifecycleIndex does: names lowercased, longest cycle first. */
function indexOf(cycles: LifecycleCycle[]): LifecycleIndex {
  const index: LifecycleIndex = { byName: new Map(), byCpe: new Map(), cycles: new Map() };
  for (const entry of cycles) {
    index.byName.set(entry.product, [entry.product]);
    index.cycles.set(entry.product, [...(index.cycles.get(entry.product) ?? []), entry]);
  }
  for (const list of index.cycles.values()) list.sort((a, b) => b.cycle.length - a.cycle.length);
  return index;
}

const INDEX = indexOf([
  cycle('ubuntu', 'Ubuntu', '18.04', '2023-05-31', null, '18.04.6'),
  cycle('ubuntu', 'Ubuntu', '24.04', '2029-05-31'),
  cycle('debian', 'Debian', '10', '2024-06-30', null, '10.13'),
  cycle('windows-server', 'Windows Server', '2012-r2', null, true),
  cycle('windows-server', 'Windows Server', '2008-r2-sp1', '2020-01-14'),
  cycle('windows-server', 'Windows Server', '2008-sp2', '2020-01-14'),
  cycle('nginx', 'nginx', '1.14', '2019-04-23'),
  cycle('nginx', 'nginx', '1.26', null, false),
]);

describe('operatingSystemCycle', () => {
  it('matches a version inside a cycle', () => {
    expect(operatingSystemCycle('Ubuntu 18.04.6 LTS', INDEX)?.cycle).toBe('18.04');
    expect(operatingSystemCycle('debian 10.13', INDEX)?.cycle).toBe('10');
  });

  it('matches the only cycle that extends the version', () => {
    expect(operatingSystemCycle('Microsoft Windows Server 2008 R2 Standard', INDEX)?.cycle).toBe('2008-r2-sp1');
  });

  it('leaves an ambiguous version unmatched', () => {
    expect(operatingSystemCycle('Microsoft Windows Server 2008 Standard', INDEX)).toBeUndefined();
  });

  it('ignores a product without cycles', () => {
    expect(operatingSystemCycle('CentOS Linux 7', INDEX)).toBeUndefined();
  });
});

describe('eolSeverity', () => {
  it.each([
    [undefined, 3],
    [0, 3],
    [364, 3],
    [365, 4],
    [1094, 4],
    [1095, 5],
  ])('rates %s days past as %i', (days, severity) => {
    expect(eolSeverity(days)).toBe(severity);
  });
});

describe('findEndOfLife', () => {
  it('finds OS and technology cycles once per asset', () => {
    const matches = findEndOfLife(
      [
        { id: 1, os: 'Ubuntu 18.04' },
        { id: 2, os: 'Ubuntu 24.04' },
        { id: 3, os: 'Microsoft Windows Server 2012 R2 Standard' },
      ],
      [
        { assetId: 1, product: 'nginx', version: '1.14.0-0ubuntu1' },
        { assetId: 1, product: 'nginx', version: '1.14.2' },
        { assetId: 2, product: 'nginx', version: '1.26.1' },
      ],
      INDEX,
      DAY,
    );
    const summary = matches.map((match) => `${match.assetId} ${match.cycle.product} ${match.cycle.cycle} ${match.daysPastEol ?? 'flag'}`).sort();
    expect(summary).toEqual(['1 nginx 1.14 2596', '1 ubuntu 18.04 1097', '3 windows-server 2012-r2 flag']);
    const nginx = matches.find((match) => match.cycle.product === 'nginx');
    expect(nginx?.technologies).toEqual(['nginx 1.14.0-0ubuntu1', 'nginx 1.14.2']);
  });

  it('skips a cycle before its end of life', () => {
    const matches = findEndOfLife([{ id: 1, os: 'debian 10.13' }], [], INDEX, new Date('2024-06-29T00:00:00Z'));
    expect(matches).toEqual([]);
  });
});

describe('eolFindingRecord', () => {
  it('describes the cycle and the upgrade', () => {
    const [match] = findEndOfLife([{ id: 7, os: 'debian 10.13' }], [], INDEX, DAY);
    if (!match) throw new Error('debian 10 should be past its end of life');
    const record = eolFindingRecord(match, 'asset:7', { cycle: '12', label: 'Debian', latestVersion: '12.8' }, DAY);

    expect(record.type).toBe('misconfiguration');
    expect(record.title).toBe('End-of-life software: Debian 10');
    expect(record.vendorId).toBe('eol:debian:10');
    expect(record.severity).toBe(4);
    expect(record.technology).toEqual({ product: 'debian', version: '10' });
    expect(record.references).toEqual(['https://endoflife.date/debian']);
    expect(record.description).toContain('reached its end of life on 2024-06-30, 701 days ago');
    expect(record.description).toContain('the operating system "debian 10.13"');
    expect(record.description).toContain('latest release of this cycle is 10.13');
    expect(record.solution).toBe('Upgrade to a supported cycle (latest Debian 12, release 12.8).');
  });
});
