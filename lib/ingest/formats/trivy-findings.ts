// Mapping of one Trivy vulnerability, misconfiguration or secret object to a finding. The zod
// schemas check only the fields the mapping reads; every other field is kept in `raw`.

import { z } from 'zod';
import { normalizeCveId, normalizeCweId, parseCvssScore, parseIsoDate, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { copyCvssScores } from './cvss-facts';

/** Trivy severities on the product's 1–5 scale. */
const SEVERITIES: Record<string, Severity> = { UNKNOWN: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

const cvssEntry = z.looseObject({
  V2Vector: z.string().nullish(),
  V2Score: z.number().nullish(),
  V3Vector: z.string().nullish(),
  V3Score: z.number().nullish(),
  V40Vector: z.string().nullish(),
  V40Score: z.number().nullish(),
});

const vulnerabilitySchema = z.looseObject({
  VulnerabilityID: z.string().min(1),
  PkgID: z.string().nullish(),
  PkgName: z.string().nullish(),
  PkgPath: z.string().nullish(),
  PkgIdentifier: z.looseObject({ PURL: z.string().nullish(), CPE: z.string().nullish() }).nullish(),
  InstalledVersion: z.string().nullish(),
  FixedVersion: z.string().nullish(),
  SeveritySource: z.string().nullish(),
  Title: z.string().nullish(),
  Description: z.string().nullish(),
  Severity: z.string().nullish(),
  CweIDs: z.array(z.string()).nullish(),
  CVSS: z.record(z.string(), cvssEntry).nullish(),
  References: z.array(z.string()).nullish(),
  PublishedDate: z.string().nullish(),
});

const misconfigurationSchema = z.looseObject({
  ID: z.string().min(1),
  AVDID: z.string().nullish(),
  Title: z.string().nullish(),
  Description: z.string().nullish(),
  Message: z.string().nullish(),
  Resolution: z.string().nullish(),
  Severity: z.string().nullish(),
  Status: z.string().nullish(),
  References: z.array(z.string()).nullish(),
  CauseMetadata: z.looseObject({ Resource: z.string().nullish(), StartLine: z.number().nullish() }).nullish(),
});

const secretSchema = z.looseObject({
  RuleID: z.string().min(1),
  Category: z.string().nullish(),
  Title: z.string().nullish(),
  Severity: z.string().nullish(),
  StartLine: z.number().nullish(),
  EndLine: z.number().nullish(),
});

/** The Trivy result (one scanned target) that a finding comes from. */
export interface TrivyResultContext {
  target?: string;
  resultClass?: string;
  resultType?: string;
  /** Workload fields of a Kubernetes report, copied into each finding's `raw`. */
  workload?: Record<string, string>;
}

function validate<T>(schema: z.ZodType<T>, value: unknown, path: JsonPath): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const issuePath = (issue?.path ?? []).filter((segment): segment is string | number => typeof segment !== 'symbol');
  const field = formatJsonPath([...path, ...issuePath]);
  throw new ReportError('invalid_field', `invalid Trivy field ${field}: ${issue?.message ?? 'unexpected value'}`, { field });
}

function severityOf(value: string | null | undefined, path: JsonPath): Severity {
  if (value === undefined || value === null || value === '') return 1;
  const severity = SEVERITIES[value.toUpperCase()];
  if (!severity) {
    const field = formatJsonPath([...path, 'Severity']);
    throw new ReportError('invalid_field', `unknown Trivy severity ${JSON.stringify(value)}; expected UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL`, { field });
  }
  return severity;
}

/** Returns the fields of `value` not in `mapped`, plus the result context, for a finding's `raw`. */
function rawFields(value: Record<string, unknown>, mapped: ReadonlySet<string>, context: TrivyResultContext): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  if (context.target !== undefined) raw.target = context.target;
  if (context.resultClass !== undefined) raw.class = context.resultClass;
  if (context.resultType !== undefined) raw.type = context.resultType;
  if (context.workload) Object.assign(raw, context.workload);
  for (const [key, field] of Object.entries(value)) {
    if (!mapped.has(key)) raw[key] = field;
  }
  return raw;
}

const MAPPED_VULNERABILITY_FIELDS = new Set([
  'VulnerabilityID',
  'PkgName',
  'PkgPath',
  'InstalledVersion',
  'FixedVersion',
  'Title',
  'Description',
  'Severity',
  'CweIDs',
  'References',
  'PublishedDate',
]);

export function vulnerabilityFinding(value: unknown, path: JsonPath, assetKey: string, context: TrivyResultContext): FindingRecord {
  const item = validate(vulnerabilitySchema, value, path);
  const field = formatJsonPath(path);
  const id = item.VulnerabilityID;
  const cveId = normalizeCveId(id);
  // CVSS stays in raw too, because it contains every vendor's scores and the finding keeps one.
  const raw = rawFields(item, MAPPED_VULNERABILITY_FIELDS, context);

  const packageKey = item.PkgID ?? `${item.PkgName ?? ''}@${item.InstalledVersion ?? ''}`;
  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: id,
    sourceFindingId: `${id}:${packageKey}:${item.PkgPath ?? context.target ?? ''}`,
    title: item.Title || id,
    severity: severityOf(item.Severity, path),
    raw,
    position: { field },
  };
  if (cveId) {
    finding.cveId = cveId;
    finding.cveIds = [cveId];
  }
  if (item.Description) finding.description = item.Description;
  if (item.FixedVersion) finding.fixedVersion = item.FixedVersion;
  const technology = technologyOf(item);
  if (technology) finding.technology = technology;

  const cweIds = unique((item.CweIDs ?? []).map(normalizeCweId).filter((cwe): cwe is string => cwe !== undefined));
  if (cweIds.length > 0) finding.cweIds = cweIds;
  if (item.References && item.References.length > 0) finding.references = item.References;
  addCvss(finding, item, path);

  if (cveId) {
    const facts: VulnerabilityFacts = { cveId };
    copyCvssScores(finding, facts);
    if (finding.cweIds) facts.cweIds = finding.cweIds;
    const publishedAt = parseIsoDate(item.PublishedDate ?? undefined, 'PublishedDate', { field: formatJsonPath([...path, 'PublishedDate']) });
    if (publishedAt) facts.publishedAt = publishedAt;
    if (finding.references) facts.references = finding.references.map((url) => ({ url }));
    finding.vulnerabilities = [facts];
  }
  return finding;
}

