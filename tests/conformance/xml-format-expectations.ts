// Independent readings of Greenbone XML and Dependency-Check XML reports for the conformance
// suite: regular expressions over the text, without any code of lib/ingest. Repeats are merged
// as the default identification rules of lib/identification/rules.ts do. Per asset, the first
// rule whose values are all present decides. The rules are, in order: [CVE, CPE], [CVE,
// technology name, version], [CVE, technology name], [CVE, port, protocol], [CVE, port], [CVE],
// [source, vendor id] and [title]. A merged finding keeps the highest severity of its observations.

import { attributesOf, elements, flattenXml, textOf, type ReportExpectation } from './report-expectations';

/** The values the default identification rules read from one observation. */
interface Observation {
  asset: string;
  severity: number;
  cve?: string;
  cpe?: string;
  technologyName?: string;
  technologyVersion?: string;
  port?: string;
  protocol?: string;
  vendorId?: string;
  title: string;
}

const RULES: (keyof Observation)[][] = [
  ['cve', 'cpe'],
  ['cve', 'technologyName', 'technologyVersion'],
  ['cve', 'technologyName'],
  ['cve', 'port', 'protocol'],
  ['cve', 'port'],
  ['cve'],
  ['vendorId'],
  ['title'],
];

function identity(observation: Observation): string {
  for (const rule of RULES) {
    const values = rule.map((attribute) => observation[attribute]);
    if (values.every((value) => value !== undefined && value !== '')) return `${rule.join('+')}|${values.map((value) => String(value).trim().toLowerCase()).join('|')}`;
  }
  return `unmatched|${observation.title}`;
}

/** Tallies observations into the expected assets, findings per asset and findings per severity. */
function tally(assetNames: Iterable<string>, observations: Observation[]): ReportExpectation {
  const assets = new Set(assetNames);
  const findings = new Map<string, { asset: string; severity: number }>();
  for (const observation of observations) {
    assets.add(observation.asset);
    const key = `${observation.asset}\u0000${identity(observation)}`;
    const previous = findings.get(key);
    if (!previous || observation.severity > previous.severity) findings.set(key, { asset: observation.asset, severity: observation.severity });
  }

  const findingsByAsset = new Map<string, number>();
  const findingsBySeverity = new Map<number, number>();
  for (const { asset, severity } of findings.values()) {
    findingsByAsset.set(asset, (findingsByAsset.get(asset) ?? 0) + 1);
    findingsBySeverity.set(severity, (findingsBySeverity.get(severity) ?? 0) + 1);
  }
  return { assetNames: assets, assets: assets.size, findings: findings.size, findingsByAsset, findingsBySeverity };
}

