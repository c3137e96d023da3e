// Mapping of OWASP Dependency-Check XML dependencies and vulnerabilities (schema 1.3 and later) to
// the technologies and findings of the model. Schema 1.x gives CVSS v2 as flat `cvss*` fields of
// the vulnerability, schema 2.x as `cvssV2` and `cvssV3` elements with the vector in parts.
// NOTE: `cvssV4`, `vectorString` and `knownExploitedVulnerability` are read by the names newer
// Dependency-Check versions use, but only the 1.3 and 2.5 layouts were checked against real reports.

import { normalizeCveId, normalizeCweId, parseCvssScore, parseIsoDate, quote, severityFromCvss, unique } from '../field-values';
import type { FindingRecord, KevFacts, Severity, SourcePosition, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { appendRaw, childElement, childElements, childText, elementToRaw, nonBlank, type XmlElement } from '../xml-stream';
import { copyCvss, highestCvss, type CvssScores } from './json-fields';
import { percentDecode } from './percent-decode';

/** Dependency-Check severities (NVD, OSS Index, NPM and RetireJS wording) on the product's 1–5 scale. */
const SEVERITIES: Record<string, Severity> = {
  info: 1,
  informational: 1,
  none: 1,
  low: 2,
  medium: 3,
  moderate: 3,
  high: 4,
  critical: 5,
};

/** Package URL types whose namespace is the distribution (`pkg:deb/debian/tar`), not part of the package name. */
const DISTRIBUTION_PURL_TYPES: ReadonlySet<string> = new Set(['deb', 'rpm', 'apk', 'alpm']);

/** A dependency's fields that every finding on it shares. */
export interface DependencyInfo {
  technology: TechnologyRecord;
  /** The dependency's unmapped fields (hashes, identifiers, related dependencies) for the finding's raw. */
  raw: Record<string, unknown>;
  /** `filePath`, or `fileName` when the path is missing, to tell findings of equal packages apart. */
  location: string;
}

/** Dependency children that map to the technology or are the findings themselves. */
const MAPPED_DEPENDENCY_CHILDREN: ReadonlySet<string> = new Set(['fileName', 'filePath', 'license', 'vulnerabilities']);

/**
 * Maps a dependency to the technology its findings point at: the package URL's name and version
 * (`identifiers/package`), else a Maven identifier of schema 1.x (`group:artifact:version`), else
 * the file name. The CPE Dependency-Check matched (`vulnerabilityIds`, or a `cpe` identifier) is
 * kept too. Related dependencies (the same file found at other paths) stay in raw.
 */
export function dependencyInfo(dependency: XmlElement): DependencyInfo {
  const fileName = childText(dependency, 'fileName');
  const filePath = childText(dependency, 'filePath');
  if (!fileName && !filePath) {
    throw new ReportError('invalid_field', 'dependency has neither <fileName> nor <filePath>', { line: dependency.line, column: dependency.column, field: 'dependency/fileName' });
  }

  const identifiers = descendants(childElement(dependency, 'identifiers'));
  const purl = identifiers.filter((element) => element.name === 'package').map((element) => childText(element, 'id')).find((id) => id?.startsWith('pkg:'));
  const maven = identifiers.find((element) => element.name === 'identifier' && element.attributes.type === 'maven');
  const cpe =
    identifiers.filter((element) => element.name === 'vulnerabilityIds').map((element) => childText(element, 'id')).find((id) => id?.startsWith('cpe:')) ??
    identifiers.filter((element) => element.name === 'identifier' && element.attributes.type === 'cpe').map((element) => childText(element, 'name')).find((id) => id);

  const technology = (purl ? purlTechnology(purl) : undefined) ?? (maven ? mavenTechnology(childText(maven, 'name')) : undefined) ?? fileTechnology(fileName ?? filePath ?? '');
  if (cpe) technology.cpe = cpe;
  if (filePath) technology.path = filePath;
  const license = childText(dependency, 'license');
  if (license) technology.license = license;

  const raw: Record<string, unknown> = {};
  if (fileName) raw.fileName = fileName;
  for (const [name, value] of Object.entries(dependency.attributes)) raw[name] = value;
  for (const child of dependency.children) {
    const empty = nonBlank(child.text) === undefined && child.children.length === 0;
    if (MAPPED_DEPENDENCY_CHILDREN.has(child.name) || empty) continue;
    appendRaw(raw, child.name, elementToRaw(child));
  }
  return { technology, raw, location: filePath ?? fileName ?? '' };
}

/**
 * Returns the package URL's name and version: Maven packages as `group:artifact`, as the
 * CycloneDX parsers name them, other namespaces joined with `/` (`@types/node`).
 */
function purlTechnology(purl: string): TechnologyRecord | undefined {
  const match = /^pkg:([^/]+)\/(?:([^@?#]+)\/)?([^/@?#]+)(?:@([^?#]+))?/.exec(purl);
  if (!match) return undefined;
  const [type = '', namespace, name = '', version] = match.slice(1).map((part) => (part === undefined ? undefined : percentDecode(part)));
  let product = name;
  if (namespace && type === 'maven') product = `${namespace}:${name}`;
  else if (namespace && !DISTRIBUTION_PURL_TYPES.has(type)) product = `${namespace}/${name}`;
  const technology: TechnologyRecord = { product, category: type };
  if (version) technology.version = version;
  return technology;
}

/** Parses the `group:artifact:version` name of a schema 1.x Maven identifier. */
function mavenTechnology(name: string | undefined): TechnologyRecord | undefined {
  const parts = name?.split(':') ?? [];
  if (parts.length < 2) return undefined;
  const technology: TechnologyRecord = { product: parts.length >= 3 ? parts.slice(0, -1).join(':') : parts.join(':'), category: 'maven' };
  if (parts.length >= 3 && parts[parts.length - 1]) technology.version = parts[parts.length - 1];
  return technology;
}

/**
 * Names a dependency with no package id by its file. Dependency-Check names a file inside an
 * archive `outer.ear: inner.jar`, and the innermost file is the package.
 */
function fileTechnology(fileName: string): TechnologyRecord {
  const inner = fileName.split(': ').pop() ?? fileName;
  return { product: inner.split(/[\\/]/).pop() || inner };
}

/** Vulnerability children that map to finding fields; the others go to the finding's raw. */
const MAPPED_VULNERABILITY_CHILDREN: ReadonlySet<string> = new Set(['name', 'description', 'cwe', 'cwes', 'references', 'knownExploitedVulnerability']);

/**
 * Maps one `vulnerability` or `suppressedVulnerability` of a dependency to a finding. A
 * suppressed vulnerability is kept and flagged `raw.suppressed`, with the suppression's notes.
 */
export function dependencyFinding(vulnerability: XmlElement, dependency: DependencyInfo, assetKey: string): FindingRecord {
  const position: SourcePosition = { line: vulnerability.line, column: vulnerability.column };
  const name = childText(vulnerability, 'name');
  if (!name) throw new ReportError('invalid_field', `${vulnerability.name} of dependency ${quote(dependency.location)} has no <name>`, { ...position, field: `${vulnerability.name}/name` });

  const source = nonBlank(vulnerability.attributes.source);
  const raw: Record<string, unknown> = { dependency: dependency.raw };
  if (source) raw.source = source;
  if (vulnerability.name === 'suppressedVulnerability') raw.suppressed = true;
  for (const child of vulnerability.children) {
    const empty = nonBlank(child.text) === undefined && child.children.length === 0;
    if (!MAPPED_VULNERABILITY_CHILDREN.has(child.name) && !empty) appendRaw(raw, child.name, elementToRaw(child));
  }

  const scores = cvssScores(vulnerability, position);
  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: name,
    sourceFindingId: `${name}|${dependency.location}`,
    // NPM advisories carry only their number, so the source names them (`NPM-1500`).
    title: /^\d+$/.test(name) && source ? `${source}-${name}` : name,
    severity: severityOf(vulnerability, scores, position),
    technology: dependency.technology,
    raw,
    position,
  };
  copyCvss(scores, finding);

  const cveId = normalizeCveId(name);
  if (cveId) {
    finding.cveId = cveId;
    finding.cveIds = [cveId];
  }
  const description = childText(vulnerability, 'description');
  if (description) finding.description = description;
  const fixedVersion = matchedFixedVersion(vulnerability);
  if (fixedVersion) finding.fixedVersion = fixedVersion;

  // Schema 1.x has one `cwe` like `CWE-79 Improper Neutralization…`; later ones list `cwes/cwe`.
  const cweTexts = [childText(vulnerability, 'cwe'), ...childElements(childElement(vulnerability, 'cwes') ?? emptyElement, 'cwe').map((cwe) => nonBlank(cwe.text))];
  const cweIds = unique(cweTexts.map((text) => normalizeCweId(/^(?:CWE-)?\d+/i.exec(text ?? '')?.[0])).filter((id): id is string => id !== undefined));
  if (cweIds.length > 0) finding.cweIds = cweIds;

  const references = unique(childElements(childElement(vulnerability, 'references') ?? emptyElement, 'reference').flatMap((reference) => childText(reference, 'url') ?? []));
  if (references.length > 0) finding.references = references;

  if (cveId) {
    const facts: VulnerabilityFacts = { cveId };
    copyCvss(scores, facts);
    if (cweIds.length > 0) facts.cweIds = cweIds;
    if (references.length > 0) facts.references = references.map((url) => ({ url }));
    const kev = kevFacts(childElement(vulnerability, 'knownExploitedVulnerability'), position);
    if (kev) facts.kev = kev;
    finding.vulnerabilities = [facts];
  }
  const kevElement = childElement(vulnerability, 'knownExploitedVulnerability');
  if (kevElement) raw.knownExploitedVulnerability = elementToRaw(kevElement);
  return finding;
}

/**
 * Returns the first version outside the vulnerable range of the CPE that matched the dependency
 * (`vulnerableSoftware/software` marked `vulnerabilityIdMatched` or, for suppressed ones,
 * `matched`), when that range has an exclusive upper end.
 */
function matchedFixedVersion(vulnerability: XmlElement): string | undefined {
  const software = childElements(childElement(vulnerability, 'vulnerableSoftware') ?? emptyElement, 'software');
  const matched = software.find((entry) => entry.attributes.vulnerabilityIdMatched === 'true' || entry.attributes.matched === 'true');
  return nonBlank(matched?.attributes.versionEndExcluding);
}

const emptyElement: XmlElement = { name: '', attributes: {}, children: [], text: '', line: 0, column: 0 };

/** Returns the severity Dependency-Check states, else the CVSS band of the highest score, else informational. */
function severityOf(vulnerability: XmlElement, scores: CvssScores, position: SourcePosition): Severity {
  const text = childText(vulnerability, 'severity');
  if (text && text.toLowerCase() !== 'unknown') {
    const severity = SEVERITIES[text.toLowerCase()];
    if (severity === undefined) {
      throw new ReportError('invalid_field', `unknown Dependency-Check severity ${quote(text)}; expected Critical, High, Medium, Moderate, Low or Info`, { ...position, field: `${vulnerability.name}/severity` });
    }
    return severity;
  }
  const score = highestCvss(scores);
  return score === undefined ? 1 : severityFromCvss(score);
}

/** CVSS v2 metric values as Dependency-Check writes them (NVD names or letters) and their vector letters. */
const V2_METRICS: [string, string, Record<string, string>][] = [
  ['AV', 'accessVector', { NETWORK: 'N', ADJACENT_NETWORK: 'A', LOCAL: 'L' }],
  ['AC', 'accessComplexity', { LOW: 'L', MEDIUM: 'M', HIGH: 'H' }],
  ['Au', 'authenticationr', { NONE: 'N', SINGLE: 'S', SINGLE_INSTANCE: 'S', MULTIPLE: 'M', MULTIPLE_INSTANCES: 'M' }],
  ['C', 'confidentialImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
  ['I', 'integrityImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
  ['A', 'availabilityImpact', { NONE: 'N', PARTIAL: 'P', COMPLETE: 'C' }],
];

const V3_IMPACT = { NONE: 'N', LOW: 'L', HIGH: 'H' };
const V3_METRICS: [string, string, Record<string, string>][] = [
  ['AV', 'attackVector', { NETWORK: 'N', ADJACENT_NETWORK: 'A', ADJACENT: 'A', LOCAL: 'L', PHYSICAL: 'P' }],
  ['AC', 'attackComplexity', { LOW: 'L', HIGH: 'H' }],
  ['PR', 'privilegesRequired', V3_IMPACT],
  ['UI', 'userInteraction', { NONE: 'N', REQUIRED: 'R' }],
  ['S', 'scope', { UNCHANGED: 'U', CHANGED: 'C' }],
  ['C', 'confidentialityImpact', V3_IMPACT],
  ['I', 'integrityImpact', V3_IMPACT],
  ['A', 'availabilityImpact', V3_IMPACT],
];

/**
 * Reads CVSS scores and vectors. A vector is built from its parts only when every base metric is
 * present and known. Otherwise the score is kept alone, and the parts stay in raw.
 */
function cvssScores(vulnerability: XmlElement, position: SourcePosition): CvssScores {
  const scores: CvssScores = {};
  const field = (name: string) => ({ ...position, field: `${vulnerability.name}/${name}` });

  const v2 = childElement(vulnerability, 'cvssV2');
  if (v2) {
    const score = parseCvssScore(childText(v2, 'score'), 'cvssV2/score', field('cvssV2/score'));
    if (score !== undefined) scores.cvss2BaseScore = score;
    const vector = childText(v2, 'vectorString')?.replace(/^\(|\)$/g, '') ?? buildVector(V2_METRICS, (name) => childText(v2, name) ?? (name === 'authenticationr' ? childText(v2, 'authentication') : undefined));
    if (vector) scores.cvss2Vector = vector;
  } else {
    // Schema 1.x: cvssScore and cvssAccessVector, cvssAccessComplexity, … on the vulnerability itself.
    const score = parseCvssScore(childText(vulnerability, 'cvssScore'), 'cvssScore', field('cvssScore'));
    if (score !== undefined) scores.cvss2BaseScore = score;
    const vector = buildVector(V2_METRICS, (name) => childText(vulnerability, `cvss${name[0]?.toUpperCase()}${name.slice(1)}`));
    if (vector) scores.cvss2Vector = vector;
  }

  const v3 = childElement(vulnerability, 'cvssV3');
  if (v3) {
    const score = parseCvssScore(childText(v3, 'baseScore'), 'cvssV3/baseScore', field('cvssV3/baseScore'));
    if (score !== undefined) scores.cvss3BaseScore = score;
    const version = childText(v3, 'version') ?? '3.1';
    const parts = buildVector(V3_METRICS, (name) => childText(v3, name));
    const vector = childText(v3, 'vectorString') ?? (parts ? `CVSS:${version}/${parts}` : undefined);
    if (vector) scores.cvss3Vector = vector;
  }

  const v4 = childElement(vulnerability, 'cvssV4');
  if (v4) {
    const score = parseCvssScore(childText(v4, 'baseScore'), 'cvssV4/baseScore', field('cvssV4/baseScore'));
    if (score !== undefined) scores.cvss4BaseScore = score;
    const vector = childText(v4, 'vectorString');
    if (vector) scores.cvss4Vector = vector;
  }
  return scores;
}

/** Builds `AV:N/AC:L/…` from metric values given as names (`NETWORK`) or letters (`N`), or undefined when one is missing or unknown. */
function buildVector(metrics: [string, string, Record<string, string>][], value: (name: string) => string | undefined): string | undefined {
  const parts: string[] = [];
  for (const [abbreviation, name, letters] of metrics) {
    const text = value(name)?.toUpperCase();
    if (!text) return undefined;
    const letter = letters[text] ?? (Object.values(letters).includes(text) ? text : undefined);
    if (!letter) return undefined;
    parts.push(`${abbreviation}:${letter}`);
  }
  return parts.join('/');
}

/** Reads the CISA KEV entry that Dependency-Check 8 and later attach (`knownExploitedVulnerability`). */
function kevFacts(element: XmlElement | undefined, position: SourcePosition): KevFacts | undefined {
  if (!element) return undefined;
  const field = (name: string) => ({ ...position, field: `knownExploitedVulnerability/${name}` });
  const kev: KevFacts = {};
  const dateAdded = parseIsoDate(childText(element, 'dateAdded'), 'dateAdded', field('dateAdded'));
  if (dateAdded) kev.dateAdded = dateAdded;
  const dueDate = parseIsoDate(childText(element, 'dueDate'), 'dueDate', field('dueDate'));
  if (dueDate) kev.dueDate = dueDate;
  const ransomware = childText(element, 'knownRansomwareCampaignUse')?.toLowerCase();
  if (ransomware === 'known') kev.ransomwareUse = true;
  else if (ransomware === 'unknown') kev.ransomwareUse = false;
  const vendorProject = childText(element, 'vendorProject');
  if (vendorProject) kev.vendorProject = vendorProject;
  const product = childText(element, 'product');
  if (product) kev.product = product;
  return kev;
}

/** Returns every element below this one, depth first; schema 1.x nests `identifiers` inside `identifiers`. */
function descendants(element: XmlElement | undefined): XmlElement[] {
  if (!element) return [];
  return element.children.flatMap((child) => [child, ...descendants(child)]);
}
