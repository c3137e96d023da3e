import type { FindingRecord, Severity } from '../ingest/model';
import { lifecycleStatus, matchLifecycle, type LifecycleCycle, type LifecycleIndex, type TechnologyIdentity } from '../scoring/lifecycle-match';
import { parseOperatingSystem } from './os-release';

/** Source name of the findings this check derives, as shown in a finding's sources. */
export const EOL_CHECK_SOURCE = 'Riskboard end-of-life check';

/** Days past the end of life from which an end-of-life finding is high, then critical. */
export const EOL_HIGH_AFTER_DAYS = 365;
export const EOL_CRITICAL_AFTER_DAYS = 3 * 365;

/** An asset as the check reads it. */
export interface EolAsset {
  id: number;
  os: string | null;
}

/** A technology recorded on one of an asset's open findings. */
export interface EolTechnology extends TechnologyIdentity {
  assetId: number;
}

/** The newest cycle of a product that is not past its end of life, for the upgrade advice. */
export interface SupportedCycle {
  cycle: string;
  label: string;
  latestVersion: string | null;
}

/** One end-of-life cycle on one asset and what on the asset led to it. */
export interface EolMatch {
  assetId: number;
  cycle: LifecycleCycle;
  /** Whole days past the end of life; absent when endoflife.date gives no date, only `eol: true`. */
  daysPastEol?: number;
  /** The asset's OS string, when the operating system matched. */
  os?: string;
  /** `product version` of each technology that matched, sorted. */
  technologies: string[];
}

/**
 * Finds the release cycles past their end of life on each asset: its operating system and the
 * technologies on its findings. Each distinct technology is matched once, however many assets
 * carry it. Returns one match per asset and cycle.
 */
export function findEndOfLife(assets: EolAsset[], technologies: EolTechnology[], index: LifecycleIndex, day: Date): EolMatch[] {
  const matches = new Map<string, EolMatch>();
  const add = (assetId: number, cycle: LifecycleCycle, evidence: { os?: string; technology?: string }): void => {
    const status = lifecycleStatus(cycle, day);
    if (!status.endOfLife) return;
    const key = `${assetId}|${cycle.product}|${cycle.cycle}`;
    const match = matches.get(key) ?? { assetId, cycle, technologies: [], ...(status.daysPastEol === undefined ? {} : { daysPastEol: status.daysPastEol }) };
    if (evidence.os) match.os = evidence.os;
    if (evidence.technology && !match.technologies.includes(evidence.technology)) match.technologies.push(evidence.technology);
    matches.set(key, match);
  };

  const osCycles = new Map<string, LifecycleCycle | undefined>();
  for (const asset of assets) {
    if (!asset.os) continue;
    if (!osCycles.has(asset.os)) osCycles.set(asset.os, operatingSystemCycle(asset.os, index));
    const cycle = osCycles.get(asset.os);
    if (cycle) add(asset.id, cycle, { os: asset.os });
  }

  const technologyCycles = new Map<string, LifecycleCycle | undefined>();
  for (const technology of technologies) {
    const key = JSON.stringify([technology.vendor ?? null, technology.product, technology.version ?? null, technology.cpe ?? null]);
    if (!technologyCycles.has(key)) technologyCycles.set(key, matchLifecycle(technology, index));
    const cycle = technologyCycles.get(key);
    if (cycle) add(technology.assetId, cycle, { technology: [technology.product, technology.version].filter(Boolean).join(' ') });
  }

  for (const match of matches.values()) match.technologies.sort();
  return [...matches.values()];
}

/**
 * Finds the cycle of an operating system. The version matches a cycle it equals or continues
 * with `.` or `-` (Ubuntu 18.04.6 is cycle 18.04), the longest such cycle first. Failing that, a
 * single cycle that continues the version with `-` matches, so "Windows Server 2008 R2" without
 * a service pack is the only R2 cycle, `2008-r2-sp1`.
 */
export function operatingSystemCycle(os: string, index: LifecycleIndex): LifecycleCycle | undefined {
  const release = parseOperatingSystem(os);
  if (!release) return undefined;
  const cycles = index.cycles.get(release.product) ?? [];
  const version = release.version.toLowerCase();

  const prefix = cycles.find((entry) => {
    const cycle = entry.cycle.toLowerCase();
    return version === cycle || (version.startsWith(cycle) && '.-'.includes(version.charAt(cycle.length)));
  });
  if (prefix) return prefix;

  const extensions = cycles.filter((entry) => entry.cycle.toLowerCase().startsWith(`${version}-`));
  return extensions.length === 1 ? extensions[0] : undefined;
}

/**
 * Returns the severity by time past the end of life: medium in the first year (and when only a
 * flag marks the cycle as ended), high until three years, critical after. The longer a release goes without
 * security fixes, the more of its published vulnerabilities stay open.
 */
export function eolSeverity(daysPastEol: number | undefined): Severity {
  if (daysPastEol === undefined || daysPastEol < EOL_HIGH_AFTER_DAYS) return 3;
  if (daysPastEol < EOL_CRITICAL_AFTER_DAYS) return 4;
  return 5;
}

/** Builds the misconfiguration finding of one match; `assetKey` is the writer's key of the asset. */
export function eolFindingRecord(match: EolMatch, assetKey: string, supported: SupportedCycle | undefined, seenAt: Date): FindingRecord {
  const { cycle } = match;
  const name = `${cycle.label} ${cycle.cycle}`;
  const since = cycle.eolDate
    ? `reached its end of life on ${cycle.eolDate}${match.daysPastEol === undefined ? '' : `, ${match.daysPastEol} days ago`}`
    : 'has reached its end of life (endoflife.date gives no date)';
  const found = [
    match.os ? `the operating system "${match.os}"` : undefined,
    match.technologies.length > 0 ? `${match.technologies.length === 1 ? 'the technology' : 'the technologies'} ${match.technologies.join(', ')}` : undefined,
  ].filter(Boolean);
  const latestRelease = cycle.latestVersion ? ` The latest release of this cycle is ${cycle.latestVersion}.` : '';
  const upgrade = supported
    ? `Upgrade to a supported cycle (latest ${supported.label} ${supported.cycle}${supported.latestVersion ? `, release ${supported.latestVersion}` : ''}).`
    : 'Upgrade to a supported cycle; endoflife.date lists none of this product as supported, so replace it.';

  return {
    assetKey,
    type: 'misconfiguration',
    vendorId: `eol:${cycle.product}:${cycle.cycle}`,
    title: `End-of-life software: ${name}`,
    description: `${name} ${since}, so its vendor publishes no more security updates for it. Found from ${found.join(' and ')}.${latestRelease}`,
    solution: upgrade,
    severity: eolSeverity(match.daysPastEol),
    technology: { product: cycle.product, version: cycle.cycle },
    references: [`https://endoflife.date/${cycle.product}`],
    firstSeen: seenAt,
    lastSeen: seenAt,
    raw: {
      product: cycle.product,
      cycle: cycle.cycle,
      eolDate: cycle.eolDate,
      daysPastEol: match.daysPastEol ?? null,
      latestVersion: cycle.latestVersion,
      operatingSystem: match.os ?? null,
      technologies: match.technologies,
      supportedCycle: supported?.cycle ?? null,
    },
  };
}
