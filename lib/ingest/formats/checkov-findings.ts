// Mapping of one Checkov check record to a finding. A failed or skipped policy check is a
// misconfiguration on `file_path:resource`. A record of the SCA runners (`sca_package`,
// `sca_image`) carries `vulnerability_details` and is a vulnerability in a package instead.
//
// Checkov prints a severity only when it runs with a Prisma Cloud (Bridgecrew) API key. Without
// one the severity is null, and the finding is medium (3). The check failed, but the report
// gives no measure of how much it matters, so the finding takes the middle of the scale.

import { z } from 'zod';
import { parseIsoDate, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, Severity } from '../model';
import { addCvssRating, copyCvss, cveIdsOf, setCves, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';

const SEVERITIES: Record<string, Severity> = { info: 1, low: 2, medium: 3, moderate: 3, high: 4, critical: 5 };
const DEFAULT_SEVERITY: Severity = 3;

const vulnerabilitySchema = z.looseObject({
  id: z.string().nullish(),
  package_name: z.string().nullish(),
  package_version: z.string().nullish(),
  lowest_fixed_version: z.string().nullish(),
  fixed_version: z.string().nullish(),
  cvss: z.number().nullish(),
  vector: z.string().nullish(),
  description: z.string().nullish(),
  published_date: z.string().nullish(),
  link: z.string().nullish(),
});

const recordSchema = z.looseObject({
  check_id: z.string().min(1),
  check_name: z.string().nullish(),
  check_result: z.looseObject({ result: z.string().nullish() }).nullish(),
  file_path: z.string().nullish(),
  resource: z.string().nullish(),
  // A string such as `HIGH`, or the severity object of older versions with its name.
  severity: z.union([z.string(), z.looseObject({ name: z.string().nullish() })]).nullish(),
  guideline: z.string().nullish(),
  description: z.string().nullish(),
  short_description: z.string().nullish(),
  benchmarks: z.record(z.string(), z.unknown()).nullish(),
  vulnerability_details: vulnerabilitySchema.nullish(),
});
type CheckovRecord = z.infer<typeof recordSchema>;

const MAPPED_FIELDS: ReadonlySet<string> = new Set(['check_id', 'check_name', 'severity', 'guideline', 'description']);

/**
 * Maps one entry of `failed_checks[]` or, with `skipped`, of `skipped_checks[]`. A skipped check
 * is one the user suppressed (a `checkov:skip` comment or `--skip-check`), kept flagged
 * `raw.suppressed` with Checkov's reason in `raw.check_result.suppress_comment`.
 */
export function checkovFinding(value: unknown, path: JsonPath, assetKey: string, checkType: string | undefined, skipped: boolean): FindingRecord {
  const record = validateJson(recordSchema, value, path, 'Checkov');
  const field = formatJsonPath(path);
  const raw: Record<string, unknown> = unmappedFields(record, MAPPED_FIELDS);
  if (checkType) raw.checkType = checkType;
  raw.policy = policyOf(record, checkType);
  if (skipped) raw.suppressed = true;

  const resource = resourceOf(record);
  const finding: FindingRecord = {
    assetKey,
    type: 'misconfiguration',
    vendorId: record.check_id,
    sourceFindingId: [record.check_id, resource ?? ''].join(':'),
    title: record.check_name?.trim() || record.check_id,
    severity: severityOf(record, field),
    raw,
    position: { field },
  };
  if (resource) finding.resource = resource;
  const description = record.description?.trim() || record.short_description?.trim();
  if (description) finding.description = description;
  if (record.guideline) finding.references = [record.guideline];

  const details = record.vulnerability_details;
  if (details?.package_name) addVulnerability(finding, details, [...path, 'vulnerability_details']);
  return finding;
}

/** `file_path:resource`, or the resource alone when it already names the file (Dockerfile checks). */
function resourceOf(record: CheckovRecord): string | undefined {
  const file = record.file_path?.trim();
  const resource = record.resource?.trim();
  if (file && resource) return resource.includes(file) ? resource : `${file}:${resource}`;
  return file || resource || undefined;
}

function severityOf(record: CheckovRecord, field: string): Severity {
  const name = typeof record.severity === 'string' ? record.severity : record.severity?.name;
  return severityFrom(SEVERITIES, name, `${field}.severity`, 'Checkov') ?? DEFAULT_SEVERITY;
}

/** Returns the benchmarks that list the check, e.g. `CIS GCP V1.1`, else the Checkov runner that ran it. */
function policyOf(record: CheckovRecord, checkType: string | undefined): string {
  const benchmarks = Object.keys(record.benchmarks ?? {});
  if (benchmarks.length > 0) return benchmarks.join(', ');
  return checkType ? `Checkov ${checkType} policies` : 'Checkov policies';
}

/** Turns the finding into a vulnerability of the package that an SCA record names. */
function addVulnerability(finding: FindingRecord, details: z.infer<typeof vulnerabilitySchema>, path: JsonPath): void {
  const field = formatJsonPath(path);
  finding.type = 'vulnerability';
  finding.technology = { product: details.package_name ?? '' };
  if (details.package_version) finding.technology.version = details.package_version;
  // The manifest that declares the package, e.g. `/app/package.json`.
  const manifest = finding.raw.file_path;
  if (typeof manifest === 'string' && manifest.trim()) finding.technology.path = manifest.trim();
  delete finding.resource;
  if (details.id) {
    finding.raw.check_id = finding.vendorId;
    finding.vendorId = details.id;
  }

  const cveIds = cveIdsOf([details.id]);
  setCves(finding, cveIds);
  const fixed = details.fixed_version?.trim() || details.lowest_fixed_version?.trim();
  if (fixed && fixed.toLowerCase() !== 'n/a') finding.fixedVersion = fixed;
  if (details.description && !finding.description) finding.description = details.description;
  finding.references = unique([...(details.link ? [details.link] : []), ...(finding.references ?? [])]);

  // A score without a vector has no CVSS version, so it stays in raw only.
  const scores: CvssScores = {};
  if (details.vector) addCvssRating(scores, { vector: details.vector, score: details.cvss }, `${field}.cvss`);
  copyCvss(scores, finding);
  const [cveId] = cveIds;
  if (cveId) {
    const publishedAt = parseIsoDate(details.published_date ?? undefined, 'published_date', { field: `${field}.published_date` });
    finding.vulnerabilities = [{ cveId, ...scores, ...(publishedAt ? { publishedAt } : {}) }];
  }
}
