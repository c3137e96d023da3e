// Reading of SARIF 2.1.0 rules (`reportingDescriptor` objects in `tool.driver.rules` and
// `tool.extensions[].rules`) and artifacts into compact, JSON-ready records that a run keeps in a
// keyed spill store until its results are mapped.

import { z } from 'zod';
import { formatJsonPath, type JsonPath } from '../json-stream';
import { cveIdsOf, cweIdsOf, unmappedFields, validateJson } from './json-fields';

/** The fields of a rule that the finding mapping reads. */
export interface SarifRule {
  id?: string;
  name?: string;
  shortDescription?: string;
  fullDescription?: string;
  /** `help.text`, else `help.markdown`: how to fix what the rule finds. */
  help?: string;
  helpUri?: string;
  /** `defaultConfiguration.level`. */
  defaultLevel?: string;
  /** `properties["security-severity"]` as written, a CVSS-like score from 0 to 10. */
  securitySeverity?: string | number;
  /** `properties.severity`, a severity name some tools write, e.g. `low`. */
  severityName?: string;
  tags: string[];
  cweIds: string[];
  cveIds: string[];
  /** `messageStrings`: message templates by id, for results that give only a message id and arguments. */
  messageStrings: Record<string, string>;
  /** The rule's other fields and properties, kept for each finding's raw. */
  extra: Record<string, unknown>;
  /** JSON path of the rule in the report, for error messages. */
  field: string;
}

/** An artifact of `run.artifacts`, which results may refer to by index. */
export interface SarifArtifact {
  uri?: string;
  /** Package URLs among the artifact's properties, as dependency-check writes them (`id1`, `id2`…). */
  purls: string[];
}

const messageSchema = z.looseObject({ text: z.string().nullish(), markdown: z.string().nullish() });

const ruleSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  shortDescription: messageSchema.nullish(),
  fullDescription: messageSchema.nullish(),
  help: messageSchema.nullish(),
  helpUri: z.string().nullish(),
  defaultConfiguration: z.looseObject({ level: z.string().nullish() }).nullish(),
  messageStrings: z.record(z.string(), messageSchema).nullish(),
  relationships: z
    .array(
      z.looseObject({
        target: z.looseObject({ id: z.string().nullish(), toolComponent: z.looseObject({ name: z.string().nullish() }).nullish() }).nullish(),
      }),
    )
    .nullish(),
  properties: z
    .looseObject({
      tags: z.array(z.string()).nullish(),
      'security-severity': z.union([z.string(), z.number()]).nullish(),
      severity: z.string().nullish(),
    })
    .nullish(),
});

const MAPPED_RULE_FIELDS = new Set(['id', 'name', 'shortDescription', 'fullDescription', 'help', 'helpUri', 'defaultConfiguration', 'messageStrings', 'properties']);
const MAPPED_RULE_PROPERTIES = new Set(['tags', 'security-severity', 'severity']);

const artifactSchema = z.looseObject({
  location: z.looseObject({ uri: z.string().nullish() }).nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});

/** Reads one rule of a driver or an extension. */
export function readRule(value: unknown, path: JsonPath): SarifRule {
  const rule = validateJson(ruleSchema, value, path, 'SARIF');
  const properties = rule.properties ?? {};
  const tags = properties.tags ?? [];
  const cweFromRelationships = (rule.relationships ?? [])
    .filter((relationship) => relationship.target?.toolComponent?.name?.toUpperCase() === 'CWE')
    .map((relationship) => relationship.target?.id);

  const record: SarifRule = {
    tags,
    cweIds: cweIdsOf([...tags.map(cweOfTag), ...cweFromRelationships]),
    cveIds: cveIdsOf([...cvesIn(rule.id), ...cvesIn(rule.name), ...tags.flatMap(cvesIn)]),
    messageStrings: {},
    extra: unmappedFields(rule, MAPPED_RULE_FIELDS),
    field: formatJsonPath(path),
  };
  const otherProperties = unmappedFields(properties, MAPPED_RULE_PROPERTIES);
  if (Object.keys(otherProperties).length > 0) record.extra.properties = otherProperties;

  if (rule.id) record.id = rule.id;
  if (rule.name) record.name = rule.name;
  const short = messageText(rule.shortDescription);
  if (short) record.shortDescription = short;
  const full = messageText(rule.fullDescription);
  if (full) record.fullDescription = full;
  const help = messageText(rule.help);
  if (help) record.help = help;
  if (rule.helpUri) record.helpUri = rule.helpUri;
  if (rule.defaultConfiguration?.level) record.defaultLevel = rule.defaultConfiguration.level;
  const securitySeverity = properties['security-severity'];
  if (securitySeverity !== undefined && securitySeverity !== null && String(securitySeverity).trim() !== '') record.securitySeverity = securitySeverity;
  if (properties.severity) record.severityName = properties.severity;
  for (const [id, message] of Object.entries(rule.messageStrings ?? {})) {
    const text = messageText(message);
    if (text) record.messageStrings[id] = text;
  }
  return record;
}

/** Reads one entry of `run.artifacts`. */
export function readArtifact(value: unknown, path: JsonPath): SarifArtifact {
  const artifact = validateJson(artifactSchema, value, path, 'SARIF');
  const purls = Object.values(artifact.properties ?? {}).filter((property): property is string => typeof property === 'string' && property.startsWith('pkg:'));
  const record: SarifArtifact = { purls };
  if (artifact.location?.uri) record.uri = artifact.location.uri;
  return record;
}

/** Returns a SARIF message's plain text, else its Markdown, trimmed. */
export function messageText(message: { text?: string | null; markdown?: string | null } | null | undefined): string | undefined {
  const text = message?.text?.trim() || message?.markdown?.trim();
  return text || undefined;
}

/**
 * Returns the CWE number of a rule tag, for the spellings tools use: `CWE-79`, `cwe:79`,
 * CodeQL's `external/cwe/cwe-079` and `CWE/external/cwe/cwe-79`.
 */
export function cweOfTag(tag: string): string | undefined {
  const match = /(?:^|\/)cwe[-:/]?0*(\d{1,6})$/i.exec(tag.trim());
  return match?.[1];
}

/** Returns the CVE ids written anywhere in a text, e.g. `CVE-2008-0732-geronimo-j2ee-management`. */
export function cvesIn(text: string | null | undefined): string[] {
  return text ? [...text.matchAll(/CVE-\d{4}-\d{4,}/gi)].map((match) => match[0].toUpperCase()) : [];
}
