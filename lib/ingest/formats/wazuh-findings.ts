// Mapping of Wazuh vulnerability records to hosts and findings, for the two layouts:
// - Wazuh 4.7 and older: an item of the server API's `GET /vulnerability/{agent_id}`
//   (`cve`, `name` and `version` of the package, `cvss2_score`, `cvss3_score`, `condition` …);
// - Wazuh 4.8 and later: a hit of the indexer's `wazuh-states-vulnerabilities` index, in ECS
//   fields (`agent`, `host.os`, `package`, `vulnerability`). Wazuh 5 moves `agent` under `wazuh`.

import { z } from 'zod';
import { detachString, parseIsoDate, severityFromCvss, splitAddresses, unique } from '../field-values';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { AssetRecord, FindingRecord, Severity, TechnologyRecord, VulnerabilityFacts } from '../model';
import { addCvssRating, copyCvss, cveIdsOf, highestCvss, severityFrom, setCves, unmappedFields, validateJson, type CvssScores } from './json-fields';

/**
 * Wazuh severities on the product's 1–5 scale. `-`, `None` and `Untriaged` mean that the feed
 * gives no severity, so the CVSS score decides, or informational without one.
 */
const SEVERITIES: Record<string, Severity | 0> = { critical: 5, high: 4, medium: 3, moderate: 3, low: 2, none: 0, untriaged: 0, '-': 0 };

/** A Wazuh agent, which is one host. */
export interface WazuhAgent {
  id?: string;
  name?: string;
  hostname?: string;
  addresses: string[];
  os?: string;
  raw: Record<string, unknown>;
}

/**
 * Returns the host of an agent, matched by its name (which Wazuh sets to the hostname unless the
 * agent was enrolled with another) and addresses. The agent id stays in raw and is not the
 * asset's `agentId`, because each Wazuh server numbers its own agents from 001 and gives an agent
 * that enrolls again a new id.
 */
export function wazuhHost(reportKey: string, agent: WazuhAgent): AssetRecord {
  const name = agent.hostname ?? agent.name ?? agent.addresses[0] ?? reportKey;
  const asset: AssetRecord = { reportKey, name: detachString(name), kind: 'host', raw: agent.raw, ...splitAddresses(agent.addresses) };
  const hostname = agent.hostname ?? agent.name;
  if (hostname && !agent.addresses.includes(hostname)) {
    if (hostname.includes('.') && !/^\d+(\.\d+)*$/.test(hostname)) asset.fqdn = hostname;
    else asset.hostname = hostname;
  }
  if (agent.os) asset.os = agent.os;
  return asset;
}

/** Returns the fixed version that a condition such as `Package less than 2.4.1` names. */
function fixedVersionOf(condition: string | null | undefined): string | undefined {
  const match = /(?:^|\s)less than (?!or equal)(\S+)\s*$/i.exec(condition?.trim() ?? '');
  return match?.[1];
}

function severityOf(value: string | null | undefined, scores: CvssScores, field: string): Severity {
  const named = severityFrom(SEVERITIES, value, field, 'Wazuh');
  if (named) return named;
  const score = highestCvss(scores);
  return score === undefined ? 1 : severityFromCvss(score);
}

function facts(cveId: string | undefined, scores: CvssScores, publishedAt: Date | undefined, references: string[]): VulnerabilityFacts[] {
  if (!cveId) return [];
  const fact: VulnerabilityFacts = { cveId };
  copyCvss(scores, fact);
  if (publishedAt) fact.publishedAt = publishedAt;
  if (references.length > 0) fact.references = references.map((url) => ({ url }));
  return [fact];
}

const legacyItemSchema = z.looseObject({
  cve: z.string().min(1),
  name: z.string().min(1),
  version: z.string().nullish(),
  architecture: z.string().nullish(),
  severity: z.string().nullish(),
  cvss2_score: z.number().nullish(),
  cvss3_score: z.number().nullish(),
  condition: z.string().nullish(),
  title: z.string().nullish(),
  published: z.string().nullish(),
  detection_time: z.string().nullish(),
  external_references: z.array(z.string()).nullish(),
  agent_id: z.string().nullish(),
  agent_name: z.string().nullish(),
  agent_ip: z.string().nullish(),
});

const LEGACY_MAPPED_FIELDS: ReadonlySet<string> = new Set(['cve', 'name', 'version', 'severity', 'title', 'external_references', 'agent_id', 'agent_name', 'agent_ip']);

