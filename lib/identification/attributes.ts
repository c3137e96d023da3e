import { bundledAliases, type AliasTable } from './aliases';
import { canonicalCpe } from './cpe';
import { fold } from './fold';
import { canonicalVersion } from './version';

/**
 * Attributes one detection reported about a weakness, as identification reads it. Stored verbatim on the
 * detection (`detections.observation`), so a change of the rules or the alias table can be
 * previewed and re-run over stored data without the reports. Values are as the source wrote
 * them; normalization happens when a key is computed.
 */
export interface Observation {
  type: 'vulnerability' | 'misconfiguration';
  source: string;
  cveId?: string;
  cpe?: string;
  technologyVendor?: string;
  technologyName?: string;
  technologyVersion?: string;
  technologyPath?: string;
  port?: number;
  protocol?: string;
  vendorId?: string;
  title: string;
  sourceFindingId?: string;
  policyName?: string;
  resource?: string;
}

export { ATTRIBUTE_LABELS, IDENTITY_ATTRIBUTES, type IdentityAttribute } from './attribute-names';
import type { IdentityAttribute } from './attribute-names';

/**
 * The normalized value of one attribute, or undefined when the observation has none (an empty
 * value counts as none):
 *
 * - `cve`: upper case; `cpe`: the canonical 2.3 string of lib/identification/cpe.ts;
 * - `technology_name`: the product through the alias table. For a misconfiguration without a
 *   technology it is the resource the check ran on (a file, a Kubernetes object), because that
 *   is what the check is about;
 * - `technology_version`: the parsed form of lib/identification/version.ts;
 * - `vendor_id` and `source_finding_id` are prefixed with the source, because a plugin id, QID
 *   or a scanner's own finding id is only unique within that scanner;
 * - every text is folded (case and runs of white space).
 */
export function attributeValue(observation: Observation, attribute: IdentityAttribute, aliases: AliasTable = bundledAliases): string | undefined {
  switch (attribute) {
    case 'cve':
      return present(observation.cveId)?.toUpperCase();
    case 'cpe': {
      const cpe = present(observation.cpe);
      if (!cpe) return undefined;
      return canonicalCpe(cpe, aliases) ?? fold(cpe);
    }
    case 'technology_name': {
      const name = present(observation.technologyName);
      if (name) return aliases.product(name);
      const resource = observation.type === 'misconfiguration' ? present(observation.resource) ?? present(observation.technologyPath) : undefined;
      return resource ? fold(resource) : undefined;
    }
    case 'technology_version': {
      const version = present(observation.technologyVersion);
      return version ? canonicalVersion(version) : undefined;
    }
    case 'technology_path':
      return foldPresent(observation.technologyPath);
    case 'port':
      return observation.port === undefined || observation.port === null ? undefined : String(observation.port);
    case 'protocol':
      return foldPresent(observation.protocol);
    case 'vendor_id': {
      const id = foldPresent(observation.vendorId);
      return id ? `${fold(observation.source)}:${id}` : undefined;
    }
    case 'policy_name':
      return foldPresent(observation.policyName);
    case 'resource':
      return foldPresent(observation.resource);
    case 'title':
      return foldPresent(observation.title);
    case 'source_finding_id': {
      const id = foldPresent(observation.sourceFindingId);
      return id ? `${fold(observation.source)}:${id}` : undefined;
    }
  }
}

function present(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value.trim().length > 0 ? value : undefined;
}

function foldPresent(value: string | undefined | null): string | undefined {
  const text = present(value);
  return text === undefined ? undefined : fold(text);
}
