// Mapping of one finding of DefectDojo's "Generic Findings Import" JSON to records. A finding
// lists its endpoints (URLs, `host[:port]` strings or `{host, port, protocol, path}` objects);
// each endpoint host is a host asset, and the finding is recorded once per distinct host and
// port. A finding without endpoints belongs to the report's application asset.

import { z } from 'zod';
import { detachString, normalizeCveId, parseIsoDate, quote, splitAddresses, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { AssetRecord, FindingRecord, KevFacts, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { isIpAddress, parseEndpoint } from './generic-csv-values';
import { addCvssRating, cweIdsOf, severityFrom, unmappedFields, validateJson, type CvssScores } from './json-fields';

/** DefectDojo's severity names, lower-case. */
const SEVERITIES: Record<string, Severity> = { info: 1, informational: 1, low: 2, medium: 3, high: 4, critical: 5 };

const flag = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])]).nullish();
const number = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/)]).nullish();

const endpointObjectSchema = z.looseObject({
  host: z.string().min(1),
  port: z.union([z.number().int(), z.string()]).nullish(),
  protocol: z.string().nullish(),
  path: z.string().nullish(),
});

const findingSchema = z.looseObject({
  title: z.string().trim().min(1),
  severity: z.string(),
  description: z.string(),
  mitigation: z.string().nullish(),
  references: z.string().nullish(),
  cve: z.string().nullish(),
  vulnerability_ids: z.array(z.union([z.string(), z.looseObject({ vulnerability_id: z.string() })])).nullish(),
  cwe: z.union([z.number().int(), z.string()]).nullish(),
  cwes: z.array(z.union([z.number().int(), z.string()])).nullish(),
  cvssv3: z.string().nullish(),
  cvssv3_score: number,
  cvssv4: z.string().nullish(),
  cvssv4_score: number,
  epss_score: number,
  epss_percentile: number,
  known_exploited: flag,
  ransomware_used: flag,
  kev_date: z.string().nullish(),
  unique_id_from_tool: z.union([z.string(), z.number()]).nullish(),
  vuln_id_from_tool: z.union([z.string(), z.number()]).nullish(),
  component_name: z.string().nullish(),
  component_version: z.string().nullish(),
  file_path: z.string().nullish(),
  fix_version: z.string().nullish(),
  date: z.string().nullish(),
  false_p: flag,
  out_of_scope: flag,
  risk_accepted: flag,
  endpoints: z.array(z.union([z.string(), endpointObjectSchema])).nullish(),
});
type GenericFinding = z.infer<typeof findingSchema>;

/** Fields read into the model; all others are kept in the finding's raw fields. */
const MAPPED_FIELDS: ReadonlySet<string> = new Set([
  'title',
  'severity',
  'description',
  'mitigation',
  'cve',
  'vulnerability_ids',
  'cwe',
  'cwes',
  'cvssv3',
  'cvssv3_score',
  'cvssv4',
  'cvssv4_score',
  'unique_id_from_tool',
  'vuln_id_from_tool',
  'component_name',
  'component_version',
  'fix_version',
  'endpoints',
]);

/** Records of one finding: the host assets of its endpoints (none means the report's asset) and the findings. */
export interface GenericFindingRecords {
  hosts: AssetRecord[];
  findings: FindingRecord[];
}

/**
 * Maps one finding. `reportAssetKey` is the asset of findings without endpoints. Throws
 * ReportError naming the JSON path of a missing or invalid field.
 */
