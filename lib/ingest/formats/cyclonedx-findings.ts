// Mapping of CycloneDX components and vulnerabilities (specification 1.4 to 1.6, JSON) to the
// technologies and findings of the model. The zod schemas check only the fields the mapping
// reads; every other field is kept in `raw`.

import { z } from 'zod';
import { parseIsoDate, severityFromCvss, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { addCvssRating, copyCvss, cveIdsOf, cweIdsOf, highestCvss, setCves, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';
import { percentDecode } from './percent-decode';

/** CycloneDX rating severities on the product's 1–5 scale. */
const SEVERITIES: Record<string, Severity> = { unknown: 1, none: 1, info: 1, low: 2, medium: 3, high: 4, critical: 5 };

/** CycloneDX rating methods that are CVSS, and their CVSS version. Other methods (OWASP, SSVC) stay in raw. */
const CVSS_METHODS: Record<string, string> = { CVSSv2: '2.0', CVSSv3: '3.0', CVSSv31: '3.1', CVSSv4: '4.0' };

/** Analysis states that mark the component as not affected, so the finding is kept but flagged. */
const NOT_AFFECTED_STATES: ReadonlySet<string> = new Set(['not_affected', 'false_positive']);

/** Component properties that name the file a package was found in, by the tools that write them. */
const PATH_PROPERTIES: ReadonlySet<string> = new Set(['aquasecurity:trivy:FilePath', 'syft:location:0:path']);

const propertySchema = z.looseObject({ name: z.string().nullish(), value: z.string().nullish() });

export const componentSchema = z.looseObject({
  'bom-ref': z.string().nullish(),
  type: z.string().nullish(),
  group: z.string().nullish(),
  name: z.string().min(1),
  version: z.string().nullish(),
  cpe: z.string().nullish(),
  purl: z.string().nullish(),
  licenses: z
    .array(z.looseObject({ expression: z.string().nullish(), license: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish() }))
    .nullish(),
  properties: z.array(propertySchema).nullish(),
  evidence: z.looseObject({ occurrences: z.array(z.looseObject({ location: z.string().nullish() })).nullish() }).nullish(),
});
export type CycloneDxComponent = z.infer<typeof componentSchema>;

/** The technology and raw fields of one component, kept per `bom-ref` while the report is read. */
export interface ComponentInfo {
  technology: TechnologyRecord;
  /** The component's fields that the technology does not hold, for the finding's raw. */
  raw: Record<string, unknown>;
}

const MAPPED_COMPONENT_FIELDS = new Set(['name', 'group', 'version', 'cpe', 'licenses', 'components']);

/** Maps one component (without its nested components) to the technology a finding points at. */
export function componentInfo(value: unknown, path: JsonPath): ComponentInfo {
  const component = validateJson(componentSchema, value, path, 'CycloneDX');
  const technology: TechnologyRecord = { product: component.group ? `${component.group}:${component.name}` : component.name };
  if (component.version) technology.version = component.version;
  if (component.cpe) technology.cpe = component.cpe;

  const location =
    component.properties?.find((property) => property.name && PATH_PROPERTIES.has(property.name) && property.value)?.value ??
    component.evidence?.occurrences?.find((occurrence) => occurrence.location)?.location;
  if (location) technology.path = location;

  const licenses = (component.licenses ?? []).flatMap((entry) => {
    const text = entry.expression ?? entry.license?.id ?? entry.license?.name;
    return text ? [text] : [];
  });
  if (licenses.length > 0) technology.license = unique(licenses).join(', ');
  return { technology, raw: unmappedFields(component, MAPPED_COMPONENT_FIELDS) };
}

const ratingSchema = z.looseObject({
  source: z.looseObject({ name: z.string().nullish() }).nullish(),
  score: z.number().nullish(),
  severity: z.string().nullish(),
  method: z.string().nullish(),
  vector: z.string().nullish(),
});
type Rating = z.infer<typeof ratingSchema>;

const vulnerabilitySchema = z.looseObject({
  'bom-ref': z.string().nullish(),
  id: z.string().min(1),
  source: z.looseObject({ name: z.string().nullish(), url: z.string().nullish() }).nullish(),
  references: z.array(z.looseObject({ id: z.string().nullish(), source: z.looseObject({ url: z.string().nullish() }).nullish() })).nullish(),
  ratings: z.array(ratingSchema).nullish(),
  cwes: z.array(z.union([z.number(), z.string()])).nullish(),
  description: z.string().nullish(),
  detail: z.string().nullish(),
  recommendation: z.string().nullish(),
  workaround: z.string().nullish(),
  advisories: z.array(z.looseObject({ url: z.string().nullish() })).nullish(),
  published: z.string().nullish(),
  analysis: z.looseObject({ state: z.string().nullish() }).nullish(),
  affects: z.array(z.looseObject({ ref: z.string().min(1) })).nullish(),
});
type CycloneDxVulnerability = z.infer<typeof vulnerabilitySchema>;

// `ratings` stays in raw too, because the finding keeps one rating per CVSS version.
const MAPPED_VULNERABILITY_FIELDS = new Set(['id', 'cwes', 'description', 'detail', 'recommendation', 'advisories', 'published', 'affects']);

/**
 * Maps one entry of `vulnerabilities[]` to one finding per affected component (`affects[].ref`),
 * or to one finding on the asset itself when it lists none. `resolve` returns the component a
 * `bom-ref` names.
 */
export function vulnerabilityFindings(
  value: unknown,
  path: JsonPath,
  assetKey: string,
  resolve: (ref: string) => ComponentInfo | undefined,
): FindingRecord[] {
  const vulnerability = validateJson(vulnerabilitySchema, value, path, 'CycloneDX');
  const base = baseFinding(vulnerability, path, assetKey);
  const affects = vulnerability.affects ?? [];
  if (affects.length === 0) return [base];

  return affects.map((affect, index) => {
    const component = resolve(affect.ref) ?? unresolvedComponent(affect.ref);
    const affectRaw = unmappedFields(affect, new Set(['ref']));
    const finding: FindingRecord = {
      ...base,
      sourceFindingId: `${vulnerability['bom-ref'] ?? vulnerability.id}:${affect.ref}`,
      technology: component.technology,
      raw: { ...base.raw, affects: { ref: affect.ref, ...affectRaw }, component: component.raw },
      position: { field: formatJsonPath([...path, 'affects', index]) },
    };
    return finding;
  });
}

/** Package URL types whose namespace is the distribution (`pkg:deb/debian/tar`), not part of the package name. */
const DISTRIBUTION_PURL_TYPES: ReadonlySet<string> = new Set(['deb', 'rpm', 'apk', 'alpm']);

/**
 * Returns a technology for a reference that names no component of this BOM (a BOM-Link to
 * another BOM, or a producer's error): the package URL's name and version when the reference
 * is one, else the reference itself as the product. A Maven package is `group:artifact`, as
 * for components, and other namespaces are joined with `/` (`@types/node`).
 */
function unresolvedComponent(ref: string): ComponentInfo {
  const purl = /^pkg:([^/]+)\/(?:([^@?#]+)\/)?([^/@?#]+)(?:@([^?#]+))?/.exec(ref);
  const raw = { unresolvedRef: true };
  if (!purl) return { technology: { product: ref }, raw };

  const [type = '', namespace, name = ref, version] = purl.slice(1).map((part) => (part === undefined ? undefined : percentDecode(part)));
  let product = name;
  if (namespace && type === 'maven') product = `${namespace}:${name}`;
  else if (namespace && !DISTRIBUTION_PURL_TYPES.has(type)) product = `${namespace}/${name}`;
  const technology: TechnologyRecord = { product };
  if (version) technology.version = version;
  return { technology, raw };
}

function baseFinding(vulnerability: CycloneDxVulnerability, path: JsonPath, assetKey: string): FindingRecord {
  const ratings = vulnerability.ratings ?? [];
  const raw = unmappedFields(vulnerability, MAPPED_VULNERABILITY_FIELDS);
  const state = vulnerability.analysis?.state ?? undefined;
  // TODO: a not_affected or false_positive analysis is the producer's risk decision. Once
  // findings carry a status, record it there instead of only flagging it in raw.
  if (state && NOT_AFFECTED_STATES.has(state)) raw.suppressed = true;

  const scores: CvssScores = {};
  orderRatings(ratings, vulnerability.source?.name ?? undefined).forEach(({ rating, index }) => {
    const version = rating.method ? CVSS_METHODS[rating.method] : undefined;
    if (version) addCvssRating(scores, { version, vector: rating.vector, score: rating.score }, formatJsonPath([...path, 'ratings', index]));
  });

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: vulnerability.id,
    sourceFindingId: vulnerability['bom-ref'] ?? vulnerability.id,
    title: vulnerability.id,
    severity: severityOf(vulnerability, scores, path),
    raw,
    position: { field: formatJsonPath(path) },
  };
  copyCvss(scores, finding);
  setCves(finding, cveIdsOf([vulnerability.id, ...(vulnerability.references ?? []).map((reference) => reference.id)]));
  // Some tools (OSS Index) use an opaque UUID as the id, so a CVE the vulnerability lists names it better.
  if (finding.cveId) finding.title = finding.cveId;

  const description = [vulnerability.description, vulnerability.detail].filter((text) => text).join('\n\n');
  if (description) finding.description = description;
  const solution = [vulnerability.recommendation, vulnerability.workaround ? `Workaround: ${vulnerability.workaround}` : undefined].filter((text) => text).join('\n\n');
  if (solution) finding.solution = solution;

  const cweIds = cweIdsOf(vulnerability.cwes ?? []);
  if (cweIds.length > 0) finding.cweIds = cweIds;

  const references = unique([
    ...(vulnerability.advisories ?? []).flatMap((advisory) => (advisory.url ? [advisory.url] : [])),
    ...(vulnerability.source?.url ? [vulnerability.source.url] : []),
    ...(vulnerability.references ?? []).flatMap((reference) => (reference.source?.url ? [reference.source.url] : [])),
  ]);
  if (references.length > 0) finding.references = references;

  if (finding.cveIds) {
    const publishedAt = parseIsoDate(vulnerability.published ?? undefined, 'published', { field: formatJsonPath([...path, 'published']) });
    finding.vulnerabilities = finding.cveIds.map((cveId) => {
      const facts: VulnerabilityFacts = { cveId };
      // Scores belong to the vulnerability's own id; a CVE only listed in references gets none.
      if (cveId === cveIdsOf([vulnerability.id])[0]) copyCvss(scores, facts);
      if (cweIds.length > 0) facts.cweIds = cweIds;
      if (publishedAt) facts.publishedAt = publishedAt;
      if (references.length > 0) facts.references = references.map((url) => ({ url }));
      return facts;
    });
  }
  return finding;
}

/**
 * Orders ratings by trust: those of the vulnerability's own source first, then NVD's, then the
 * rest in report order. The first rating of each kind in this order wins.
 */
function orderRatings(ratings: Rating[], sourceName: string | undefined): { rating: Rating; index: number }[] {
  const rank = (rating: Rating) => {
    const name = rating.source?.name?.toLowerCase();
    if (sourceName && name === sourceName.toLowerCase()) return 0;
    if (name === 'nvd') return 1;
    return 2;
  };
  return ratings.map((rating, index) => ({ rating, index })).sort((a, b) => rank(a.rating) - rank(b.rating) || a.index - b.index);
}

/** Returns the severity of the most trusted rating that names a known one, else the CVSS band, else informational. */
function severityOf(vulnerability: CycloneDxVulnerability, scores: CvssScores, path: JsonPath): Severity {
  for (const { rating, index } of orderRatings(vulnerability.ratings ?? [], vulnerability.source?.name ?? undefined)) {
    // A rating of "unknown" gives no severity, so a later rating may.
    if (rating.severity?.toLowerCase() === 'unknown') continue;
    const severity = severityFrom(SEVERITIES, rating.severity, formatJsonPath([...path, 'ratings', index, 'severity']), 'CycloneDX');
    if (severity !== undefined) return severity;
  }
  const score = highestCvss(scores);
  return score === undefined ? 1 : severityFromCvss(score);
}
