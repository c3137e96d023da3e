import { sql, type SQL } from 'drizzle-orm';
import type { Entity, TokenName } from './catalog';
import type { CheckedCondition, CheckedNode, Comparison, Test, TimePoint } from './check';

/*
 * Compiles a checked query to a WHERE condition. Every value reaches SQL as a bound parameter
 * of drizzle's `sql` template; the only SQL text written here is fixed table and column names
 * and operators chosen from closed maps, never text from the query.
 *
 * Rows are referenced by explicit names ("findings", "assets" at the top, "q_…" inside
 * subqueries), because drizzle prints a bare column name for `${table.column}` in a query on
 * one table, which inside a subquery could name the inner table's column instead.
 */

export interface CompileOptions {
  /** IANA time zone in which dates such as 2026-05-31 start and end. */
  timeZone: string;
}

type SqlType = 'text' | 'integer' | 'real' | 'timestamptz' | 'boolean' | 'enum';

type TokenSql =
  /** A column of the row itself. */
  | { kind: 'column'; column: (row: SQL) => SQL; type: SqlType; nullable: boolean }
  /** A text[] column; the condition holds when any element matches. */
  | { kind: 'array'; column: (row: SQL) => SQL }
  /** A column of related rows; the condition holds when any related row matches (EXISTS). */
  | { kind: 'related'; exists: (scope: Scope, predicate: SQL) => SQL; column: SQL; type: SqlType; nullable: boolean }
  /** The asset's IPv4 and IPv6 addresses. */
  | { kind: 'ip' };

function column(name: string, type: SqlType, nullable = false): TokenSql {
  return { kind: 'column', column: (row) => sql`${row}.${sql.identifier(name)}`, type, nullable };
}

const vulnerabilityOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "vulnerabilities" "q_vulnerability" where "q_vulnerability"."cve_id" = ${scope.row}."cve_id" and ${predicate})`;
const technologyOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "technologies" "q_technology" where "q_technology"."id" = ${scope.row}."technology_id" and ${predicate})`;
// Tags and business entities need only the asset's id, which a finding has as asset_id.
const tagOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "asset_tags" "q_asset_tag" join "tags" "q_tag" on "q_tag"."id" = "q_asset_tag"."tag_id" where "q_asset_tag"."asset_id" = ${scope.assetId} and ${predicate})`;
// A business entity is the union of the assets of its tags.
const businessEntityOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "asset_tags" "q_entity_asset_tag" join "business_entity_tags" "q_entity_tag" on "q_entity_tag"."tag_id" = "q_entity_asset_tag"."tag_id" join "business_entities" "q_business_entity" on "q_business_entity"."id" = "q_entity_tag"."business_entity_id" where "q_entity_asset_tag"."asset_id" = ${scope.assetId} and ${predicate})`;

// Risk acceptance tokens look at the rules that cover the finding and are not revoked.
const riskAcceptanceOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "finding_risk_acceptances" "q_acceptance" join "risk_acceptance_rules" "q_rule" on "q_rule"."id" = "q_acceptance"."rule_id" where "q_acceptance"."finding_id" = ${scope.row}."id" and "q_rule"."revoked_at" is null and ${predicate})`;

// ATT&CK data hangs off CVEs, so these look at every CVE of the finding, as the finding page
// does. The primary key of both link tables starts with cve_id, which serves the lookup.
const findingCves = (scope: Scope) => sql`array_append(${scope.row}."cve_ids", ${scope.row}."cve_id")`;
// A mapping may name a technique missing from the imported release, hence the left join.
const techniqueOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "cve_attack_techniques" "q_technique_map" left join "attack_techniques" "q_technique" on "q_technique"."attack_id" = "q_technique_map"."technique_id" where "q_technique_map"."cve_id" = any(${findingCves(scope)}) and ${predicate})`;
const tacticOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "cve_attack_techniques" "q_tactic_map" join "attack_techniques" "q_tactic_technique" on "q_tactic_technique"."attack_id" = "q_tactic_map"."technique_id" cross join unnest("q_tactic_technique"."tactics") as "q_tactic"("name") where "q_tactic_map"."cve_id" = any(${findingCves(scope)}) and ${predicate})`;
const groupOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "cve_attack_groups" "q_group_link" join "attack_groups" "q_group" on "q_group"."attack_id" = "q_group_link"."group_id" where "q_group_link"."cve_id" = any(${findingCves(scope)}) and ${predicate})`;
// A group matches by its name or any of its aliases (APT28 is also Fancy Bear).
const groupNameOf = (scope: Scope, predicate: SQL) =>
  sql`exists (select 1 from "cve_attack_groups" "q_group_name_link" join "attack_groups" "q_named_group" on "q_named_group"."attack_id" = "q_group_name_link"."group_id" cross join unnest(array_prepend("q_named_group"."name", "q_named_group"."aliases")) as "q_group_name"("name") where "q_group_name_link"."cve_id" = any(${findingCves(scope)}) and ${predicate})`;

