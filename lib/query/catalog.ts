/**
 * The one catalog of query tokens. Parsing, type checking, autocomplete, the SQL compiler
 * (lib/query/compile.ts, keyed by `TokenName`) and the reference page at /help/query all read
 * it, so a token added here is documented and checked everywhere. The browser imports this
 * file too, so it contains plain data only.
 */

/**
 * How a token's values are read and compared:
 * - `text`: free text; `:` means contains, case-insensitively.
 * - `string`: an identifier or name; `:` means equal, case-insensitively.
 * - `enum`: one of a closed set of names.
 * - `number`, `date`, `boolean`, `ip`: numbers, dates and IP addresses also take comparisons
 *   and ranges.
 */
export type TokenType = 'string' | 'text' | 'enum' | 'number' | 'date' | 'boolean' | 'ip';

/** The row a token describes; a query on one entity may use the tokens of the other. */
export type Entity = 'finding' | 'asset';

export interface TokenDefinition {
  name: string;
  entity: Entity;
  type: TokenType;
  description: string;
  example: string;
  /** Allowed names of an enum token. */
  values?: readonly string[];
  /** Enum values that have an order (severity): each value's rank, so comparisons work. */
  ranks?: Readonly<Record<string, number>>;
  /** Whole numbers only, checked against `min` and `max`. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** Canonical form of identifier values before comparing: upper-case CVE, `CWE-79` for `79`. */
  normalize?: 'cve' | 'cwe' | 'lower';
}

/** Severity names in rank order; rank 1 (informational) to 5 (critical), as `findings.severity` stores them. */
export const SEVERITY_NAMES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
const SEVERITY_RANKS = Object.fromEntries(SEVERITY_NAMES.map((name, index) => [name, index + 1])) as Record<(typeof SEVERITY_NAMES)[number], number>;

/** Same values as the `finding_status` and `finding_type` Postgres enums (a test keeps them equal). */
export const FINDING_STATUS_VALUES = ['new', 'active', 'reopened', 'fixed'] as const;
export const FINDING_TYPE_VALUES = ['vulnerability', 'misconfiguration'] as const;

/** Kinds and reason categories of risk acceptance rules (lib/risk-acceptance/schemas.ts validates rules with them). */
export const RISK_ACCEPTANCE_TYPE_VALUES = ['RISK_ACCEPTED', 'FALSE_POSITIVE'] as const;
export const RISK_ACCEPTANCE_REASON_VALUES = ['compensating_control', 'business_decision', 'planned_remediation', 'vendor_dependency', 'not_exploitable', 'scanner_error', 'other'] as const;

