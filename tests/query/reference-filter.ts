import ipaddr from 'ipaddr.js';
import type { Entity, TokenName } from '../../lib/query/catalog';
import { compareAddresses, type CheckedNode, type Comparison, type Test, type TimePoint } from '../../lib/query/check';

/*
 * An in-memory implementation of the query semantics, written without SQL, to check the
 * compiler's results against. It evaluates checked queries on plain objects.
 */

export interface AssetModel {
  id: number;
  name: string;
  ipv4: string[];
  ipv6: string[];
  os: string | null;
  tags: string[];
  businessEntities: string[];
  criticalityScore: number;
  riskScore: number;
  internetFacing: boolean;
  lastSeen: Date;
}

export interface FindingModel {
  id: number;
  title: string;
  description: string | null;
  type: string;
  severity: number;
  status: string;
  detectionScore: number;
  cveIds: string[];
  cweIds: string[];
  vendorId: string | null;
  port: number | null;
  protocol: string | null;
  firstFound: Date;
  lastFound: Date;
  sources: string[];
  vulnerability: { epssScore: number | null; isKev: boolean; cvss3BaseScore: number | null } | null;
  technology: { product: string; version: string | null; vendor: string | null } | null;
  /** ATT&CK data of all the finding's CVEs. */
  attack: AttackModel;
  asset: AssetModel;
}

export interface AttackModel {
  /** `name` is the imported technique's name, else the mapping's; `tactics` is empty when the technique is not imported. */
  techniques: { id: string; name: string | null; tactics: string[] }[];
  /** `names` contains the group's name and its aliases. */
  groups: { id: string; names: string[] }[];
}

export interface Estate {
  assets: AssetModel[];
  findings: FindingModel[];
  findingsByAsset: Map<number, FindingModel[]>;
}

type Value = string | number | boolean | Date | null;

/** Values of a token on one row: one for a column, several for arrays and related rows. */
function valuesOf(name: TokenName, finding: FindingModel | undefined, asset: AssetModel): Value[] | 'ip' {
  const f = finding!;
  switch (name) {
    case 'finding.id':
      return [f.id];
    case 'finding.title':
      return [f.title];
    case 'finding.description':
      return [f.description];
    case 'finding.type':
      return [f.type];
    case 'finding.severity':
      return [f.severity];
    case 'finding.status':
      return [f.status];
    case 'finding.detectionScore':
      return [f.detectionScore];
    case 'finding.cveId':
      return f.cveIds;
    case 'finding.cweId':
      return f.cweIds;
    case 'finding.vendorId':
      return [f.vendorId];
    case 'finding.port':
      return [f.port];
    case 'finding.protocol':
      return [f.protocol];
    case 'finding.firstFoundDate':
      return [f.firstFound];
    case 'finding.lastFoundDate':
      return [f.lastFound];
    case 'finding.epssScore':
      return f.vulnerability ? [f.vulnerability.epssScore] : [];
    case 'finding.isKev':
      return f.vulnerability ? [f.vulnerability.isKev] : [];
    case 'finding.cvss3BaseScore':
      return f.vulnerability ? [f.vulnerability.cvss3BaseScore] : [];
    case 'finding.source':
      return f.sources;
    case 'finding.technologyName':
      return f.technology ? [f.technology.product] : [];
    case 'finding.technologyVersion':
      return f.technology ? [f.technology.version] : [];
    case 'finding.technologyVendor':
      return f.technology ? [f.technology.vendor] : [];
    case 'finding.mitre.attack.technique.id':
      return f.attack.techniques.map((technique) => technique.id);
    case 'finding.mitre.attack.technique.name':
      return f.attack.techniques.map((technique) => technique.name);
    case 'finding.mitre.attack.tactic.name':
      return f.attack.techniques.flatMap((technique) => technique.tactics);
    case 'finding.mitre.attack.group.id':
      return f.attack.groups.map((group) => group.id);
    case 'finding.mitre.attack.group.name':
      return f.attack.groups.flatMap((group) => group.names);
    case 'asset.name':
      return [asset.name];
    case 'asset.ip':
      return 'ip';
    case 'asset.os':
      return [asset.os];
    case 'asset.tags.name':
      return asset.tags;
    case 'asset.criticalityScore':
      return [asset.criticalityScore];
    case 'asset.riskScore':
      return [asset.riskScore];
    case 'asset.businessEntity.name':
      return asset.businessEntities;
    case 'asset.internetFacing':
      return [asset.internetFacing];
    case 'asset.lastSeenDate':
      return [asset.lastSeen];
    default:
      throw new Error(`the reference filter does not know ${name}`);
  }
}