export function genericJsonFinding(value: unknown, path: JsonPath, reportAssetKey: string): GenericFindingRecords {
  const item = validateJson(findingSchema, value, path, 'Generic Findings Import');
  const field = (name: string) => formatJsonPath([...path, name]);

  const severity = severityFrom(SEVERITIES, item.severity, field('severity'), 'Generic Findings Import');
  if (severity === undefined) throw new ReportError('invalid_field', `${field('severity')} is blank; expected Info, Low, Medium, High or Critical`, { field: field('severity') });

  // TODO: `is_mitigated` and `mitigated` stay in raw only, so a finding the report marks as
  // mitigated is imported open; the writer has no way yet to record a fixed observation.
  const raw = unmappedFields(item, MAPPED_FIELDS);
  // DefectDojo's false positives, out-of-scope and accepted findings are kept but flagged.
  if (isTrue(item.false_p)) raw.falsePositive = true;
  if (isTrue(item.false_p) || isTrue(item.out_of_scope) || isTrue(item.risk_accepted)) raw.suppressed = true;

  const base: Omit<FindingRecord, 'assetKey'> = { type: 'vulnerability', title: item.title, description: item.description, severity, raw };
  if (item.mitigation) base.solution = item.mitigation;
  if (item.vuln_id_from_tool !== undefined && item.vuln_id_from_tool !== null && String(item.vuln_id_from_tool).trim()) base.vendorId = String(item.vuln_id_from_tool).trim();
  if (item.unique_id_from_tool !== undefined && item.unique_id_from_tool !== null && String(item.unique_id_from_tool).trim()) base.sourceFindingId = String(item.unique_id_from_tool).trim();
  if (item.fix_version) base.fixedVersion = item.fix_version;

  const scores: CvssScores = {};
  addCvssRating(scores, { vector: item.cvssv4, score: toNumber(item.cvssv4_score), version: item.cvssv4 || item.cvssv4_score !== undefined ? '4' : undefined }, field('cvssv4'));
  addCvssRating(scores, { vector: item.cvssv3, score: toNumber(item.cvssv3_score), version: item.cvssv3 || item.cvssv3_score !== undefined ? '3' : undefined }, field('cvssv3'));
  Object.assign(base, scores);

  mapIds(base, item, scores, field);
  const technology = technologyOf(item);
  if (technology) base.technology = technology;
  const references = unique((item.references ?? '').split(/\s+/).filter((token) => /^https?:\/\//i.test(token)));
  if (references.length > 0) base.references = references;

  const seen = parseIsoDate(item.date ?? undefined, field('date'), { field: field('date') });
  if (seen) {
    base.firstSeen = seen;
    base.lastSeen = seen;
  }

  const endpoints = item.endpoints ?? [];
  if (endpoints.length === 0) return { hosts: [], findings: [{ ...base, assetKey: reportAssetKey, position: { field: formatJsonPath(path) } }] };

  const hosts = new Map<string, AssetRecord>();
  const findings = new Map<string, FindingRecord>();
  endpoints.forEach((endpoint, index) => {
    const position = { field: formatJsonPath([...path, 'endpoints', index]) };
    const { host, port, protocol } = readEndpoint(endpoint, position.field);
    if (!hosts.has(host)) hosts.set(host, hostAsset(host));
    const key = `${host}|${port ?? ''}`;
    if (findings.has(key)) return;
    const finding: FindingRecord = { ...base, assetKey: host, raw: { ...raw, endpoint }, position };
    if (port !== undefined) finding.port = port;
    if (protocol) finding.protocol = protocol;
    findings.set(key, finding);
  });
  return { hosts: [...hosts.values()], findings: [...findings.values()] };
}

/** Sets CVE and CWE ids, and the facts of the primary CVE (scores, EPSS, KEV) for the vulnerability catalog. */
function mapIds(finding: Omit<FindingRecord, 'assetKey'>, item: GenericFinding, scores: CvssScores, field: (name: string) => string): void {
  const listed = (item.vulnerability_ids ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.vulnerability_id));
  const ids = [item.cve ?? undefined, ...listed].filter((id): id is string => typeof id === 'string' && id.trim() !== '');
  const cveIds = unique(ids.map((id) => normalizeCveId(id)).filter((id): id is string => id !== undefined));
  const others = ids.filter((id) => !normalizeCveId(id));
  if (others.length > 0) finding.raw.vulnerabilityIds = others;

  const cweIds = cweIdsOf([item.cwe, ...(item.cwes ?? [])].filter((value) => value !== 0 && value !== '0'));
  if (cweIds.length > 0) finding.cweIds = cweIds;

  const [primary] = cveIds;
  if (!primary) return;
  finding.cveId = primary;
  finding.cveIds = cveIds;

  const facts: VulnerabilityFacts = { cveId: primary, ...scores, ...(cweIds.length > 0 ? { cweIds } : {}) };
  const epss = toNumber(item.epss_score);
  const percentile = toNumber(item.epss_percentile);
  if (epss !== undefined) facts.epssScore = probability(epss, field('epss_score'));
  if (percentile !== undefined) facts.epssPercentile = probability(percentile, field('epss_percentile'));
  if (isTrue(item.known_exploited)) {
    const kev: KevFacts = {};
    const added = parseIsoDate(item.kev_date ?? undefined, field('kev_date'), { field: field('kev_date') });
    if (added) kev.dateAdded = added;
    if (item.ransomware_used !== undefined && item.ransomware_used !== null) kev.ransomwareUse = isTrue(item.ransomware_used);
    facts.kev = kev;
  }
  if (Object.keys(facts).length > 1) finding.vulnerabilities = [facts];
}

function technologyOf(item: GenericFinding): TechnologyRecord | undefined {
  const product = item.component_name?.trim();
  if (!product) return undefined;
  const technology: TechnologyRecord = { product };
  if (item.component_version?.trim()) technology.version = item.component_version.trim();
  if (item.file_path?.trim()) technology.path = item.file_path.trim();
  return technology;
}

function readEndpoint(endpoint: string | z.infer<typeof endpointObjectSchema>, field: string): { host: string; port?: number; protocol?: string } {
  if (typeof endpoint === 'string') {
    const parsed = parseEndpoint(endpoint, field, { field });
    if (!parsed) throw new ReportError('invalid_field', `${field} is blank; expected a URL or host name`, { field });
    return { host: parsed.host, ...(parsed.port === undefined ? {} : { port: parsed.port, protocol: 'tcp' }) };
  }
  const host = endpoint.host.trim().toLowerCase();
  const scheme = endpoint.protocol?.trim().toLowerCase();
  const fromScheme = scheme ? parseEndpoint(`${scheme}://${host}`, field, { field })?.port : undefined;
  const portValue = endpoint.port === undefined || endpoint.port === null || endpoint.port === '' ? fromScheme : Number(endpoint.port);
  if (portValue !== undefined && (!Number.isInteger(portValue) || portValue < 0 || portValue > 65535)) {
    throw new ReportError('invalid_field', `${field}.port is not a port number (0–65535): ${quote(String(endpoint.port))}`, { field: `${field}.port` });
  }
  return { host, ...(portValue === undefined ? {} : { port: portValue, protocol: 'tcp' }) };
}

function hostAsset(host: string): AssetRecord {
  const key = detachString(host);
  const asset: AssetRecord = { reportKey: key, name: key, kind: 'host' };
  if (isIpAddress(host)) Object.assign(asset, splitAddresses([host]));
  else if (host.includes('.')) asset.fqdn = key;
  else asset.hostname = key;
  return asset;
}

function isTrue(value: boolean | string | null | undefined): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function toNumber(value: number | string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? value : Number(value);
}

function probability(value: number, field: string): number {
  if (value < 0 || value > 1) throw new ReportError('invalid_field', `${field} must be a probability between 0 and 1, got ${value}`, { field });
  return value;
}