/** Asset tokens that need only the asset's id, so a findings query can test them without reading the asset. */
const ASSET_ID_ONLY = new Set<TokenName>(['asset.tags.name', 'asset.businessEntity.name']);

const TOKEN_SQL: Record<TokenName, TokenSql> = {
  'finding.id': column('id', 'integer'),
  'finding.title': column('title', 'text'),
  'finding.description': column('description', 'text', true),
  'finding.type': column('type', 'enum'),
  'finding.severity': column('severity', 'integer'),
  'finding.status': column('status', 'enum'),
  'finding.detectionScore': column('detection_score', 'integer'),
  'finding.cveId': { kind: 'array', column: (row) => sql`${row}."cve_ids"` },
  'finding.cweId': { kind: 'array', column: (row) => sql`${row}."cwe_ids"` },
  'finding.vendorId': column('vendor_id', 'text', true),
  'finding.port': column('port', 'integer', true),
  'finding.protocol': column('protocol', 'text', true),
  'finding.firstFoundDate': column('first_found', 'timestamptz'),
  'finding.lastFoundDate': column('last_found', 'timestamptz'),
  'finding.epssScore': { kind: 'related', exists: vulnerabilityOf, column: sql`"q_vulnerability"."epss_score"`, type: 'real', nullable: true },
  'finding.isKev': { kind: 'related', exists: vulnerabilityOf, column: sql`"q_vulnerability"."is_kev"`, type: 'boolean', nullable: false },
  'finding.cvss3BaseScore': { kind: 'related', exists: vulnerabilityOf, column: sql`"q_vulnerability"."cvss3_base_score"`, type: 'real', nullable: true },
  'finding.source': { kind: 'array', column: (row) => sql`${row}."sources"` },
  'finding.technologyName': { kind: 'related', exists: technologyOf, column: sql`"q_technology"."product"`, type: 'text', nullable: false },
  'finding.technologyVersion': { kind: 'related', exists: technologyOf, column: sql`"q_technology"."version"`, type: 'text', nullable: true },
  'finding.technologyVendor': { kind: 'related', exists: technologyOf, column: sql`"q_technology"."vendor"`, type: 'text', nullable: true },
  'finding.riskAcceptance.type': { kind: 'related', exists: riskAcceptanceOf, column: sql`"q_rule"."type"::text`, type: 'enum', nullable: false },
  'finding.riskAcceptance.reasonType': { kind: 'related', exists: riskAcceptanceOf, column: sql`"q_rule"."reason_type"`, type: 'enum', nullable: false },
  'finding.riskAcceptance.ruleId': { kind: 'related', exists: riskAcceptanceOf, column: sql`"q_rule"."id"`, type: 'integer', nullable: false },
  'finding.riskAcceptance.createdDate': { kind: 'related', exists: riskAcceptanceOf, column: sql`"q_rule"."created_at"`, type: 'timestamptz', nullable: false },
  'finding.riskAcceptance.startDate': { kind: 'related', exists: riskAcceptanceOf, column: sql`"q_rule"."start_date"`, type: 'timestamptz', nullable: false },
  'finding.riskAcceptance.endDate': { kind: 'related', exists: riskAcceptanceOf, column: sql`"q_rule"."end_date"`, type: 'timestamptz', nullable: true },
  'finding.mitre.attack.technique.id': { kind: 'related', exists: techniqueOf, column: sql`"q_technique_map"."technique_id"`, type: 'text', nullable: false },
  'finding.mitre.attack.technique.name': { kind: 'related', exists: techniqueOf, column: sql`coalesce("q_technique"."name", "q_technique_map"."technique_name")`, type: 'text', nullable: true },
  'finding.mitre.attack.tactic.name': { kind: 'related', exists: tacticOf, column: sql`"q_tactic"."name"`, type: 'text', nullable: false },
  'finding.mitre.attack.group.id': { kind: 'related', exists: groupOf, column: sql`"q_group"."attack_id"`, type: 'text', nullable: false },
  'finding.mitre.attack.group.name': { kind: 'related', exists: groupNameOf, column: sql`"q_group_name"."name"`, type: 'text', nullable: false },
  'asset.name': column('name', 'text'),
  'asset.ip': { kind: 'ip' },
  'asset.os': column('os', 'text', true),
  'asset.tags.name': { kind: 'related', exists: tagOf, column: sql`"q_tag"."name"`, type: 'text', nullable: false },
  'asset.criticalityScore': column('criticality_score', 'integer'),
  'asset.riskScore': column('risk_score', 'real'),
  'asset.businessEntity.name': { kind: 'related', exists: businessEntityOf, column: sql`"q_business_entity"."name"`, type: 'text', nullable: false },
  'asset.internetFacing': column('internet_facing', 'boolean'),
  'asset.lastSeenDate': column('last_seen', 'timestamptz'),
};