/** Reads the agent fields that DefectDojo-style exports add to a Wazuh 4.7 item, if any. */
export function legacyAgentOf(value: unknown, path: JsonPath): WazuhAgent | undefined {
  const item = validateJson(legacyItemSchema, value, path, 'Wazuh');
  if (!item.agent_name && !item.agent_ip) return undefined;
  const agent: WazuhAgent = { addresses: item.agent_ip ? [item.agent_ip] : [], raw: { scanner: 'Wazuh' } };
  if (item.agent_id) {
    agent.id = item.agent_id;
    agent.raw.agentId = item.agent_id;
  }
  if (item.agent_name) agent.name = item.agent_name;
  return agent;
}

/** Maps one item of a Wazuh 4.7 `data.affected_items[]`. */
export function legacyWazuhFinding(value: unknown, path: JsonPath, assetKey: string): FindingRecord {
  const item = validateJson(legacyItemSchema, value, path, 'Wazuh');
  const field = formatJsonPath(path);
  const scores: CvssScores = {};
  // Wazuh writes 0 for a CVSS version the feed has no score of.
  if (item.cvss3_score) addCvssRating(scores, { version: '3', score: item.cvss3_score }, `${field}.cvss3_score`);
  if (item.cvss2_score) addCvssRating(scores, { version: '2', score: item.cvss2_score }, `${field}.cvss2_score`);

  const technology: TechnologyRecord = { product: item.name };
  if (item.version) technology.version = item.version;
  const references = unique(item.external_references ?? []);
  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: item.cve,
    sourceFindingId: [item.agent_id ?? item.agent_name ?? '', item.cve, item.name, item.version ?? ''].join(':'),
    title: item.title?.trim() || `${item.cve} affects ${item.name}`,
    severity: severityOf(item.severity, scores, `${field}.severity`),
    technology,
    raw: unmappedFields(item, LEGACY_MAPPED_FIELDS),
    position: { field },
  };
  copyCvss(scores, finding);
  setCves(finding, cveIdsOf([item.cve]));
  if (references.length > 0) finding.references = references;
  const fixedVersion = fixedVersionOf(item.condition);
  if (fixedVersion) {
    finding.fixedVersion = fixedVersion;
    finding.solution = `Upgrade ${item.name} to ${fixedVersion} or later.`;
  }
  const detectedAt = parseIsoDate(item.detection_time ?? undefined, 'detection_time', { field: `${field}.detection_time` });
  if (detectedAt) finding.firstSeen = detectedAt;
  const publishedAt = parseIsoDate(item.published ?? undefined, 'published', { field: `${field}.published` });
  const vulnerabilities = facts(finding.cveId, scores, publishedAt, references);
  if (vulnerabilities.length > 0) finding.vulnerabilities = vulnerabilities;
  return finding;
}

const agentSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  ip: z.union([z.string(), z.array(z.string())]).nullish(),
  host: z
    .looseObject({
      hostname: z.string().nullish(),
      ip: z.union([z.string(), z.array(z.string())]).nullish(),
      os: z.looseObject({ full: z.string().nullish(), name: z.string().nullish(), version: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

const hitSchema = z.looseObject({
  _id: z.string().nullish(),
  _source: z.looseObject({
    agent: agentSchema.nullish(),
    host: z.looseObject({ os: z.looseObject({ full: z.string().nullish(), name: z.string().nullish(), version: z.string().nullish() }).nullish() }).nullish(),
    package: z.looseObject({ name: z.string().min(1), version: z.string().nullish(), path: z.string().nullish() }),
    vulnerability: z.looseObject({
      id: z.string().min(1),
      severity: z.string().nullish(),
      description: z.string().nullish(),
      reference: z.string().nullish(),
      detected_at: z.string().nullish(),
      published_at: z.string().nullish(),
      score: z.looseObject({ base: z.number().nullish(), version: z.string().nullish() }).nullish(),
      scanner: z.looseObject({ reference: z.string().nullish(), condition: z.string().nullish() }).nullish(),
    }),
    wazuh: z.looseObject({ agent: agentSchema.nullish() }).nullish(),
  }),
});
type WazuhHit = z.infer<typeof hitSchema>;

/** Returns the agent of an indexer hit, or undefined when it names none. */
export function hitAgentOf(value: unknown, path: JsonPath): WazuhAgent | undefined {
  const hit = validateJson(hitSchema, value, path, 'Wazuh');
  const source = hit._source;
  const agent = source.agent ?? source.wazuh?.agent;
  if (!agent || (!agent.id && !agent.name && !agent.host?.hostname)) return undefined;

  const addresses = [agent.ip, agent.host?.ip].flatMap((ip) => (ip === null || ip === undefined ? [] : Array.isArray(ip) ? ip : [ip]));
  const result: WazuhAgent = { addresses, raw: { scanner: 'Wazuh', agent } };
  if (agent.id) result.id = agent.id;
  if (agent.name) result.name = agent.name;
  if (agent.host?.hostname) result.hostname = agent.host.hostname;
  const os = source.host?.os ?? agent.host?.os;
  const osName = os?.full || [os?.name, os?.version].filter(Boolean).join(' ');
  if (osName) result.os = osName;
  if (source.host) result.raw.host = source.host;
  return result;
}

/** Returns the report key of an agent's host. */
export function agentKey(agent: WazuhAgent): string {
  return `agent:${agent.hostname ?? agent.name ?? agent.addresses.join(',')}`;
}

const MAPPED_VULNERABILITY_FIELDS: ReadonlySet<string> = new Set(['id', 'severity', 'description', 'reference']);

/** Maps one hit of the indexer's `hits.hits[]`. */
export function indexerWazuhFinding(value: unknown, path: JsonPath, assetKey: string): FindingRecord {
  const hit = validateJson(hitSchema, value, path, 'Wazuh');
  const field = formatJsonPath(path);
  const { package: pkg, vulnerability } = hit._source;
  const scores: CvssScores = {};
  const score = vulnerability.score;
  if (score?.base !== undefined && score.base !== null) addCvssRating(scores, { version: score.version, score: score.base }, `${field}._source.vulnerability.score`);

  const technology: TechnologyRecord = { product: pkg.name };
  if (pkg.version) technology.version = pkg.version;
  if (pkg.path) technology.path = pkg.path;
  const references = unique([...(vulnerability.reference ?? '').split(/,\s*/), vulnerability.scanner?.reference ?? ''].map((url) => url.trim()).filter((url) => /^https?:\/\//i.test(url)));

  const finding: FindingRecord = {
    assetKey,
    type: 'vulnerability',
    vendorId: vulnerability.id,
    title: `${vulnerability.id} affects ${pkg.name}`,
    severity: severityOf(vulnerability.severity, scores, `${field}._source.vulnerability.severity`),
    technology,
    raw: rawOf(hit),
    position: { field },
  };
  if (hit._id) finding.sourceFindingId = hit._id;
  copyCvss(scores, finding);
  setCves(finding, cveIdsOf([vulnerability.id]));
  if (vulnerability.description) finding.description = vulnerability.description;
  if (references.length > 0) finding.references = references;
  const fixedVersion = fixedVersionOf(vulnerability.scanner?.condition);
  if (fixedVersion) {
    finding.fixedVersion = fixedVersion;
    finding.solution = `Upgrade ${pkg.name} to ${fixedVersion} or later.`;
  }
  const detectedAt = parseIsoDate(vulnerability.detected_at ?? undefined, 'detected_at', { field: `${field}._source.vulnerability.detected_at` });
  if (detectedAt) finding.firstSeen = detectedAt;
  const publishedAt = parseIsoDate(vulnerability.published_at ?? undefined, 'published_at', { field: `${field}._source.vulnerability.published_at` });
  const vulnerabilities = facts(finding.cveId, scores, publishedAt, references);
  if (vulnerabilities.length > 0) finding.vulnerabilities = vulnerabilities;
  return finding;
}

/** Keeps the hit's fields that the finding and the host do not take. */
function rawOf(hit: WazuhHit): Record<string, unknown> {
  const { _source: source, ...meta } = hit;
  const raw: Record<string, unknown> = { ...meta };
  raw.vulnerability = unmappedFields(source.vulnerability, MAPPED_VULNERABILITY_FIELDS);
  raw.package = unmappedFields(source.package, new Set(['name', 'version', 'path']));
  const rest = unmappedFields(source, new Set(['agent', 'host', 'package', 'vulnerability']));
  if (rest.wazuh && typeof rest.wazuh === 'object') rest.wazuh = unmappedFields(rest.wazuh as Record<string, unknown>, new Set(['agent']));
  Object.assign(raw, rest);
  return raw;
}
