// Mapping of one SARIF 2.1.0 result, with its rule and artifact already looked up, to a finding.
// A result whose rule or own fields name a CVE (dependency scanners such as dependency-check or
// Grype write SARIF this way) is a vulnerability in the file it points at. Every other result,
// a SAST or code-quality rule, is a misconfiguration whose resource is the file and line.

import path from 'node:path';
import { z } from 'zod';
import { formatJsonPath, type JsonPath } from '../json-stream';
import type { FindingRecord, TechnologyRecord, VulnerabilityFacts } from '../model';
import { copyCvss, cveIdsOf, cweIdsOf, setCves, unmappedFields, validateJson } from './json-fields';
import { cvesIn, cweOfTag, messageText, type SarifArtifact, type SarifRule } from './sarif-rules';
import { propertyCvss, sarifSeverity } from './sarif-severity';
import { percentDecode } from './percent-decode';

const artifactLocationSchema = z.looseObject({
  uri: z.string().nullish(),
  uriBaseId: z.string().nullish(),
  index: z.number().int().nullish(),
});

const locationSchema = z.looseObject({
  physicalLocation: z
    .looseObject({
      artifactLocation: artifactLocationSchema.nullish(),
      region: z
        .looseObject({
          startLine: z.number().int().nullish(),
          startColumn: z.number().int().nullish(),
          endLine: z.number().int().nullish(),
          endColumn: z.number().int().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  logicalLocations: z.array(z.looseObject({ name: z.string().nullish(), fullyQualifiedName: z.string().nullish() })).nullish(),
});

const resultSchema = z.looseObject({
  ruleId: z.string().nullish(),
  rule: z.looseObject({ id: z.string().nullish() }).nullish(),
  kind: z.string().nullish(),
  level: z.string().nullish(),
  message: z
    .looseObject({ text: z.string().nullish(), markdown: z.string().nullish(), id: z.string().nullish(), arguments: z.array(z.string()).nullish() })
    .nullish(),
  locations: z.array(locationSchema).nullish(),
  guid: z.string().nullish(),
  partialFingerprints: z.record(z.string(), z.string()).nullish(),
  fingerprints: z.record(z.string(), z.string()).nullish(),
  suppressions: z.array(z.looseObject({ kind: z.string().nullish(), status: z.string().nullish() })).nullish(),
  taxa: z.array(z.looseObject({ id: z.string().nullish(), toolComponent: z.looseObject({ name: z.string().nullish() }).nullish() })).nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});
type SarifResult = z.infer<typeof resultSchema>;
type SarifLocation = z.infer<typeof locationSchema>;

const MAPPED_RESULT_FIELDS = new Set(['ruleId', 'ruleIndex', 'rule', 'level', 'message', 'locations']);

/** Maximum length of a title taken from a result's message when its rule has no short description. */
const MAX_MESSAGE_TITLE = 200;

export interface SarifRunContext {
  assetKey: string;
  toolName: string;
}

/** A result's rule reference: `rule.index` or `ruleIndex`, the tool component and the rule id. */
export interface RuleReference {
  index?: number;
  /** Index into `tool.extensions`, when the rule belongs to an extension rather than the driver. */
  extension?: number;
  id?: string;
}

/** Reads the fields that locate a result's rule and artifact, without checking the rest of the result. */
export function resultReferences(value: unknown): { rule: RuleReference; artifactIndex?: number; kind?: string; baselineState?: string } {
  const result = isObject(value) ? value : {};
  const rule = isObject(result.rule) ? result.rule : {};
  const component = isObject(rule.toolComponent) ? rule.toolComponent : {};
  const reference: RuleReference = {};
  const index = integer(rule.index) ?? integer(result.ruleIndex);
  if (index !== undefined) reference.index = index;
  const extension = integer(component.index);
  if (extension !== undefined) reference.extension = extension;
  if (typeof result.ruleId === 'string') reference.id = result.ruleId;
  else if (typeof rule.id === 'string') reference.id = rule.id;

  const locations = Array.isArray(result.locations) ? result.locations : [];
  const first: unknown = locations[0];
  const physical = isObject(first) && isObject(first.physicalLocation) ? first.physicalLocation : {};
  const artifactLocation = isObject(physical.artifactLocation) ? physical.artifactLocation : {};
  const references: { rule: RuleReference; artifactIndex?: number; kind?: string; baselineState?: string } = { rule: reference };
  const artifactIndex = integer(artifactLocation.index);
  if (artifactIndex !== undefined) references.artifactIndex = artifactIndex;
  if (typeof result.kind === 'string') references.kind = result.kind;
  if (typeof result.baselineState === 'string') references.baselineState = result.baselineState;
  return references;
}

/**
 * True when SARIF counts the result as suppressed: it has suppressions and none of them is
 * `underReview` or `rejected` (a suppression without a status is accepted).
 */
export function isSuppressed(result: { suppressions?: { status?: string | null }[] | null }): boolean {
  const suppressions = result.suppressions ?? [];
  return suppressions.length > 0 && suppressions.every((suppression) => !suppression.status || suppression.status === 'accepted');
}

/** Maps one result. `rule` and `artifact` are the rule and artifact it refers to, when the run has them. */
export function sarifFinding(value: unknown, resultPath: JsonPath, rule: SarifRule | undefined, artifact: SarifArtifact | undefined, context: SarifRunContext): FindingRecord {
  const result = validateJson(resultSchema, value, resultPath, 'SARIF');
  const field = formatJsonPath(resultPath);
  const ruleId = result.ruleId ?? result.rule?.id ?? rule?.id;
  const properties = result.properties ?? {};
  const location = locationOf(result.locations?.[0], artifact);

  const scores = propertyCvss(properties, field);
  const level = result.level ?? rule?.defaultLevel ?? (!result.kind || result.kind === 'fail' ? 'warning' : 'none');
  const { severity, basis } = sarifSeverity({
    level,
    resultSecuritySeverity: properties['security-severity'],
    ruleSecuritySeverity: rule?.securitySeverity,
    resultSeverityName: properties.severity,
    ruleSeverityName: rule?.severityName,
    scores,
    field,
  });

  const cveIds = cveIdsOf([...(rule?.cveIds ?? []), ...cvesIn(ruleId), ...stringsOf(properties.cve), ...stringsOf(properties.cves)]);
  const cweIds = cweIdsOf([
    ...(rule?.cweIds ?? []),
    ...(result.taxa ?? []).filter((taxon) => taxon.toolComponent?.name?.toUpperCase() === 'CWE').map((taxon) => taxon.id),
    ...stringsOf(properties.tags).map(cweOfTag),
    ...stringsOf(properties.cwe),
  ]);
  const message = resultMessage(result, rule);

  const raw: Record<string, unknown> = {
    ...unmappedFields(result, MAPPED_RESULT_FIELDS),
    tool: context.toolName,
    level,
    severityBasis: basis,
  };
  if (location.raw) raw.location = location.raw;
  if ((result.locations?.length ?? 0) > 1) raw.otherLocations = result.locations?.slice(1);
  if (rule) raw.rule = ruleRaw(rule);
  if (isSuppressed(result)) {
    raw.suppressed = true;
    raw.falsePositive = true;
  }

  const finding: FindingRecord = {
    assetKey: context.assetKey,
    type: cveIds.length > 0 ? 'vulnerability' : 'misconfiguration',
    title: titleOf(rule, ruleId, message),
    severity,
    raw,
    position: { field },
  };
  if (ruleId) finding.vendorId = ruleId;
  finding.sourceFindingId = sourceFindingId(result, ruleId, location.resource);
  const description = descriptionOf(message, rule);
  if (description) finding.description = description;
  const solution = rule?.help && rule.help !== rule.fullDescription && rule.help !== rule.shortDescription ? rule.help : undefined;
  if (solution) finding.solution = solution;
  if (rule?.helpUri) finding.references = [rule.helpUri];
  if (cweIds.length > 0) finding.cweIds = cweIds;
  copyCvss(scores, finding);

  if (finding.type === 'vulnerability') {
    setCves(finding, cveIds);
    const technology = technologyOf(artifact, location.path);
    if (technology) finding.technology = technology;
    finding.vulnerabilities = cveIds.map((cveId) => cveFacts(cveId, cveIds.length === 1 ? finding : undefined));
  } else if (location.resource) {
    finding.resource = location.resource;
  }
  return finding;
}

interface ResolvedLocation {
  /** The file path, with a `file:` URI turned into a path. */
  path?: string;
  /** `path:line`, or the logical location when there is no file. */
  resource?: string;
  raw?: Record<string, unknown>;
}

function locationOf(location: SarifLocation | undefined, artifact: SarifArtifact | undefined): ResolvedLocation {
  if (!location) return {};
  const physical = location.physicalLocation;
  const uri = physical?.artifactLocation?.uri ?? artifact?.uri ?? undefined;
  const region = physical?.region;
  const logical = location.logicalLocations?.find((entry) => entry.fullyQualifiedName || entry.name);
  const logicalName = logical?.fullyQualifiedName ?? logical?.name ?? undefined;

  const raw: Record<string, unknown> = {};
  if (uri) raw.uri = uri;
  if (physical?.artifactLocation?.uriBaseId) raw.uriBaseId = physical.artifactLocation.uriBaseId;
  if (region) Object.assign(raw, unmappedFields(region, new Set()));
  if (logicalName) raw.logicalLocation = logicalName;

  const filePath = uri ? uriPath(uri) : undefined;
  const line = region?.startLine ?? undefined;
  const resolved: ResolvedLocation = { raw };
  if (filePath) {
    resolved.path = filePath;
    resolved.resource = line !== undefined ? `${filePath}:${line}` : filePath;
  } else if (logicalName) {
    resolved.resource = logicalName;
  }
  return resolved;
}

/** Turns a `file:` URI into a path, e.g. `file:////src/app.js` into `/src/app.js`; other URIs are decoded as they are. */
export function uriPath(uri: string): string {
  let text = uri.trim();
  if (/^file:/i.test(text)) {
    text = text.replace(/^file:\/*/i, '/');
    // A Windows drive path keeps no leading slash: file:///C:/src becomes C:/src.
    if (/^\/[A-Za-z]:\//.test(text)) text = text.slice(1);
  }
  return percentDecode(text);
}

/**
 * Returns the message text. A result may give only a message id and arguments, to be filled
 * into the rule's `messageStrings` template (`{0}` is the first argument).
 */
function resultMessage(result: SarifResult, rule: SarifRule | undefined): string | undefined {
  const message = result.message;
  const template = messageText(message) ?? (message?.id ? rule?.messageStrings[message.id] : undefined);
  if (!template) return undefined;
  const args = message?.arguments ?? [];
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => args[Number(index)] ?? placeholder);
}

function titleOf(rule: SarifRule | undefined, ruleId: string | null | undefined, message: string | undefined): string {
  if (rule?.shortDescription) return rule.shortDescription;
  if (ruleId) return ruleId;
  const firstLine = message?.split('\n', 1)[0]?.trim();
  if (firstLine) return firstLine.length > MAX_MESSAGE_TITLE ? `${firstLine.slice(0, MAX_MESSAGE_TITLE - 1)}…` : firstLine;
  return 'SARIF result without rule or message';
}

function descriptionOf(message: string | undefined, rule: SarifRule | undefined): string | undefined {
  const full = rule?.fullDescription;
  if (!message) return full;
  if (!full || message.includes(full)) return message;
  return `${message}\n\n${full}`;
}

/**
 * Returns the result's own id: its `guid`, else its rule and first fingerprint (fingerprints
 * follow a result across edits that move its line), else its rule and location.
 */
function sourceFindingId(result: SarifResult, ruleId: string | null | undefined, resource: string | undefined): string {
  if (result.guid) return result.guid;
  const fingerprints = { ...(result.partialFingerprints ?? {}), ...(result.fingerprints ?? {}) };
  const [firstKey] = Object.keys(fingerprints).sort();
  const fingerprint = firstKey ? `${firstKey}=${fingerprints[firstKey]}` : undefined;
  return `${ruleId ?? ''}:${fingerprint ?? resource ?? ''}`;
}

function ruleRaw(rule: SarifRule): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...rule.extra };
  if (rule.id) raw.id = rule.id;
  if (rule.name) raw.name = rule.name;
  if (rule.tags.length > 0) raw.tags = rule.tags;
  if (rule.securitySeverity !== undefined) raw.securitySeverity = rule.securitySeverity;
  if (rule.severityName) raw.severity = rule.severityName;
  if (rule.defaultLevel) raw.defaultLevel = rule.defaultLevel;
  return raw;
}

/**
 * Returns the package a vulnerability is in: the artifact's package URL when it has one, else the
 * file itself, named by its base name.
 */
function technologyOf(artifact: SarifArtifact | undefined, filePath: string | undefined): TechnologyRecord | undefined {
  for (const purl of artifact?.purls ?? []) {
    const technology = purlTechnology(purl);
    if (technology) {
      if (filePath) technology.path = filePath;
      return technology;
    }
  }
  if (!filePath) return undefined;
  return { product: path.posix.basename(filePath) || filePath, path: filePath };
}

/** Reads `pkg:type/namespace/name@version`, with the namespace as the vendor. */
function purlTechnology(purl: string): TechnologyRecord | undefined {
  const match = /^pkg:([^/]+)\/(?:(.+)\/)?([^/@?#]+)(?:@([^?#]+))?/.exec(purl);
  if (!match?.[3]) return undefined;
  const decode = (part: string | undefined) => (part === undefined ? undefined : percentDecode(part));
  // The purl type (npm, maven, javascript…) is the package's ecosystem.
  const technology: TechnologyRecord = { product: decode(match[3]) ?? match[3], category: match[1] ?? '' };
  const vendor = decode(match[2]);
  if (vendor) technology.vendor = vendor;
  const version = decode(match[4]);
  if (version) technology.version = version;
  return technology;
}

function cveFacts(cveId: string, scored: FindingRecord | undefined): VulnerabilityFacts {
  const facts: VulnerabilityFacts = { cveId };
  if (!scored) return facts;
  copyCvss(scored, facts);
  if (scored.cweIds) facts.cweIds = scored.cweIds;
  return facts;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