/** The UTC instant at which a wall-clock time in a time zone occurs, found by correcting the offset twice. */
export function zonedTime(wallClock: string, timeZone: string): number {
  const [datePart, timePart = '00:00:00'] = wallClock.split('T');
  const [year, month, day] = datePart!.split('-').map(Number);
  const [hour, minute, secondText] = timePart.split(':');
  const second = Number(secondText ?? 0);
  const guess = Date.UTC(year!, month! - 1, day!, Number(hour), Number(minute), Math.floor(second), Math.round((second % 1) * 1000));
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
    const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return local - Math.floor(instant / 1000) * 1000;
  };
  let instant = guess - offsetAt(guess);
  instant = guess - offsetAt(instant);
  return instant;
}

function timeOf(point: TimePoint, timeZone: string): number {
  switch (point.kind) {
    case 'dayStart':
      return zonedTime(`${point.day}T00:00:00`, timeZone);
    case 'local':
      return zonedTime(point.timestamp, timeZone);
    case 'instant':
      return Date.parse(point.iso);
  }
}

function compare(left: number, op: Comparison, right: number): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

function wildcardRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`, 'i');
}

function passes(test: Test, value: Value, realColumn: boolean, timeZone: string): boolean {
  if (value === null) return false;
  switch (test.kind) {
    case 'text': {
      const text = String(value);
      switch (test.match) {
        case 'contains':
          return text.toLowerCase().includes(test.value.toLowerCase());
        case 'like':
          return wildcardRegExp(test.value).test(text);
        case 'equals':
          return text === test.value;
        case 'equalsIgnoreCase':
          return text.toLowerCase() === test.value.toLowerCase();
      }
      break;
    }
    case 'number':
      // real columns are float4, and so is the compared value once cast.
      return compare(value as number, test.op, realColumn ? Math.fround(test.value) : test.value);
    case 'enum':
      return value === test.value;
    case 'boolean':
      return value === test.value;
    case 'time':
      return compare((value as Date).getTime(), test.op, timeOf(test.at, timeZone));
    case 'ip':
    case 'cidr':
      return false;
  }
}

function ipPasses(test: Test, address: string): boolean {
  const parsed = ipaddr.parse(address);
  if (test.kind === 'cidr') {
    const [network, prefix] = ipaddr.parseCIDR(test.network);
    return parsed.kind() === network.kind() && parsed.match([network, prefix] as [typeof parsed, number]);
  }
  if (test.kind !== 'ip') return false;
  if ((parsed.kind() === 'ipv4' ? 4 : 6) !== test.family) return false;
  return compare(compareAddresses(address, test.address), test.op, 0);
}

const REAL_TOKENS = new Set<string>(['finding.epssScore', 'finding.cvss3BaseScore', 'asset.riskScore']);

function entitiesOf(node: CheckedNode, into = new Set<Entity>()): Set<Entity> {
  if (node.kind === 'condition') into.add(node.token.entity);
  else if (node.kind === 'not') entitiesOf(node.child, into);
  else for (const child of node.children) entitiesOf(child, into);
  return into;
}

interface Row {
  entity: Entity;
  finding?: FindingModel;
  asset: AssetModel;
}

/**
 * Evaluates a checked query on one row. A subtree (below any NOT) that only uses the other
 * entity's tokens is true when one related row satisfies all of it: the asset of a finding, or
 * any finding of an asset.
 */
export function evaluate(node: CheckedNode, row: Row, estate: Estate, timeZone: string): boolean {
  if (node.kind === 'not') return !evaluate(node.child, row, estate, timeZone);
  const entities = entitiesOf(node);
  if (entities.size === 1 && !entities.has(row.entity)) {
    if (row.entity === 'finding') return evaluate(node, { entity: 'asset', asset: row.asset }, estate, timeZone);
    return (estate.findingsByAsset.get(row.asset.id) ?? []).some((finding) => evaluate(node, { entity: 'finding', finding, asset: row.asset }, estate, timeZone));
  }

  switch (node.kind) {
    case 'and':
    case 'or': {
      const foreign = node.children.filter((child) => {
        if (child.kind === 'not') return false;
        const childEntities = entitiesOf(child);
        return childEntities.size === 1 && !childEntities.has(row.entity);
      });
      const own = node.children.filter((child) => !foreign.includes(child));
      const results = own.map((child) => evaluate(child, row, estate, timeZone));
      if (foreign.length > 0) results.push(evaluate(foreign.length === 1 ? foreign[0]! : { kind: node.kind, children: foreign }, row, estate, timeZone));
      return node.kind === 'and' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'condition': {
      const values = valuesOf(node.token.name, row.finding, row.asset);
      if (values === 'ip') {
        const addresses = [...row.asset.ipv4, ...row.asset.ipv6];
        return addresses.some((address) => node.anyOf.some((tests) => tests.every((test) => ipPasses(test, address))));
      }
      const real = REAL_TOKENS.has(node.token.name);
      return values.some((value) => node.anyOf.some((tests) => tests.every((test) => passes(test, value, real, timeZone))));
    }
  }
}
