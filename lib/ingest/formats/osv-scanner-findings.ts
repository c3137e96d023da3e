// Mapping of one OSV-Scanner package entry (a package with its vulnerabilities and groups) to
// findings: one per group, because OSV-Scanner groups the OSV records that are aliases of one
// weakness (a GHSA and a PYSEC entry for the same CVE). The zod schemas check only the fields
// the mapping reads; the rest is kept in `raw`.

import { z } from 'zod';
import { parseIsoDate, severityFromCvss, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { parseCvssVector } from '../../scoring/cvss';
import { addCvssRating, copyCvss, cveIdsOf, cweIdsOf, highestCvss, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';

/** Severity labels in `database_specific.severity` (GitHub advisories use MODERATE) on the 1–5 scale. */
const LABEL_SEVERITIES: Record<string, Severity> = { low: 2, moderate: 3, medium: 3, high: 4, critical: 5 };

/** OSV severity types that are CVSS vectors, and their CVSS version. */
const CVSS_TYPES: Record<string, string> = { CVSS_V2: '2.0', CVSS_V3: '3.1', CVSS_V4: '4.0' };

const vulnerabilitySchema = z.looseObject({
  id: z.string().min(1),
  aliases: z.array(z.string()).nullish(),
  summary: z.string().nullish(),
  details: z.string().nullish(),
  published: z.string().nullish(),
  severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).nullish(),
  references: z.array(z.looseObject({ url: z.string().nullish() })).nullish(),
  database_specific: z.looseObject({ severity: z.string().nullish(), cwe_ids: z.array(z.string()).nullish() }).nullish(),
  affected: z
    .array(
      z.looseObject({
        package: z.looseObject({ name: z.string().nullish(), ecosystem: z.string().nullish() }).nullish(),
        ranges: z.array(z.looseObject({ events: z.array(z.record(z.string(), z.string())).nullish() })).nullish(),
        database_specific: z.looseObject({ cwes: z.array(z.looseObject({ cweId: z.string().nullish() })).nullish() }).nullish(),
      }),
    )
    .nullish(),
});
type OsvVulnerability = z.infer<typeof vulnerabilitySchema>;

const packageEntrySchema = z.looseObject({
  package: z.looseObject({ name: z.string().nullish(), version: z.string().nullish(), ecosystem: z.string().nullish(), commit: z.string().nullish() }),
  vulnerabilities: z.array(vulnerabilitySchema).nullish(),
  groups: z.array(z.looseObject({ ids: z.array(z.string()).min(1), aliases: z.array(z.string()).nullish(), max_severity: z.string().nullish() })).nullish(),
});
type OsvGroup = NonNullable<z.infer<typeof packageEntrySchema>['groups']>[number];

/** The scanned source (lockfile, SBOM or image) a package entry comes from. */
export interface OsvSourceContext {
  path: string;
  type?: string;
}

const MAPPED_PACKAGE_FIELDS = new Set(['package', 'vulnerabilities', 'groups']);
const MAPPED_VULNERABILITY_FIELDS = new Set(['id', 'summary', 'details', 'references']);
const MAPPED_ALIAS_FIELDS = new Set(['id', 'references']);

/**
 * Maps one entry of `results[].packages[]` to one finding per group. A package without groups
 * (older OSV-Scanner versions) gets one group per vulnerability.
 */
export function packageFindings(value: unknown, path: JsonPath, assetKey: string, source: OsvSourceContext): FindingRecord[] {
  const entry = validateJson(packageEntrySchema, value, path, 'OSV-Scanner');
  const vulnerabilities = entry.vulnerabilities ?? [];
  const byId = new Map(vulnerabilities.map((vulnerability) => [vulnerability.id, vulnerability]));
  const groups: OsvGroup[] = entry.groups && entry.groups.length > 0 ? entry.groups : vulnerabilities.map((vulnerability) => ({ ids: [vulnerability.id] }));

  return groups.map((group, groupIndex) => {
    const members = group.ids.map((id) => {
      const vulnerability = byId.get(id);
      if (!vulnerability) {
        const field = formatJsonPath([...path, 'groups', groupIndex, 'ids']);
        throw new ReportError('invalid_field', `OSV-Scanner group names ${JSON.stringify(id)}, which is not among the package's vulnerabilities`, { field });
      }
      return vulnerability;
    });
    return groupFinding(entry, group, members, { path, groupIndex, assetKey, source });
  });
}

interface GroupContext {
  path: JsonPath;
  groupIndex: number;
  assetKey: string;
  source: OsvSourceContext;
}

function groupFinding(entry: z.infer<typeof packageEntrySchema>, group: OsvGroup, members: OsvVulnerability[], context: GroupContext): FindingRecord {
  const [primary] = members;
  if (!primary) throw new Error('an OSV-Scanner group has at least one id, as its schema requires');
  const { path, groupIndex, assetKey, source } = context;
  const pkg = entry.package;
  const vulnerabilityPath = (member: OsvVulnerability) => [...path, 'vulnerabilities', (entry.vulnerabilities ?? []).indexOf(member)];

  const scores: CvssScores = {};
  for (const member of members) addRatings(scores, member, vulnerabilityPath(member));

  // The primary record's own CVE comes first; the group's other aliases follow.
  const cveIds = unique([
    ...cveIdsOf([primary.id, ...(primary.aliases ?? [])]),
    ...cveIdsOf([...members.flatMap((member) => [member.id, ...(member.aliases ?? [])]), ...(group.aliases ?? [])]),
  ]);

  const raw: Record<string, unknown> = {
    ...unmappedFields(entry, MAPPED_PACKAGE_FIELDS),
    package: pkg,
    source: source.path,
    group,
    // Only the primary record's summary and details become the title and description.
    vulnerabilities: members.map((member) =>
      withoutVersionLists(unmappedFields(member, member === primary ? MAPPED_VULNERABILITY_FIELDS : MAPPED_ALIAS_FIELDS)),
    ),
  };
  if (source.type) raw.sourceType = source.type;

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: primary.id,
    sourceFindingId: `${group.ids.join('+')}:${pkg.ecosystem ?? ''}:${pkg.name || pkg.commit || ''}@${pkg.version ?? ''}:${source.path}`,
    title: primary.summary || primary.id,
    severity: severityOf(group, members, scores, [...path, 'groups', groupIndex]),
    raw,
    position: { field: formatJsonPath([...path, 'groups', groupIndex]) },
  };
  copyCvss(scores, finding);
  const technology = technologyOf(pkg, source);
  if (technology) finding.technology = technology;
  const [cveId] = cveIds;
  if (cveId) {
    finding.cveId = cveId;
    finding.cveIds = cveIds;
  }
  if (primary.details) finding.description = primary.details.trim();

  const fixed = fixedVersions(members, pkg);
  if (fixed.length > 0) {
    finding.fixedVersion = fixed.join(', ');
    finding.solution = `Upgrade ${pkg.name || 'the repository'} to ${fixed.join(' or ')}.`;
  }

  const cweIds = cweIdsOf(
    members.flatMap((member) => [
      ...(member.database_specific?.cwe_ids ?? []),
      ...(member.affected ?? []).flatMap((affected) => (affected.database_specific?.cwes ?? []).map((cwe) => cwe.cweId)),
    ]),
  );
  if (cweIds.length > 0) finding.cweIds = cweIds;

  const references = unique(members.flatMap((member) => (member.references ?? []).flatMap((reference) => (reference.url ? [reference.url] : []))));
  if (references.length > 0) finding.references = references;

  if (cveId) {
    const publishedAt = parseIsoDate(primary.published ?? undefined, 'published', { field: formatJsonPath([...vulnerabilityPath(primary), 'published']) });
    finding.vulnerabilities = cveIds.map((id) => {
      const facts: VulnerabilityFacts = { cveId: id };
      // The OSV records rate the weakness they describe, which is the primary CVE.
      if (id === cveId) {
        copyCvss(scores, facts);
        if (publishedAt) facts.publishedAt = publishedAt;
      }
      if (cweIds.length > 0) facts.cweIds = cweIds;
      return facts;
    });
  }
  return finding;
}

