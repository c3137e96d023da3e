// Mapping of npm audit advisories to findings, for both report layouts:
//
// - npm 6 (`advisories`): one finding per advisory and installed version of its module, with
//   the dependency paths that lead to that version in raw;
// - npm 7 and later (`auditReportVersion: 2`, `vulnerabilities`): one finding per advisory
//   object in a package's `via`, on the package that carries the advisory. A `via` entry that is
//   a package name means the package is affected through that dependency. It becomes no finding
//   of its own, because the dependency's entry carries the advisory. Instead, each finding lists
//   in raw the dependency chains from a direct dependency down to the package.

import { z } from 'zod';
import { parseCvssScore, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { cveIdsOf, cweIdsOf, setCves, severityFrom, unmappedFields, validateJson } from './json-fields';

/** npm audit severities on the product's 1–5 scale; npm's `moderate` is medium. */
const SEVERITIES: Record<string, Severity> = { info: 1, low: 2, moderate: 3, high: 4, critical: 5 };

/** The dependency chains listed per finding; a package deep in a large tree can have thousands. */
const MAX_CHAINS = 10;
/** Maximum length of a chain, which also stops a cycle of `effects`. */
const MAX_CHAIN_DEPTH = 32;

const cvssSchema = z.looseObject({ score: z.number().nullish(), vectorString: z.string().nullish() });

const advisorySchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  title: z.string().min(1),
  module_name: z.string().min(1),
  severity: z.string(),
  cves: z.array(z.string()).nullish(),
  cwe: z.union([z.string(), z.array(z.string())]).nullish(),
  cvss: cvssSchema.nullish(),
  overview: z.string().nullish(),
  recommendation: z.string().nullish(),
  references: z.string().nullish(),
  url: z.string().nullish(),
  github_advisory_id: z.string().nullish(),
  patched_versions: z.string().nullish(),
  findings: z.array(
    z.looseObject({
      version: z.string().min(1),
      paths: z.array(z.string()).nullish(),
      dev: z.boolean().nullish(),
      optional: z.boolean().nullish(),
      bundled: z.boolean().nullish(),
    }),
  ),
});

const MAPPED_ADVISORY_FIELDS = new Set(['title', 'module_name', 'severity', 'cves', 'cwe', 'cvss', 'overview', 'recommendation', 'references', 'url', 'github_advisory_id', 'findings']);

const viaAdvisorySchema = z.looseObject({
  source: z.union([z.number(), z.string()]),
  name: z.string().nullish(),
  dependency: z.string().nullish(),
  title: z.string().min(1),
  url: z.string().nullish(),
  severity: z.string(),
  cwe: z.union([z.string(), z.array(z.string())]).nullish(),
  cvss: cvssSchema.nullish(),
  range: z.string().nullish(),
});

const vulnerabilitySchema = z.looseObject({
  name: z.string().min(1),
  severity: z.string().nullish(),
  isDirect: z.boolean().nullish(),
  via: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])),
  effects: z.array(z.string()).nullish(),
  range: z.string().nullish(),
  nodes: z.array(z.string()).nullish(),
  fixAvailable: z.union([z.boolean(), z.looseObject({ name: z.string(), version: z.string(), isSemVerMajor: z.boolean().nullish() })]).nullish(),
});

const MAPPED_VIA_FIELDS = new Set(['title', 'url', 'severity', 'cwe', 'cvss']);

/** npm 6: how `npm audit fix` or a manual step resolves an advisory, from `actions[]`. */
export interface AdvisoryAction {
  action: string;
  module?: string;
  target?: string;
  isMajor?: boolean;
}

/** npm 7+: a vulnerable package's place in the tree, from its `vulnerabilities` entry. */
export interface PackageNode {
  effects: string[];
  isDirect: boolean;
}

/**
 * Maps one advisory of npm 6's `advisories` object to one finding per installed version.
 * `extra.muted` contains the entries of `muted` that name this advisory's id.
 */
