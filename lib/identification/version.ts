// Versions as identification compares them. Scanners write one version several ways: Nessus
// "v2.4.049", Trivy "2.4.49", a Debian package "1:2.4.49-1". The parsed form is:
//
// - an epoch, the number before a first `:` (Debian and RPM), 0 when absent;
// - the rest as runs of digits and of other characters. A digit run is a number, so leading
//   zeros do not count: "1.02" and "1.2" are one version, as dpkg and rpmvercmp compare them.
//   Semantic Versioning forbids leading zeros, so no semver pair is merged by this;
// - a leading "v" (or "V") before a digit is dropped, and letters are compared in lower case.
//
// A missing trailing component is not a zero: "1.2" and "1.2.0" stay two versions, as dpkg and
// rpm order them, and a Debian revision ("-1ubuntu2") or a pre-release ("-rc.1") is part of the
// version. Build metadata after `+` is kept too, because Debian uses `+` in real versions
// ("1.2+dfsg").

export interface ParsedVersion {
  epoch: number;
  /** Alternating runs: numbers for digit runs, lower-case strings for the rest. */
  parts: (number | string)[];
}

export function parseVersion(input: string): ParsedVersion {
  let text = input.trim().toLowerCase();
  let epoch = 0;
  const epochMatch = /^(\d+):(.+)$/.exec(text);
  if (epochMatch) {
    epoch = Number(epochMatch[1]);
    text = epochMatch[2] as string;
  }
  text = text.replace(/^v(?=\d)/, '');

  const parts: (number | string)[] = [];
  for (const run of text.match(/\d+|\D+/g) ?? []) {
    // Numbers past 2^53 (dates with times, build hashes of digits) stay text without their leading zeros.
    if (/^\d+$/.test(run)) parts.push(run.length < 16 ? Number(run) : run.replace(/^0+(?=\d)/, ''));
    else parts.push(run);
  }
  return { epoch, parts };
}

/** The parsed form written back as text; equal versions give equal text. */
export function canonicalVersion(input: string): string {
  const { epoch, parts } = parseVersion(input);
  const body = parts.map((part) => String(part)).join('');
  return epoch > 0 ? `${epoch}:${body}` : body;
}

/**
 * Orders two versions by their parsed form, runs from the left: numbers numerically, text by
 * code point, a number after text, and a version that is a prefix of the other first. Returns
 * a negative number, 0 or a positive number. A `~` run sorts before everything, including the
 * end of the version, as in dpkg ("1.0~rc1" < "1.0").
 */
export function compareVersions(left: string, right: string): number {
  const a = parseVersion(left);
  const b = parseVersion(right);
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  const length = Math.max(a.parts.length, b.parts.length);
  for (let index = 0; index < length; index++) {
    const x = a.parts[index];
    const y = b.parts[index];
    if (x === y) continue;
    if (x === undefined) return typeof y === 'string' && y.startsWith('~') ? 1 : -1;
    if (y === undefined) return typeof x === 'string' && x.startsWith('~') ? -1 : 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    if (x.startsWith('~') !== y.startsWith('~')) return x.startsWith('~') ? -1 : 1;
    const bigX = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (bigX) return x.length !== y.length ? x.length - y.length : x < y ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