const COMPARISON_SQL = {
  '=': sql`=`,
  '<': sql`<`,
  '<=': sql`<=`,
  '>': sql`>`,
  '>=': sql`>=`,
} as const satisfies Record<Comparison, SQL>;

/** Escapes LIKE's special characters (`%`, `_` and the escape character `\`) in user text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** Turns a value with `*` wildcards into an ILIKE pattern matching the whole value. */
export function wildcardPattern(text: string): string {
  return text.split('*').map(escapeLike).join('%');
}

/** The row of the entity a query filters, as the list queries name it in FROM. */
export const ROW_ALIAS = { finding: sql`"findings"`, asset: sql`"assets"` } as const satisfies Record<Entity, SQL>;

interface Scope {
  entity: Entity;
  row: SQL;
  /** The id of the asset in scope: the asset row's id, or a finding's asset_id. */
  assetId: SQL;
  timeZone: string;
}

/** Compiles a checked query over findings or assets to a WHERE condition; undefined for an empty query. */
export function compileQuery(node: CheckedNode | null, entity: Entity, options: CompileOptions): SQL | undefined {
  if (!node) return undefined;
  const row = ROW_ALIAS[entity];
  return compileNode(node, { entity, row, assetId: entity === 'asset' ? sql`${row}."id"` : sql`${row}."asset_id"`, timeZone: options.timeZone });
}

function entitiesOf(node: CheckedNode, into = new Set<Entity>()): Set<Entity> {
  if (node.kind === 'condition') into.add(node.token.entity);
  else if (node.kind === 'not') entitiesOf(node.child, into);
  else for (const child of node.children) entitiesOf(child, into);
  return into;
}

function isForeign(node: CheckedNode, scope: Scope): boolean {
  const entities = entitiesOf(node);
  return entities.size === 1 && !entities.has(scope.entity);
}

function compileNode(node: CheckedNode, scope: Scope): SQL {
  // NOT is applied before crossing to the other entity, so in an asset query
  // `NOT finding.severity:critical` means "no critical finding", not "some finding that is not critical".
  if (node.kind === 'not') return sql`(not ${compileNode(node.child, scope)})`;
  if (isForeign(node, scope)) return crossEntity(node, scope);

  switch (node.kind) {
    case 'condition':
      return compileCondition(node, scope);
    case 'and':
    case 'or': {
      // Conditions on the other entity that sit side by side share one EXISTS, so in an asset
      // query `finding.severity:critical AND finding.isKev:true` asks for one finding that is both.
      // A NOT child stays out of the group: it compiles to NOT EXISTS on its own.
      const foreign = node.children.filter((child) => child.kind !== 'not' && isForeign(child, scope));
      const own = node.children.filter((child) => !foreign.includes(child));
      const parts = own.map((child) => compileNode(child, scope));
      if (foreign.length > 0) parts.push(crossEntity(foreign.length === 1 ? foreign[0]! : { kind: node.kind, children: foreign }, scope));
      return sql`(${sql.join(parts, node.kind === 'and' ? sql` and ` : sql` or `)})`;
    }
  }
}

function onlyTokens(node: CheckedNode, names: Set<TokenName>): boolean {
  if (node.kind === 'condition') return names.has(node.token.name);
  if (node.kind === 'not') return onlyTokens(node.child, names);
  return node.children.every((child) => onlyTokens(child, names));
}

function crossEntity(node: CheckedNode, scope: Scope): SQL {
  if (scope.entity === 'finding' && onlyTokens(node, ASSET_ID_ONLY)) {
    // Tag and business entity conditions join on the finding's asset_id directly, which saves
    // the planner a level of nesting; "q_asset" is never referenced on this path.
    return compileNode(node, { ...scope, entity: 'asset', row: sql`"q_asset"`, assetId: sql`${scope.row}."asset_id"` });
  }
  if (scope.entity === 'finding') {
    const inner = compileNode(node, { ...scope, entity: 'asset', row: sql`"q_asset"`, assetId: sql`"q_asset"."id"` });
    return sql`exists (select 1 from "assets" "q_asset" where "q_asset"."id" = ${scope.row}."asset_id" and ${inner})`;
  }
  const inner = compileNode(node, { ...scope, entity: 'finding', row: sql`"q_finding"`, assetId: sql`"q_finding"."asset_id"` });
  return sql`exists (select 1 from "findings" "q_finding" where "q_finding"."asset_id" = ${scope.row}."id" and ${inner})`;
}