/** CVSS v3 rating bands on the product's 1–5 scale, 0 being informational. */
function cvssBand(score: number): number {
  if (score === 0) return 1;
  if (score < 4) return 2;
  if (score < 7) return 3;
  if (score < 9) return 4;
  return 5;
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** Greenbone threat levels on the 1–5 scale. */
export const GREENBONE_THREATS: Record<string, number> = { log: 1, debug: 1, 'false positive': 1, low: 2, medium: 3, high: 4, alarm: 4, critical: 5 };

/** One Greenbone result as the text gives it. */
export interface GreenboneResult {
  ip: string;
  hostname?: string;
  oid: string;
  name?: string;
  port?: string;
  threat?: string;
  severity?: string;
  cves: string[];
}

/** Reads every `result` element of a Greenbone report. */
export function greenboneResults(xml: string): GreenboneResult[] {
  return elements(flattenXml(xml), 'result').map(({ body }) => {
    const host = /<host>([^<]*)([\s\S]*?)<\/host>/.exec(body);
    const nvt = /<nvt(\s[^>]*)>([\s\S]*?)<\/nvt>/.exec(body);
    const nvtBody = nvt?.[2] ?? '';
    // The result's own threat and severity follow the NVT, whose `severities` block has its own.
    const afterNvt = nvt ? body.slice((nvt.index ?? 0) + nvt[0].length) : body;
    const cves = [...nvtBody.matchAll(/<ref\s([^>]*)\/?>/g)].map((match) => attributesOf(match[1] ?? '')).filter((ref) => ref.type === 'cve').map((ref) => ref.id ?? '');
    const result: GreenboneResult = { ip: (host?.[1] ?? '').trim(), oid: attributesOf(nvt?.[1] ?? '').oid ?? '', cves };
    const hostname = textOf(host?.[2] ?? '', 'hostname');
    if (hostname) result.hostname = hostname;
    const name = textOf(nvtBody, 'name');
    if (name) result.name = name;
    const port = textOf(body, 'port');
    if (port) result.port = port;
    const threat = textOf(afterNvt, 'threat');
    if (threat) result.threat = threat;
    const severity = textOf(afterNvt, 'severity');
    if (severity) result.severity = severity;
    return result;
  });
}

/** Returns the severity of a Greenbone result: its threat level, else the band of its numeric severity. */
export function greenboneSeverity(result: GreenboneResult): number {
  if (result.threat) return GREENBONE_THREATS[result.threat.toLowerCase()] ?? 0;
  const score = Number(result.severity ?? '');
  return result.severity === undefined || score < 0 ? 1 : cvssBand(score);
}

/** Returns the name of each host: the host name of its results, else its `hostname` detail, else its address. */
export function greenboneHostNames(xml: string): Map<string, string> {
  const text = flattenXml(xml);
  const names = new Map<string, string>();
  for (const result of greenboneResults(xml)) {
    if (result.hostname && !names.has(result.ip)) names.set(result.ip, result.hostname);
  }
  // Report hosts are the `host` elements with an `ip` child; results and ports name hosts without one.
  for (const host of elements(text, 'host')) {
    const ip = textOf(host.body, 'ip');
    if (!ip) continue;
    const detail = elements(host.body, 'detail').find((candidate) => textOf(candidate.body, 'name') === 'hostname');
    if (!names.has(ip)) names.set(ip, (detail && textOf(detail.body, 'value')) ?? ip);
  }
  for (const result of greenboneResults(xml)) if (!names.has(result.ip)) names.set(result.ip, result.ip);
  return names;
}

/**
 * Greenbone XML: one host asset per address, named by host name, else address. Each result is
 * one observation. Its first CVE is the NVT OID when that is a CVE, else the first CVE reference.
 * A port `443/tcp` gives port and protocol, and `general/tcp` the protocol only.
 */
export function expectGreenboneXml(xml: string): ReportExpectation {
  const names = greenboneHostNames(xml);
  const observations = greenboneResults(xml).map((result): Observation => {
    const [portText, protocol] = (result.port ?? '').split('/');
    const cve = [result.oid, ...result.cves].find((id) => CVE.test(id));
    return {
      asset: names.get(result.ip) ?? result.ip,
      severity: greenboneSeverity(result),
      title: result.name ?? result.oid,
      vendorId: `greenbone:${result.oid}`,
      ...(cve ? { cve: cve.toUpperCase() } : {}),
      ...(portText && /^\d+$/.test(portText) ? { port: portText } : {}),
      ...(protocol ? { protocol: protocol.toLowerCase() } : {}),
    };
  });
  return tally(names.values(), observations);
}

/** Dependency-Check severities on the 1–5 scale. */
export const DEPENDENCY_CHECK_SEVERITIES: Record<string, number> = { info: 1, informational: 1, none: 1, low: 2, medium: 3, moderate: 3, high: 4, critical: 5 };

/** One vulnerability of one dependency as the text gives it. */
export interface DependencyCheckVulnerability {
  name: string;
  severity: number;
  filePath?: string;
  purl?: string;
  fileName?: string;
}

/** Returns the severity the vulnerability states, else the band of its highest CVSS score. */
function dependencyCheckSeverity(body: string): number {
  const direct = body.replace(/<cvssV\d>[\s\S]*?<\/cvssV\d>/g, '');
  const severity = textOf(direct, 'severity');
  if (severity && severity.toLowerCase() !== 'unknown') return DEPENDENCY_CHECK_SEVERITIES[severity.toLowerCase()] ?? 0;
  const scores = [
    textOf(elements(body, 'cvssV4')[0]?.body ?? '', 'baseScore'),
    textOf(elements(body, 'cvssV3')[0]?.body ?? '', 'baseScore'),
    textOf(elements(body, 'cvssV2')[0]?.body ?? '', 'score'),
    textOf(direct, 'cvssScore'),
  ].flatMap((text) => (text === undefined ? [] : [Number(text)]));
  return scores.length === 0 ? 1 : cvssBand(Math.max(...scores));
}

/** Returns the package name and version of a package URL, Maven ones as `group:artifact`. */
function purlNameVersion(purl: string): { name: string; version?: string } {
  const match = /^pkg:([^/]+)\/(?:([^@?#]+)\/)?([^/@?#]+)(?:@([^?#]+))?/.exec(purl);
  const [, type, namespace, name = purl, version] = match ?? [];
  const decoded = decodeURIComponent(name);
  if (namespace && type === 'maven') return { name: `${decodeURIComponent(namespace)}:${decoded}`, ...(version ? { version: decodeURIComponent(version) } : {}) };
  if (namespace && !['deb', 'rpm', 'apk', 'alpm'].includes(type ?? '')) return { name: `${decodeURIComponent(namespace)}/${decoded}`, ...(version ? { version: decodeURIComponent(version) } : {}) };
  return { name: decoded, ...(version ? { version: decodeURIComponent(version) } : {}) };
}

/** Returns the project asset's name: its name, else `group:artifact`, else the folder that contains every dependency. */
export function dependencyCheckProjectName(xml: string): string {
  const text = flattenXml(xml);
  const project = elements(text, 'projectInfo')[0]?.body ?? '';
  const name = textOf(project, 'name');
  if (name) return name;
  const artifact = textOf(project, 'artifactID');
  const group = textOf(project, 'groupID');
  if (artifact) return group ? `${group}:${artifact}` : artifact;

  const paths = elements(text, 'dependency').flatMap(({ body }) => textOf(body, 'filePath') ?? []);
  let common: string[] | undefined;
  for (const path of paths) {
    const folders = path.replace(/\?.*$/, '').split(/[\\/]+/).slice(0, -1);
    common = common === undefined ? folders : common.slice(0, [...common, null].findIndex((folder, index) => folder !== folders[index]));
  }
  const separator = paths[0]?.includes('\\') && !paths[0].includes('/') ? '\\' : '/';
  return common?.join(separator) || 'Dependency-Check project';
}

/** Reads every vulnerability and suppressed vulnerability with the identifying values of its dependency. */
export function dependencyCheckObservations(xml: string): (Observation & { suppressed: boolean; filePath?: string })[] {
  const text = flattenXml(xml);
  const asset = dependencyCheckProjectName(xml);
  return elements(text, 'dependency').flatMap(({ body }) => {
    const purl = [...body.matchAll(/<package(?:\s[^>]*)?>([\s\S]*?)<\/package>/g)].map((match) => textOf(match[1] ?? '', 'id')).find((id) => id?.startsWith('pkg:'));
    const maven = [...body.matchAll(/<identifier\s([^>]*)>([\s\S]*?)<\/identifier>/g)].find((match) => attributesOf(match[1] ?? '').type === 'maven');
    const cpe =
      [...body.matchAll(/<vulnerabilityIds(?:\s[^>]*)?>([\s\S]*?)<\/vulnerabilityIds>/g)].map((match) => textOf(match[1] ?? '', 'id')).find((id) => id?.startsWith('cpe:')) ??
      [...body.matchAll(/<identifier\s([^>]*)>([\s\S]*?)<\/identifier>/g)].filter((match) => attributesOf(match[1] ?? '').type === 'cpe').map((match) => textOf(match[2] ?? '', 'name')).find((id) => id);
    // The dependency's own fields come before its vulnerabilities.
    const own = body.slice(0, body.search(/<vulnerabilities[\s>]/) === -1 ? body.length : body.search(/<vulnerabilities[\s>]/));
    const fileName = textOf(own, 'fileName') ?? '';
    const filePath = textOf(own, 'filePath');

    let technology: { name: string; version?: string };
    const mavenParts = textOf(maven?.[2] ?? '', 'name')?.split(':') ?? [];
    if (purl) technology = purlNameVersion(purl);
    else if (mavenParts.length >= 3) technology = { name: mavenParts.slice(0, -1).join(':'), version: mavenParts.at(-1) };
    else technology = { name: (fileName.split(': ').pop() ?? fileName).split(/[\\/]/).pop() ?? fileName };

    return [...body.matchAll(/<(vulnerability|suppressedVulnerability)(?:\s[^>]*)?>([\s\S]*?)<\/\1>/g)].map((match) => {
      const vulnerabilityBody = match[2] ?? '';
      const name = textOf(vulnerabilityBody, 'name') ?? '';
      return {
        asset,
        severity: dependencyCheckSeverity(vulnerabilityBody),
        title: name,
        vendorId: `dependency-check:${name}`,
        ...(CVE.test(name) ? { cve: name.toUpperCase() } : {}),
        ...(cpe ? { cpe } : {}),
        technologyName: technology.name,
        ...(technology.version ? { technologyVersion: technology.version } : {}),
        suppressed: match[1] === 'suppressedVulnerability',
        ...(filePath ? { filePath } : {}),
      };
    });
  });
}

/** Dependency-Check XML: the project is the one asset, and each vulnerability of each dependency an observation on it. */
export function expectDependencyCheck(xml: string): ReportExpectation {
  return tally([dependencyCheckProjectName(xml)], dependencyCheckObservations(xml));
}