/** Records each CVSS vector of `severity[]` with the base score computed from it. */
function addRatings(scores: CvssScores, vulnerability: OsvVulnerability, path: JsonPath): void {
  (vulnerability.severity ?? []).forEach((rating, index) => {
    const version = CVSS_TYPES[rating.type];
    if (!version) return;
    const parsed = parseCvssVector(rating.score);
    if (!parsed) {
      const field = formatJsonPath([...path, 'severity', index, 'score']);
      throw new ReportError('invalid_field', `invalid ${rating.type} vector ${JSON.stringify(rating.score)}; expected a vector such as CVSS:3.1/AV:N/AC:L/…`, { field });
    }
    addCvssRating(scores, { version, vector: rating.score, score: parsed.baseScore }, formatJsonPath([...path, 'severity', index]));
  });
}

/**
 * Returns the group's severity: OSV-Scanner's `max_severity` (a CVSS score), else the band of the
 * highest CVSS score of its records, else the label in `database_specific.severity`, else critical for a
 * malicious package, else informational.
 */
function severityOf(group: OsvGroup, members: OsvVulnerability[], scores: CvssScores, path: JsonPath): Severity {
  const maxSeverity = group.max_severity?.trim();
  if (maxSeverity) {
    const score = Number(maxSeverity);
    if (!Number.isFinite(score) || score < 0 || score > 10) {
      throw new ReportError('invalid_field', `OSV-Scanner max_severity must be a CVSS score from 0 to 10, got ${JSON.stringify(maxSeverity)}`, {
        field: formatJsonPath([...path, 'max_severity']),
      });
    }
    return severityFromCvss(score);
  }
  // Each record may rate the weakness differently, so the highest of all their scores counts,
  // as in OSV-Scanner's own max_severity.
  const allScores = members.flatMap((member) =>
    (member.severity ?? []).flatMap((rating) => (CVSS_TYPES[rating.type] ? [parseCvssVector(rating.score)?.baseScore ?? 0] : [])),
  );
  const score = allScores.length > 0 ? Math.max(...allScores) : highestCvss(scores);
  if (score !== undefined) return severityFromCvss(score);
  for (const member of members) {
    const label = severityFrom(LABEL_SEVERITIES, member.database_specific?.severity, `vulnerability ${member.id} database_specific.severity`, 'OSV');
    if (label !== undefined) return label;
  }
  // OpenSSF's malicious-packages entries (MAL-…) carry no rating, and a malicious package
  // compromises whatever installs it.
  if (members.some((member) => member.id.startsWith('MAL-'))) return 5;
  return 1;
}

