// Mapping of one Grype match (a vulnerability found in one package) to a finding. The zod
// schemas check only the fields the mapping reads; the rest of the match is kept in `raw`.

import { z } from 'zod';
import { parseIsoDate, severityFromCvss, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, KevFacts, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { addCvssRating, copyCvss, cveIdsOf, cweIdsOf, highestCvss, setCves, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';

/** Grype severities on the product's 1–5 scale; Negligible is below Low, so informational. */
const SEVERITIES: Record<string, Severity> = { unknown: 1, negligible: 1, low: 2, medium: 3, high: 4, critical: 5 };

const cvssSchema = z.looseObject({
  version: z.string().nullish(),
  vector: z.string().nullish(),
  type: z.string().nullish(),
  metrics: z.looseObject({ baseScore: z.number().nullish() }).nullish(),
});

const epssSchema = z.looseObject({
  cve: z.string().nullish(),
  epss: z.number().min(0).max(1).nullish(),
  percentile: z.number().min(0).max(1).nullish(),
});

const kevSchema = z.looseObject({
  cve: z.string().nullish(),
  vendorProject: z.string().nullish(),
  product: z.string().nullish(),
  dateAdded: z.string().nullish(),
  dueDate: z.string().nullish(),
  knownRansomwareCampaignUse: z.string().nullish(),
});

const cweSchema = z.looseObject({ cve: z.string().nullish(), cwe: z.string().nullish() });

/** Fields that Grype's vulnerability and related-vulnerability records share. */
const metadataShape = {
  id: z.string().min(1),
  severity: z.string().nullish(),
  description: z.string().nullish(),
  urls: z.array(z.string()).nullish(),
  cvss: z.array(cvssSchema).nullish(),
  epss: z.array(epssSchema).nullish(),
  knownExploited: z.array(kevSchema).nullish(),
  cwes: z.array(cweSchema).nullish(),
};
const metadataSchema = z.looseObject(metadataShape);
type GrypeMetadata = z.infer<typeof metadataSchema>;

const matchSchema = z.looseObject({
  vulnerability: z.looseObject({
    ...metadataShape,
    dataSource: z.string().nullish(),
    fix: z.looseObject({ versions: z.array(z.string()).nullish(), state: z.string().nullish() }).nullish(),
    advisories: z.array(z.looseObject({ id: z.string().nullish(), link: z.string().nullish() })).nullish(),
  }),
  relatedVulnerabilities: z.array(metadataSchema).nullish(),
  artifact: z.looseObject({
    id: z.string().nullish(),
    name: z.string().min(1),
    version: z.string().nullish(),
    locations: z.array(z.looseObject({ path: z.string().nullish() })).nullish(),
    licenses: z.array(z.unknown()).nullish(),
    cpes: z.array(z.string()).nullish(),
  }),
});
type GrypeMatch = z.infer<typeof matchSchema>;

const MAPPED_MATCH_FIELDS = new Set(['vulnerability', 'artifact']);
// `cvss`, `epss`, `knownExploited` and `fix` stay in raw too, because the finding keeps one
// rating per CVSS version and the facts keep only the catalog's columns.
const MAPPED_VULNERABILITY_FIELDS = new Set(['id', 'severity', 'description', 'urls', 'cwes']);
const MAPPED_ARTIFACT_FIELDS = new Set(['name', 'version']);

/**
 * Maps one entry of `matches[]` or `ignoredMatches[]`. An ignored match (one that the user's
 * Grype ignore rules matched) is kept as a finding flagged `suppressed` in raw.
 */
export function grypeMatchFinding(value: unknown, path: JsonPath, assetKey: string, ignored: boolean): FindingRecord {
  const match = validateJson(matchSchema, value, path, 'Grype');
  const { vulnerability, artifact } = match;
  const related = match.relatedVulnerabilities ?? [];
  const field = formatJsonPath(path);
  const location = artifact.locations?.find((entry) => entry.path)?.path ?? undefined;

  const raw: Record<string, unknown> = {
    ...unmappedFields(match, MAPPED_MATCH_FIELDS),
    vulnerability: unmappedFields(vulnerability, MAPPED_VULNERABILITY_FIELDS),
    artifact: unmappedFields(artifact, MAPPED_ARTIFACT_FIELDS),
  };
  // TODO: an ignored match is a finding the user has accepted. Once findings carry a
  // risk-acceptance status, record it as accepted risk instead of only flagging it here.
  if (ignored) raw.suppressed = true;

  const scores: CvssScores = {};
  [vulnerability, ...related].forEach((record, index) => addRatings(scores, record, index === 0 ? [...path, 'vulnerability'] : [...path, 'relatedVulnerabilities', index - 1]));

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: vulnerability.id,
    sourceFindingId: `${vulnerability.id}:${artifact.id ?? `${artifact.name}@${artifact.version ?? ''}`}:${location ?? ''}`,
    title: vulnerability.id,
    severity: severityOf(match, scores, path),
    technology: technologyOf(artifact, location),
    raw,
    position: { field },
  };
  copyCvss(scores, finding);
  setCves(finding, cveIdsOf([vulnerability.id, ...related.map((record) => record.id)]));

  const description = vulnerability.description || related.find((record) => record.description)?.description;
  if (description) finding.description = description;

  const fixVersions = (vulnerability.fix?.versions ?? []).filter((version) => version.trim() !== '');
  if (fixVersions.length > 0) {
    finding.fixedVersion = fixVersions.join(', ');
    finding.solution = `Upgrade ${artifact.name} to ${fixVersions.join(' or ')}.`;
  }

  const cweIds = cweIdsOf([vulnerability, ...related].flatMap((record) => (record.cwes ?? []).map((entry) => entry.cwe)));
  if (cweIds.length > 0) finding.cweIds = cweIds;

  const references = unique([
    ...(vulnerability.dataSource ? [vulnerability.dataSource] : []),
    ...(vulnerability.urls ?? []),
    ...(vulnerability.advisories ?? []).flatMap((advisory) => (advisory.link ? [advisory.link] : [])),
  ]);
  if (references.length > 0) finding.references = references;

  const facts = (finding.cveIds ?? []).map((cveId) => cveFacts(cveId, match, path));
  if (facts.length > 0) finding.vulnerabilities = facts;
  return finding;
}

function addRatings(scores: CvssScores, record: GrypeMetadata, path: JsonPath): void {
  // NVD's own rating is marked Primary; try those before the secondary sources' ratings.
  const ratings = [...(record.cvss ?? [])].sort((a, b) => Number(b.type === 'Primary') - Number(a.type === 'Primary'));
  ratings.forEach((rating) => {
    addCvssRating(scores, { version: rating.version, vector: rating.vector, score: rating.metrics?.baseScore }, formatJsonPath([...path, 'cvss']));
  });
}

/**
 * Returns the match's severity: the vulnerability's own, else that of the first related record
 * that has one (an NVD match may leave it blank while its GHSA names it), else the CVSS band
 * of the highest score, else informational.
 */
function severityOf(match: GrypeMatch, scores: CvssScores, path: JsonPath): Severity {
  const records = [match.vulnerability, ...(match.relatedVulnerabilities ?? [])];
  for (const [index, record] of records.entries()) {
    const at = index === 0 ? [...path, 'vulnerability', 'severity'] : [...path, 'relatedVulnerabilities', index - 1, 'severity'];
    const severity = severityFrom(SEVERITIES, record.severity, formatJsonPath(at), 'Grype');
    if (severity !== undefined) return severity;
  }
  const score = highestCvss(scores);
  return score === undefined ? 1 : severityFromCvss(score);
}

function technologyOf(artifact: GrypeMatch['artifact'], location: string | undefined): TechnologyRecord {
  const technology: TechnologyRecord = { product: artifact.name };
  if (artifact.version) technology.version = artifact.version;
  if (location) technology.path = location;
  const [cpe] = artifact.cpes ?? [];
  if (cpe) technology.cpe = cpe;
  // Grype lists licenses as strings, or as objects with `value` in newer versions.
  const licenses = (artifact.licenses ?? []).flatMap((license) => {
    if (typeof license === 'string') return [license];
    const text = (license as { value?: unknown } | null)?.value;
    return typeof text === 'string' ? [text] : [];
  });
  if (licenses.length > 0) technology.license = unique(licenses).join(', ');
  return technology;
}

/**
 * Collects the facts about one CVE: scores, CWEs and references from the record with that id
 * (the matched vulnerability or a related one), and EPSS and KEV from any record that lists the CVE.
 */
function cveFacts(cveId: string, match: GrypeMatch, path: JsonPath): VulnerabilityFacts {
  const records: GrypeMetadata[] = [match.vulnerability, ...(match.relatedVulnerabilities ?? [])];
  const facts: VulnerabilityFacts = { cveId };
  const index = records.findIndex((record) => cveIdsOf([record.id])[0] === cveId);
  const own = records[index];
  if (own) {
    const scores: CvssScores = {};
    addRatings(scores, own, index === 0 ? [...path, 'vulnerability'] : [...path, 'relatedVulnerabilities', index - 1]);
    copyCvss(scores, facts);
    const references = unique(own.urls ?? []);
    if (references.length > 0) facts.references = references.map((url) => ({ url }));
  }

  const sameCve = (entry: { cve?: string | null }) => !entry.cve || cveIdsOf([entry.cve])[0] === cveId;
  const cweIds = cweIdsOf(records.flatMap((record) => (record.cwes ?? []).filter(sameCve).map((entry) => entry.cwe)));
  if (cweIds.length > 0) facts.cweIds = cweIds;

  const epss = records.flatMap((record) => record.epss ?? []).find((entry) => entry.cve && sameCve(entry));
  if (epss?.epss !== undefined && epss.epss !== null) facts.epssScore = epss.epss;
  if (epss?.percentile !== undefined && epss.percentile !== null) facts.epssPercentile = epss.percentile;

  const kevIndex = records.findIndex((record) => (record.knownExploited ?? []).some((entry) => entry.cve && sameCve(entry)));
  const kev = records[kevIndex]?.knownExploited?.find((entry) => entry.cve && sameCve(entry));
  if (kev) facts.kev = kevFacts(kev, [...path, kevIndex === 0 ? 'vulnerability' : 'relatedVulnerabilities', 'knownExploited']);
  return facts;
}

function kevFacts(entry: z.infer<typeof kevSchema>, path: JsonPath): KevFacts {
  const kev: KevFacts = {};
  const at = (name: string) => ({ field: formatJsonPath([...path, name]) });
  const dateAdded = parseIsoDate(entry.dateAdded ?? undefined, 'dateAdded', at('dateAdded'));
  if (dateAdded) kev.dateAdded = dateAdded;
  const dueDate = parseIsoDate(entry.dueDate ?? undefined, 'dueDate', at('dueDate'));
  if (dueDate) kev.dueDate = dueDate;
  const ransomware = entry.knownRansomwareCampaignUse?.toLowerCase();
  if (ransomware === 'known') kev.ransomwareUse = true;
  else if (ransomware === 'unknown') kev.ransomwareUse = false;
  if (entry.vendorProject) kev.vendorProject = entry.vendorProject;
  if (entry.product) kev.product = entry.product;
  return kev;
}
