/** An operating system read from an asset's OS string: the endoflife.date product and the version as written. */
export interface OsRelease {
  /** endoflife.date product name, e.g. `ubuntu` or `windows-server`. */
  product: string;
  /** Version in the product's cycle notation, e.g. `18.04.6`, `2012-r2` or `15.4`. */
  version: string;
}

interface OsPattern {
  product: string;
  pattern: RegExp;
  version: (match: RegExpMatchArray) => string | undefined;
}

// Words scanners put between a distribution's name and its version, e.g. "CentOS Linux release 7.9.2009".
const FILLER = String.raw`(?:[\s_-]+(?:linux|gnu/linux|server|release|enterprise|os|ami|leap|version))*[\s_-]*v?`;
const VERSION = String.raw`(\d+(?:\.\d+)*)`;

function named(name: string): RegExp {
  return new RegExp(String.raw`\b(?:${name})${FILLER}${VERSION}\b`);
}

const firstGroup = (match: RegExpMatchArray): string | undefined => match[1];

/**
 * The patterns in order: more specific names come first, so "CentOS Stream 9" is not read as
 * CentOS 9 and "Red Hat Enterprise Linux" is not read as a plain "Linux".
 */
const PATTERNS: OsPattern[] = [
  { product: 'windows-server', pattern: /\bwindows\s*server\s*(\d{4})(\s*r2)?(?:.*?\b(?:service pack|sp)\s*(\d))?/, version: windowsServerVersion },
  { product: 'windows', pattern: /\bwindows\s*(10|11)\b(.*)/, version: windowsClientVersion },
  { product: 'centos-stream', pattern: named('centos[\\s_-]*stream'), version: majorOnly },
  { product: 'centos', pattern: named('centos'), version: firstGroup },
  { product: 'rhel', pattern: named('red[\\s_-]*hat(?:[\\s_-]+enterprise[\\s_-]+linux)?|redhat|rhel'), version: firstGroup },
  { product: 'oracle-linux', pattern: named('oracle[\\s_-]*linux|oraclelinux|ol'), version: firstGroup },
  { product: 'rocky-linux', pattern: named('rocky'), version: firstGroup },
  { product: 'almalinux', pattern: named('alma[\\s_-]*linux|alma'), version: firstGroup },
  { product: 'amazon-linux', pattern: named('amazon[\\s_-]*linux|amzn'), version: firstGroup },
  { product: 'sles', pattern: /\b(?:suse linux enterprise server|sles)[\s_-]*(\d+)(?:(?:[\s_-]*sp|\.)(\d+))?\b/, version: slesVersion },
  { product: 'opensuse', pattern: named('opensuse'), version: firstGroup },
  { product: 'ubuntu', pattern: named('ubuntu'), version: firstGroup },
  { product: 'debian', pattern: named('debian'), version: firstGroup },
  { product: 'alpine-linux', pattern: named('alpine'), version: firstGroup },
  { product: 'fedora', pattern: named('fedora'), version: firstGroup },
  { product: 'freebsd', pattern: named('freebsd'), version: firstGroup },
  { product: 'macos', pattern: named('mac[\\s_-]*os(?:[\\s_-]*x)?'), version: firstGroup },
  { product: 'vmware-photon', pattern: named('photon'), version: firstGroup },
];

/**
 * Reads the endoflife.date product and version of an operating system from the free text that
 * scanners store, e.g. "Ubuntu 18.04.6 LTS", "Microsoft Windows Server 2012 R2 Standard",
 * "debian 10.13", "CENTOS_7" or "SUSE Linux Enterprise Server 15 SP4". Returns undefined when no
 * known system is named with a version: a bare "Linux Kernel 5.4" or "Ubuntu" names no release.
 * Only the first system named decides, so a list such as "Ubuntu / Tiny Core Linux" without a
 * version stays unmatched instead of being guessed.
 */
export function parseOperatingSystem(os: string | null | undefined): OsRelease | undefined {
  if (!os) return undefined;
  const text = os.toLowerCase().replaceAll('_', ' ').replace(/\s+/g, ' ').trim();
  for (const { product, pattern, version } of PATTERNS) {
    const match = text.match(pattern);
    if (!match) continue;
    const parsed = version(match);
    return parsed ? { product, version: parsed } : undefined;
  }
  return undefined;
}

/** endoflife.date writes Windows Server cycles as `2012-r2`, `2008-r2-sp1` and `2003-sp2`. */
function windowsServerVersion(match: RegExpMatchArray): string | undefined {
  const [, year, r2, servicePack] = match;
  if (!year) return undefined;
  return [year, r2 ? 'r2' : undefined, servicePack ? `sp${servicePack}` : undefined].filter(Boolean).join('-');
}

/**
 * endoflife.date writes Windows 10 and 11 cycles as `<version>-<release>-<edition>`, e.g.
 * `10-22h2` or `11-23h2-e`, where `e` covers Enterprise and Education and `w` the other
 * editions. Without a release id (22H2, 1809) the cycle is unknown.
 */
function windowsClientVersion(match: RegExpMatchArray): string | undefined {
  const [, major, rest = ''] = match;
  const release = rest.match(/\b(\d{2}h\d|\d{4})\b/)?.[1];
  if (!major || !release) return undefined;
  const edition = /\b(?:enterprise|education)\b/.test(rest) ? 'e' : 'w';
  return `${major}-${release}-${edition}`;
}

/** SLES cycles are `<major>.<service pack>`, so "15 SP4" is `15.4` and a release without a service pack is `.0`. */
function slesVersion(match: RegExpMatchArray): string | undefined {
  const [, major, servicePack] = match;
  return major ? `${major}.${servicePack ?? '0'}` : undefined;
}

function majorOnly(match: RegExpMatchArray): string | undefined {
  return match[1]?.split('.')[0];
}