/**
 * Returns the package as a technology. A git source's entry names only a commit of the scanned
 * repository, which is the asset itself, so it has no technology and the commit stays in raw.
 */
function technologyOf(pkg: z.infer<typeof packageEntrySchema>['package'], source: OsvSourceContext): TechnologyRecord | undefined {
  if (!pkg.name) return undefined;
  const technology: TechnologyRecord = { product: pkg.name, path: source.path };
  if (pkg.version) technology.version = pkg.version;
  return technology;
}

/** Returns the `fixed` versions of the ranges that concern this package, in report order. */
function fixedVersions(members: OsvVulnerability[], pkg: z.infer<typeof packageEntrySchema>['package']): string[] {
  const versions: string[] = [];
  for (const member of members) {
    for (const affected of member.affected ?? []) {
      if (affected.package?.name && affected.package.name !== pkg.name) continue;
      for (const range of affected.ranges ?? []) {
        for (const event of range.events ?? []) if (event.fixed) versions.push(event.fixed);
      }
    }
  }
  return unique(versions);
}

/**
 * Drops `affected[].versions`, the enumeration of every affected release (it can run to
 * hundreds of entries), from a record kept in raw. The `ranges` beside it state the same facts.
 */
function withoutVersionLists(record: Record<string, unknown>): Record<string, unknown> {
  const affected = record.affected;
  if (!Array.isArray(affected)) return record;
  return {
    ...record,
    affected: affected.map((entry: unknown) => {
      if (!entry || typeof entry !== 'object') return entry;
      const { versions: _versions, ...rest } = entry as Record<string, unknown>;
      return rest;
    }),
  };
}