export function npm6AdvisoryFindings(
  value: unknown,
  path: JsonPath,
  assetKey: string,
  extra: { actions: AdvisoryAction[]; muted: unknown[] },
): FindingRecord[] {
  const advisory = validateJson(advisorySchema, value, path, 'npm audit');
  const field = formatJsonPath(path);
  const advisoryId = String(advisory.id);
  const vendorId = advisory.github_advisory_id || advisoryId;
  const severity = severityOf(advisory.severity, `${field}.severity`);
  const cveIds = cveIdsOf(advisory.cves ?? []);
  const cweIds = cweIdsOf(cwesOf(advisory.cwe));
  const references = unique([...(advisory.url ? [advisory.url] : []), ...urlsIn(advisory.references)]);
  const cvss = cvssOf(advisory.cvss, `${field}.cvss`);
  const fixed = advisory.patched_versions?.trim();
  // npm writes `<0.0.0` as the patched range of an advisory without a fix.
  const fixedVersion = fixed && fixed !== '<0.0.0' ? fixed : undefined;

  const base = unmappedFields(advisory, MAPPED_ADVISORY_FIELDS);
  if (extra.actions.length > 0) base.actions = extra.actions;
  if (extra.muted.length > 0) {
    // TODO: a mute may name one dependency path; here it suppresses every installed version of the advisory.
    base.muted = extra.muted;
    base.suppressed = true;
  }

  const byVersion = new Map<string, { paths: string[]; dev: boolean; optional: boolean; bundled: boolean }>();
  for (const entry of advisory.findings) {
    const seen = byVersion.get(entry.version) ?? { paths: [], dev: true, optional: true, bundled: false };
    seen.paths.push(...(entry.paths ?? []));
    // A version is a dev (or optional) dependency only when every path to it is one.
    seen.dev &&= entry.dev === true;
    seen.optional &&= entry.optional === true;
    seen.bundled ||= entry.bundled === true;
    byVersion.set(entry.version, seen);
  }

  return [...byVersion.entries()].map(([version, where]) => {
    const raw: Record<string, unknown> = { ...base, paths: unique(where.paths), dev: where.dev, optional: where.optional, bundled: where.bundled };
    const finding: FindingRecord = {
      assetKey,
      type: 'vulnerability',
      vendorId,
      sourceFindingId: `${advisoryId}:${advisory.module_name}@${version}`,
      title: advisory.title,
      severity,
      technology: { product: advisory.module_name, version, category: 'npm' },
      raw,
      position: { field },
    };
    const overview = advisory.overview?.trim();
    if (overview) finding.description = overview;
    const recommendation = advisory.recommendation?.trim();
    if (recommendation) finding.solution = recommendation;
    if (fixedVersion) finding.fixedVersion = fixedVersion;
    if (references.length > 0) finding.references = references;
    if (cweIds.length > 0) finding.cweIds = cweIds;
    Object.assign(finding, cvss);
    setCves(finding, cveIds);
    if (cveIds.length > 0) finding.vulnerabilities = cveIds.map((cveId) => cveFacts(cveId, cveIds.length === 1 ? finding : undefined));
    return finding;
  });
}

/** Reads the place in the tree of an npm 7+ `vulnerabilities` entry, for the dependency chains. */
export function packageNode(value: unknown, path: JsonPath): { name: string; node: PackageNode } {
  const entry = validateJson(vulnerabilitySchema, value, path, 'npm audit');
  return { name: entry.name, node: { effects: entry.effects ?? [], isDirect: entry.isDirect === true } };
}

/** Maps one npm 7+ `vulnerabilities` entry to a finding per advisory object in its `via`. */
export function npm7PackageFindings(value: unknown, path: JsonPath, assetKey: string, chains: string[][]): FindingRecord[] {
  const entry = validateJson(vulnerabilitySchema, value, path, 'npm audit');
  const field = formatJsonPath(path);
  const viaPackages = entry.via.filter((via): via is string => typeof via === 'string');
  const packageRaw: Record<string, unknown> = unmappedFields(entry, new Set(['name', 'via', 'severity']));
  if (entry.severity) packageRaw.packageSeverity = entry.severity;
  if (viaPackages.length > 0) packageRaw.viaPackages = viaPackages;
  if (chains.length > 0) packageRaw.dependencyChains = chains.map((chain) => chain.join('>'));

  const seen = new Set<string>();
  const findings: FindingRecord[] = [];
  entry.via.forEach((via, index) => {
    if (typeof via === 'string') return;
    const viaPath = [...path, 'via', index];
    const advisory = validateJson(viaAdvisorySchema, via, viaPath, 'npm audit');
    const source = String(advisory.source);
    if (seen.has(source)) return;
    seen.add(source);
    findings.push(npm7Finding(advisory, entry, { assetKey, field: formatJsonPath(viaPath), packageRaw }));
  });
  if (findings.length === 0 && viaPackages.length === 0) {
    // NOTE: an entry without any `via` is not something npm writes; it is kept visible as one finding.
    findings.push({
      assetKey,
      type: 'vulnerability',
      title: `Vulnerable package ${entry.name}`,
      severity: severityOf(entry.severity ?? 'info', `${field}.severity`),
      technology: { product: entry.name, category: 'npm' },
      raw: packageRaw,
      position: { field },
    });
  }
  return findings;
}

function npm7Finding(
  advisory: z.infer<typeof viaAdvisorySchema>,
  entry: z.infer<typeof vulnerabilitySchema>,
  where: { assetKey: string; field: string; packageRaw: Record<string, unknown> },
): FindingRecord {
  const source = String(advisory.source);
  const ghsa = /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(advisory.url ?? '')?.[0];
  const raw: Record<string, unknown> = { ...where.packageRaw, advisory: unmappedFields(advisory, MAPPED_VIA_FIELDS) };
  const technology: TechnologyRecord = { product: advisory.name || entry.name, category: 'npm' };

  const finding: FindingRecord = {
    assetKey: where.assetKey,
    type: 'vulnerability',
    vendorId: ghsa ?? source,
    sourceFindingId: `${source}:${entry.name}`,
    title: advisory.title,
    severity: severityOf(advisory.severity, `${where.field}.severity`),
    technology,
    raw,
    position: { field: where.field },
  };
  if (advisory.url) finding.references = [advisory.url];
  const cweIds = cweIdsOf(cwesOf(advisory.cwe));
  if (cweIds.length > 0) finding.cweIds = cweIds;
  Object.assign(finding, cvssOf(advisory.cvss, `${where.field}.cvss`));
  const fixedVersion = firstFixedVersion(advisory.range);
  if (fixedVersion) finding.fixedVersion = fixedVersion;
  const solution = fixSolution(entry, fixedVersion);
  if (solution) finding.solution = solution;
  return finding;
}