export const TOKENS = [
  { name: 'finding.id', entity: 'finding', type: 'number', integer: true, min: 1, max: 2_147_483_647, description: 'Finding id.', example: 'finding.id:[100, 200]' },
  { name: 'finding.title', entity: 'finding', type: 'text', description: 'Finding title as the scanner reported it.', example: 'finding.title:"remote code execution"' },
  { name: 'finding.description', entity: 'finding', type: 'text', description: 'Finding description.', example: 'finding.description:*deserialization*' },
  { name: 'finding.type', entity: 'finding', type: 'enum', values: FINDING_TYPE_VALUES, description: 'Vulnerability or misconfiguration.', example: 'finding.type:misconfiguration' },
  {
    name: 'finding.severity',
    entity: 'finding',
    type: 'enum',
    values: SEVERITY_NAMES,
    ranks: SEVERITY_RANKS,
    description: 'Severity, informational (1) to critical (5); names and numbers both work, and so do comparisons and ranges.',
    example: 'finding.severity>=high',
  },
  { name: 'finding.status', entity: 'finding', type: 'enum', values: FINDING_STATUS_VALUES, description: 'Lifecycle status.', example: 'finding.status:[new, reopened]' },
  { name: 'finding.detectionScore', entity: 'finding', type: 'number', integer: true, min: 1, max: 100, description: 'Detection Score, 1 to 100.', example: 'finding.detectionScore>=70' },
  { name: 'finding.cveId', entity: 'finding', type: 'string', normalize: 'cve', description: 'Any CVE id of the finding.', example: 'finding.cveId:[CVE-2021-44228, CVE-2021-45046]' },
  { name: 'finding.cweId', entity: 'finding', type: 'string', normalize: 'cwe', description: 'Any CWE id of the finding; `79` means `CWE-79`.', example: 'finding.cweId:CWE-79' },
  { name: 'finding.vendorId', entity: 'finding', type: 'string', description: "The scanner's own id of the check, such as a Nessus plugin id or a Qualys QID.", example: 'finding.vendorId:19506' },
  { name: 'finding.port', entity: 'finding', type: 'number', integer: true, min: 0, max: 65_535, description: 'Port number, 0 to 65535.', example: 'finding.port:[1 .. 1024]' },
  { name: 'finding.protocol', entity: 'finding', type: 'string', normalize: 'lower', description: 'Transport protocol, such as tcp or udp.', example: 'finding.protocol:udp' },
  { name: 'finding.firstFoundDate', entity: 'finding', type: 'date', description: 'When any source first reported the finding.', example: 'finding.firstFoundDate>=now-30d' },
  { name: 'finding.lastFoundDate', entity: 'finding', type: 'date', description: 'When a source last reported the finding.', example: 'finding.lastFoundDate:[2026-01-01 .. 2026-03-31]' },
  { name: 'finding.epssScore', entity: 'finding', type: 'number', min: 0, max: 1, description: "EPSS probability, 0 to 1, of the finding's primary CVE.", example: 'finding.epssScore>0.5' },
  { name: 'finding.isKev', entity: 'finding', type: 'boolean', description: "Whether the finding's primary CVE is in CISA's KEV catalog.", example: 'finding.isKev:true' },
  { name: 'finding.cvss3BaseScore', entity: 'finding', type: 'number', min: 0, max: 10, description: "CVSS 3 base score, 0 to 10, of the finding's primary CVE in the vulnerability catalog.", example: 'finding.cvss3BaseScore>=9' },
  { name: 'finding.source', entity: 'finding', type: 'string', description: 'Any source that reported the finding, such as Nessus, Qualys or Trivy.', example: 'finding.source:trivy' },
  { name: 'finding.technologyName', entity: 'finding', type: 'text', description: 'Product name of the affected technology.', example: 'finding.technologyName:openssl' },
  { name: 'finding.technologyVersion', entity: 'finding', type: 'string', description: 'Version of the affected technology.', example: 'finding.technologyVersion:1.1.*' },
  { name: 'finding.technologyVendor', entity: 'finding', type: 'text', description: 'Vendor of the affected technology.', example: 'finding.technologyVendor:apache' },
  {
    name: 'finding.riskAcceptance.type',
    entity: 'finding',
    type: 'enum',
    values: RISK_ACCEPTANCE_TYPE_VALUES,
    description: 'Kind of a risk acceptance rule that covers the finding. The finding.riskAcceptance.* tokens look at every rule that is not revoked, active or not; compare the dates to ask for active ones.',
    example: 'finding.riskAcceptance.type:FALSE_POSITIVE',
  },
  { name: 'finding.riskAcceptance.reasonType', entity: 'finding', type: 'enum', values: RISK_ACCEPTANCE_REASON_VALUES, description: 'Reason category of a risk acceptance rule that covers the finding.', example: 'finding.riskAcceptance.reasonType:compensating_control' },
  { name: 'finding.riskAcceptance.ruleId', entity: 'finding', type: 'number', integer: true, min: 1, max: 2_147_483_647, description: 'Id of a risk acceptance rule that covers the finding.', example: 'finding.riskAcceptance.ruleId:12' },
  { name: 'finding.riskAcceptance.createdDate', entity: 'finding', type: 'date', description: 'When a risk acceptance rule that covers the finding was created.', example: 'finding.riskAcceptance.createdDate>=now-7d' },
  { name: 'finding.riskAcceptance.startDate', entity: 'finding', type: 'date', description: 'When a risk acceptance that covers the finding starts.', example: 'finding.riskAcceptance.startDate<=now' },
  { name: 'finding.riskAcceptance.endDate', entity: 'finding', type: 'date', description: 'When a risk acceptance that covers the finding ends; a rule without an end date never matches.', example: 'finding.riskAcceptance.endDate:[now .. now+30d]' },
  {
    name: 'finding.mitre.attack.technique.id',
    entity: 'finding',
    type: 'string',
    description:
      "ATT&CK technique id mapped to any CVE of the finding by a published mapping (the ATT&CK feed). A technique id does not include its sub-techniques: write T1059* for T1059 and T1059.001.",
    example: 'finding.mitre.attack.technique.id:T1190',
  },
  { name: 'finding.mitre.attack.technique.name', entity: 'finding', type: 'text', description: 'Name of an ATT&CK technique mapped to any CVE of the finding, from the imported ATT&CK release, else as the mapping names it.', example: 'finding.mitre.attack.technique.name:"exploit public-facing"' },
  { name: 'finding.mitre.attack.tactic.name', entity: 'finding', type: 'text', description: 'ATT&CK tactic of a technique mapped to any CVE of the finding; needs the imported ATT&CK release, which lists the tactics.', example: 'finding.mitre.attack.tactic.name:"initial access"' },
  { name: 'finding.mitre.attack.group.id', entity: 'finding', type: 'string', description: 'Id of an ATT&CK group (threat actor) that ATT&CK ties to any CVE of the finding.', example: 'finding.mitre.attack.group.id:G0007' },
  { name: 'finding.mitre.attack.group.name', entity: 'finding', type: 'text', description: 'Name or alias of an ATT&CK group (threat actor) that ATT&CK ties to any CVE of the finding.', example: 'finding.mitre.attack.group.name:apt28' },
  { name: 'asset.name', entity: 'asset', type: 'text', description: 'Asset name.', example: 'asset.name:web-*' },
  { name: 'asset.ip', entity: 'asset', type: 'ip', description: 'Any IPv4 or IPv6 address of the asset; takes addresses, CIDR blocks, comparisons and ranges.', example: 'asset.ip:10.0.0.0/8' },
  { name: 'asset.os', entity: 'asset', type: 'text', description: 'Operating system.', example: 'asset.os:windows' },
  { name: 'asset.tags.name', entity: 'asset', type: 'string', description: 'Name of any tag on the asset.', example: 'asset.tags.name:production' },
  { name: 'asset.criticalityScore', entity: 'asset', type: 'number', integer: true, min: 1, max: 5, description: 'Asset Criticality Score, 1 to 5.', example: 'asset.criticalityScore>=4' },
  { name: 'asset.riskScore', entity: 'asset', type: 'number', min: 0, max: 1000, description: 'Asset Risk Score, 0 to 1000.', example: 'asset.riskScore>=700' },
  { name: 'asset.businessEntity.name', entity: 'asset', type: 'string', description: 'Name of a business entity the asset belongs to through its tags.', example: 'asset.businessEntity.name:"online store"' },
  { name: 'asset.internetFacing', entity: 'asset', type: 'boolean', description: 'Whether the asset is reachable from the internet.', example: 'asset.internetFacing:true' },
  { name: 'asset.lastSeenDate', entity: 'asset', type: 'date', description: 'When a scanner last saw the asset.', example: 'asset.lastSeenDate<now-90d' },
] as const satisfies readonly TokenDefinition[];

export type TokenName = (typeof TOKENS)[number]['name'];

const BY_NAME = new Map<string, TokenDefinition>(TOKENS.map((token) => [token.name.toLowerCase(), token]));

/** Looks a token up by name, ignoring case. */
export function findToken(name: string): (TokenDefinition & { name: TokenName }) | undefined {
  return BY_NAME.get(name.toLowerCase()) as (TokenDefinition & { name: TokenName }) | undefined;
}

/** Boolean values accepted by boolean tokens, case-insensitively. */
export const BOOLEAN_VALUES: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false };