function technologyOf(item: z.infer<typeof vulnerabilitySchema>): TechnologyRecord | undefined {
  if (!item.PkgName) return undefined;
  const technology: TechnologyRecord = { product: item.PkgName };
  if (item.InstalledVersion) technology.version = item.InstalledVersion;
  if (item.PkgPath) technology.path = item.PkgPath;
  const cpe = item.PkgIdentifier?.CPE;
  if (cpe) technology.cpe = cpe;
  return technology;
}

/**
 * Copies CVSS scores and vectors, preferring the NVD entry because it is the same for every
 * package ecosystem, and else the entry of the source Trivy took the severity from.
 */
function addCvss(finding: FindingRecord, item: z.infer<typeof vulnerabilitySchema>, path: JsonPath): void {
  const entries = item.CVSS ?? {};
  const sourceName = entries.nvd ? 'nvd' : item.SeveritySource ?? undefined;
  const entry = sourceName ? entries[sourceName] : undefined;
  if (!entry) return;

  const at = (name: string) => ({ field: formatJsonPath([...path, 'CVSS', sourceName ?? '', name]) });
  const v2 = parseCvssScore(entry.V2Score ?? undefined, 'V2Score', at('V2Score'));
  if (v2 !== undefined) finding.cvss2BaseScore = v2;
  if (entry.V2Vector) finding.cvss2Vector = entry.V2Vector;
  const v3 = parseCvssScore(entry.V3Score ?? undefined, 'V3Score', at('V3Score'));
  if (v3 !== undefined) finding.cvss3BaseScore = v3;
  if (entry.V3Vector) finding.cvss3Vector = entry.V3Vector;
  const v4 = parseCvssScore(entry.V40Score ?? undefined, 'V40Score', at('V40Score'));
  if (v4 !== undefined) finding.cvss4BaseScore = v4;
  if (entry.V40Vector) finding.cvss4Vector = entry.V40Vector;
}

const MAPPED_MISCONFIGURATION_FIELDS = new Set(['ID', 'Title', 'Description', 'Resolution', 'Severity', 'References']);

/**
 * Maps one entry of `Misconfigurations[]`. Returns undefined for a check that passed or was
 * excepted (Trivy lists those with `--include-non-failures`), because only failures are weaknesses.
 */
export function misconfigurationFinding(value: unknown, path: JsonPath, assetKey: string, context: TrivyResultContext): FindingRecord | undefined {
  const item = validate(misconfigurationSchema, value, path);
  const status = item.Status?.toUpperCase();
  if (status === 'PASS' || status === 'EXCEPTION') return undefined;

  const cause = item.CauseMetadata;
  const location = cause?.Resource ?? (cause?.StartLine !== undefined && cause?.StartLine !== null ? String(cause.StartLine) : '');
  const finding: FindingRecord = {
    assetKey,
    type: 'misconfiguration',
    vendorId: item.ID,
    sourceFindingId: `${item.ID}:${context.target ?? ''}:${location}`,
    resource: [context.target, cause?.Resource].filter((part) => part).join(' ') || undefined,
    title: item.Title || item.ID,
    severity: severityOf(item.Severity, path),
    raw: rawFields(item, MAPPED_MISCONFIGURATION_FIELDS, context),
    position: { field: formatJsonPath(path) },
  };
  if (item.Description) finding.description = item.Description;
  if (item.Resolution) finding.solution = item.Resolution;
  if (item.References && item.References.length > 0) finding.references = item.References;
  return finding;
}

const MAPPED_SECRET_FIELDS = new Set(['RuleID', 'Title', 'Severity']);

/**
 * Maps one entry of `Secrets[]`. Trivy masks the secret in `Match` and `Code` with asterisks, so
 * these fields are kept in `raw` as evidence without storing the secret itself.
 */
export function secretFinding(value: unknown, path: JsonPath, assetKey: string, context: TrivyResultContext): FindingRecord {
  const item = validate(secretSchema, value, path);
  const line = item.StartLine ?? undefined;
  return {
    assetKey,
    type: 'misconfiguration',
    vendorId: item.RuleID,
    sourceFindingId: `${item.RuleID}:${context.target ?? ''}:${line ?? ''}`,
    resource: context.target,
    title: item.Title || item.RuleID,
    severity: severityOf(item.Severity, path),
    raw: rawFields(item, MAPPED_SECRET_FIELDS, context),
    position: { field: formatJsonPath(path) },
  };
}