function compileCondition(condition: CheckedCondition, scope: Scope): SQL {
  const spec = TOKEN_SQL[condition.token.name];
  switch (spec.kind) {
    case 'column': {
      const value = spec.column(scope.row);
      return guardNull(value, spec.nullable, anyOf(condition, value, spec.type, scope));
    }
    case 'related': {
      const predicate = guardNull(spec.column, spec.nullable, anyOf(condition, spec.column, spec.type, scope));
      return spec.exists(scope, predicate);
    }
    case 'array':
      return compileArray(condition, spec.column(scope.row), scope);
    case 'ip':
      return compileIp(condition, scope);
  }
}

/**
 * Makes a test on a nullable column two-valued: a NULL would make `NOT condition` drop the row
 * as well, while users expect `NOT finding.port:80` to keep findings without a port.
 */
function guardNull(value: SQL, nullable: boolean, predicate: SQL): SQL {
  return nullable ? sql`(${value} is not null and ${predicate})` : predicate;
}

function anyOf(condition: CheckedCondition, value: SQL, type: SqlType, scope: Scope): SQL {
  const groups = condition.anyOf.map((tests) => {
    const parts = tests.map((test) => compileTest(test, value, type, scope));
    return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` and `)})`;
  });
  return groups.length === 1 ? groups[0]! : sql`(${sql.join(groups, sql` or `)})`;
}

function typed(value: number, type: SqlType): SQL {
  return type === 'integer' ? sql`${value}::integer` : sql`${value}::real`;
}

function compileTest(test: Test, value: SQL, type: SqlType, scope: Scope): SQL {
  switch (test.kind) {
    case 'text':
      switch (test.match) {
        case 'contains':
          return sql`${value} ilike ${`%${escapeLike(test.value)}%`}`;
        case 'like':
          return sql`${value} ilike ${wildcardPattern(test.value)}`;
        case 'equals':
          return sql`${value} = ${test.value}`;
        case 'equalsIgnoreCase':
          return sql`lower(${value}) = lower(${test.value})`;
      }
      break;
    case 'number':
      return sql`${value} ${COMPARISON_SQL[test.op]} ${typed(test.value, type)}`;
    case 'enum':
      return sql`${value} = ${test.value}`;
    case 'boolean':
      return sql`${value} = ${test.value}`;
    case 'time':
      return sql`${value} ${COMPARISON_SQL[test.op]} ${timePoint(test.at, scope.timeZone)}`;
    case 'ip':
    case 'cidr':
      return compileIpTest(test, value);
  }
}

function timePoint(point: TimePoint, timeZone: string): SQL {
  switch (point.kind) {
    case 'dayStart':
      return sql`(${point.day}::timestamp at time zone ${timeZone})`;
    case 'local':
      return sql`(${point.timestamp}::timestamp at time zone ${timeZone})`;
    case 'instant':
      return sql`${point.iso}::timestamptz`;
  }
}

function compileArray(condition: CheckedCondition, array: SQL, scope: Scope): SQL {
  const exactValues = condition.anyOf.map((tests) => (tests.length === 1 && tests[0]?.kind === 'text' && tests[0].match === 'equals' ? tests[0].value : undefined));
  if (exactValues.every((value) => value !== undefined)) {
    // Overlap with a literal array can use a GIN index on the column.
    return sql`${array} && array[${sql.join(exactValues.map((value) => sql`${value}`), sql`, `)}]::text[]`;
  }
  const element = sql`"q_element"."value"`;
  return sql`exists (select 1 from unnest(${array}) as "q_element"("value") where ${anyOf(condition, element, 'text', scope)})`;
}

// Stored addresses passed node's isIP at import; the pattern keeps any other text (a zone
// suffix, a damaged row) from reaching the inet cast, which would fail the whole query.
const ADDRESS = sql`(case when "q_ip"."value" ~ '^[0-9A-Fa-f.:]+$' then "q_ip"."value"::inet end)`;

function compileIp(condition: CheckedCondition, scope: Scope): SQL {
  const predicate = anyOf(condition, ADDRESS, 'text', scope);
  return sql`exists (select 1 from unnest(${scope.row}."ipv4" || ${scope.row}."ipv6") as "q_ip"("value") where ${ADDRESS} is not null and ${predicate})`;
}

function compileIpTest(test: Extract<Test, { kind: 'ip' | 'cidr' }>, address: SQL): SQL {
  if (test.kind === 'cidr') return sql`${address} <<= ${test.network}::inet`;
  // inet orders every IPv4 address before every IPv6 one, so comparisons stay within a family.
  return sql`(family(${address}) = ${test.family}::integer and ${address} ${COMPARISON_SQL[test.op]} ${test.address}::inet)`;
}