/**
 * Returns the version that ends a vulnerable range with an exclusive upper bound, e.g. `4.3.1`
 * for `>=4.0.0 <4.3.1`: the first release with the fix. Ranges with several parts (`||`) or an
 * inclusive bound (`<=5.28.2`) name no fixed version.
 */
export function firstFixedVersion(range: string | null | undefined): string | undefined {
  if (!range || range.includes('||')) return undefined;
  return /(?:^|\s)<\s*(\d[\w.+-]*)\s*$/.exec(range.trim())?.[1];
}

function fixSolution(entry: z.infer<typeof vulnerabilitySchema>, fixedVersion: string | undefined): string | undefined {
  const fix = entry.fixAvailable;
  if (fix === false) return fixedVersion ? `Upgrade ${entry.name} to ${fixedVersion} or later; npm audit fix finds no compatible fix in the current tree.` : undefined;
  if (fix === true) return 'Run npm audit fix.';
  if (!fix) return fixedVersion ? `Upgrade ${entry.name} to ${fixedVersion} or later.` : undefined;
  const major = fix.isSemVerMajor ? ', a semver-major change that npm audit fix --force applies' : ', which npm audit fix applies';
  return `Install ${fix.name}@${fix.version}${major}.`;
}

/**
 * Lists the dependency chains from a direct dependency down to a package, following `effects`
 * (the packages that depend on it) upwards. Returns at most MAX_CHAINS chains, each top first.
 */
export function dependencyChains(name: string, nodes: Map<string, PackageNode>): string[][] {
  const chains: string[][] = [];
  const walk = (chain: string[]) => {
    if (chains.length >= MAX_CHAINS) return;
    const top = chain[0] ?? name;
    const node = nodes.get(top);
    const parents = (node?.effects ?? []).filter((parent) => !chain.includes(parent));
    if (node?.isDirect || parents.length === 0 || chain.length >= MAX_CHAIN_DEPTH) {
      if (chain.length > 1 || node?.isDirect) chains.push(chain);
      return;
    }
    for (const parent of parents) walk([parent, ...chain]);
  };
  walk([name]);
  return chains;
}

function severityOf(value: string, field: string): Severity {
  return severityFrom(SEVERITIES, value, field, 'npm audit') ?? 1;
}

/** Reads `cwe`, which npm writes as `CWE-400`, as a JSON-encoded list `["CWE-400"]`, or as a list. */
function cwesOf(value: string | string[] | null | undefined): string[] {
  if (Array.isArray(value)) return value;
  const text = value?.trim() ?? '';
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === 'string') : [];
    } catch {
      return [];
    }
  }
  return text ? [text] : [];
}

/** Returns the URLs of npm's `references` text, a Markdown list such as `- https://…`. */
function urlsIn(text: string | null | undefined): string[] {
  return text ? [...text.matchAll(/https?:\/\/[^\s)\]>"']+/g)].map((match) => match[0]) : [];
}

/**
 * Reads `cvss`. GitHub advisories without a score have `{"score": 0, "vectorString": null}`,
 * which is read as no score.
 */
function cvssOf(cvss: z.infer<typeof cvssSchema> | null | undefined, field: string): Partial<FindingRecord> {
  const vector = cvss?.vectorString?.trim();
  const score = parseCvssScore(cvss?.score ?? undefined, 'cvss.score', { field });
  if (!vector && !score) return {};
  if (vector?.startsWith('CVSS:4')) return { cvss4Vector: vector, ...(score !== undefined ? { cvss4BaseScore: score } : {}) };
  if (vector && !vector.startsWith('CVSS:3')) return { cvss2Vector: vector, ...(score !== undefined ? { cvss2BaseScore: score } : {}) };
  return { ...(vector ? { cvss3Vector: vector } : {}), ...(score !== undefined ? { cvss3BaseScore: score } : {}) };
}

function cveFacts(cveId: string, scored: FindingRecord | undefined): VulnerabilityFacts {
  const facts: VulnerabilityFacts = { cveId };
  if (!scored) return facts;
  for (const key of ['cvss2Vector', 'cvss2BaseScore', 'cvss3Vector', 'cvss3BaseScore', 'cvss4Vector', 'cvss4BaseScore', 'cweIds'] as const) {
    if (scored[key] !== undefined) Object.assign(facts, { [key]: scored[key] });
  }
  if (scored.references) facts.references = scored.references.map((url) => ({ url }));
  return facts;
}
