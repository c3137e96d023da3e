import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AliasTable } from './aliases';
import { bundledAliases } from './aliases';
import { attributeValue, IDENTITY_ATTRIBUTES, type IdentityAttribute, type Observation } from './attributes';

export type FindingKind = Observation['type'];

/** One identification rule: an ordered attribute set, on or off. */
export interface IdentificationRule {
  attributes: IdentityAttribute[];
  enabled: boolean;
}

/** The rules of both finding types, each list in the order they are tried. */
export interface IdentificationRules {
  vulnerability: IdentificationRule[];
  misconfiguration: IdentificationRule[];
}

export const ruleSchema = z.object({
  attributes: z
    .array(z.enum(IDENTITY_ATTRIBUTES))
    .min(1, 'a rule needs at least one attribute')
    .max(IDENTITY_ATTRIBUTES.length)
    .refine((attributes) => new Set(attributes).size === attributes.length, 'a rule lists each attribute once'),
  enabled: z.boolean(),
});

export const rulesSchema = z
  .object({
    vulnerability: z.array(ruleSchema).max(50),
    misconfiguration: z.array(ruleSchema).max(50),
  })
  .superRefine((rules, context) => {
    for (const type of ['vulnerability', 'misconfiguration'] as const) {
      const seen = new Set<string>();
      rules[type].forEach((rule, index) => {
        const key = rule.attributes.join('+');
        if (seen.has(key)) context.addIssue({ code: 'custom', path: [type, index], message: `${type} rules list the set ${key} twice` });
        seen.add(key);
      });
    }
  });

/** The default rules, also seeded by migration 0009_seed_identification_rules. */
export const DEFAULT_RULES: IdentificationRules = {
  vulnerability: [
    ['cve', 'cpe'],
    ['cve', 'technology_name', 'technology_version'],
    ['cve', 'technology_name'],
    ['cve', 'port', 'protocol'],
    ['cve', 'port'],
    ['cve'],
    ['vendor_id'],
    ['title'],
    ['source_finding_id'],
  ].map((attributes) => ({ attributes: attributes as IdentityAttribute[], enabled: true })),
  misconfiguration: [
    ['policy_name', 'title', 'technology_name'],
    ['vendor_id', 'technology_name'],
    ['title', 'technology_name'],
    ['title'],
    ['source_finding_id'],
  ].map((attributes) => ({ attributes: attributes as IdentityAttribute[], enabled: true })),
};

/** Keys longer than this are stored as a hash, so they always fit the unique index. */
const MAX_KEY_LENGTH = 512;

/**
 * Computes the identity key of an observation: the first enabled rule whose attributes all have
 * a value decides, and the key is the rule's attribute names and the normalized values, e.g.
 * `cve+port+protocol|CVE-2021-44228|443|tcp`. Two observations on one asset are one finding
 * when their keys are equal. When no rule applies (every rule disabled, or none has all its
 * values), the key is unique to the observation's source and title and a new finding is made.
 */
export function identityKey(observation: Observation, rules: readonly IdentificationRule[], aliases: AliasTable = bundledAliases): string {
  for (const rule of rules) {
    if (!rule.enabled || rule.attributes.length === 0) continue;
    const values: string[] = [];
    for (const attribute of rule.attributes) {
      const value = attributeValue(observation, attribute, aliases);
      if (value === undefined) break;
      values.push(value);
    }
    if (values.length === rule.attributes.length) return bounded(`${rule.attributes.join('+')}|${values.map(escape).join('|')}`);
  }
  // No rule applies, so the observation is a finding of its own. Source finding id, else source and title,
  // keep repeats of one observation on one finding.
  const own = attributeValue(observation, 'source_finding_id', aliases) ?? `${observation.source}:${attributeValue(observation, 'title', aliases) ?? ''}`;
  return bounded(`unmatched|${escape(own)}`);
}

function escape(value: string): string {
  return value.replace(/[\\|]/g, (char) => `\\${char}`);
}

function bounded(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  const prefix = key.slice(0, key.indexOf('|'));
  return `${prefix}|sha256:${createHash('sha256').update(key).digest('hex')}`;
}
