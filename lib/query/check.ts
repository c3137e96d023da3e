import { closest, distance } from 'fastest-levenshtein';
import ipaddr from 'ipaddr.js';
import { BOOLEAN_VALUES, findToken, TOKENS, type TokenDefinition, type TokenName } from './catalog';
import { at, QueryError } from './errors';
import { parseQuery, type ConditionNode, type QueryNode, type RangeValue, type ScalarValue } from './parser';

/*
 * Type checking turns a syntax tree into tests the compiler (and the in-memory reference
 * filter of the tests) can apply without looking at text again: every value is parsed,
 * normalized and range-checked here, so nothing that reaches SQL can be malformed.
 */

export type Comparison = '=' | '<' | '<=' | '>' | '>=';

/** A point in time: the start of a calendar day in the organization's time zone, an instant, or a wall-clock time in that zone. */
export type TimePoint = { kind: 'dayStart'; day: string } | { kind: 'instant'; iso: string } | { kind: 'local'; timestamp: string };

export type Test =
  /** `like` values keep the user's `*` wildcards; the compiler escapes the rest. */
  | { kind: 'text'; match: 'contains' | 'equalsIgnoreCase' | 'equals' | 'like'; value: string }
  | { kind: 'number'; op: Comparison; value: number }
  | { kind: 'enum'; value: string }
  | { kind: 'time'; op: Comparison; at: TimePoint }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'ip'; op: Comparison; address: string; family: 4 | 6 }
  | { kind: 'cidr'; network: string; family: 4 | 6 };

/** A condition whose value is true when all tests of any one group pass (a list gives several groups). */
export interface CheckedCondition {
  kind: 'condition';
  token: TokenDefinition & { name: TokenName };
  anyOf: Test[][];
  start: number;
  end: number;
}

export type CheckedNode = CheckedCondition | { kind: 'and' | 'or'; children: CheckedNode[] } | { kind: 'not'; child: CheckedNode };

export interface CheckOptions {
  /** Reference time of relative dates such as `now-30d`; defaults to the current time. */
  now?: Date;
}

/** Parses and type-checks a query; returns null for an empty query. Throws QueryError only. */
export function checkQuery(text: string, options: CheckOptions = {}): CheckedNode | null {
  const tree = parseQuery(text);
  return tree ? checkNode(tree, options.now ?? new Date()) : null;
}

export function checkNode(node: QueryNode, now: Date): CheckedNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((child) => checkNode(child, now)) };
    case 'not':
      return { kind: 'not', child: checkNode(node.child, now) };
    case 'condition':
      return checkCondition(node, now);
  }
}

const TOKEN_NAMES = TOKENS.map((token) => token.name);

/** Suggests the catalog token nearest to an unknown name, comparing with full names and with their last part. */
export function nearestToken(name: string): string {
  const lower = name.toLowerCase();
  // A name cut short (asset.tag) is most likely the start of a longer one (asset.tags.name).
  const extended = TOKEN_NAMES.find((tokenName) => tokenName.toLowerCase().startsWith(lower));
  if (extended && lower.includes('.')) return extended;
  let best: string = closest(lower, TOKEN_NAMES.map((tokenName) => tokenName.toLowerCase()));
  let bestDistance = distance(lower, best);
  for (const tokenName of TOKEN_NAMES) {
    const suffix = tokenName.slice(tokenName.indexOf('.') + 1).toLowerCase();
    const suffixDistance = distance(lower, suffix);
    if (suffixDistance < bestDistance) {
      best = tokenName.toLowerCase();
      bestDistance = suffixDistance;
    }
  }
  return TOKEN_NAMES.find((tokenName) => tokenName.toLowerCase() === best) ?? best;
}

function checkCondition(node: ConditionNode, now: Date): CheckedCondition {
  const token = findToken(node.token.name);
  if (!token) {
    throw new QueryError(
      `unknown token '${node.token.name}' ${at(node.token.start)}; did you mean ${nearestToken(node.token.name)}? The query reference at /help/query lists every token`,
      node.token.start,
      node.token.end,
    );
  }

  const context: ValueContext = { token, now, operator: node.operator };
  const value = node.value;
  let anyOf: Test[][];
  if (value.kind === 'scalar') {
    anyOf = [scalarTests(context, value)];
  } else if (value.kind === 'list') {
    anyOf = value.items.map((item) => scalarTests(context, item));
  } else {
    anyOf = [rangeTests(context, value)];
  }
  return { kind: 'condition', token, anyOf, start: node.start, end: node.end };
}

interface ValueContext {
  token: TokenDefinition & { name: TokenName };
  now: Date;
  operator: ConditionNode['operator'];
}

function rejectOperator(context: ValueContext, value: ScalarValue, allowed: string): never {
  const { token, operator } = context;
  throw new QueryError(`${token.name} is a ${token.type} token and does not take '${operator}' (${at(value.start - operator.length)}); it takes ${allowed}, e.g. ${token.example}`, value.start - operator.length, value.end);
}

function invalidValue(context: ValueContext, value: ScalarValue, forms: string): never {
  throw new QueryError(`${context.token.name} takes ${forms}; '${value.text}' ${at(value.start)} is not one (e.g. ${context.token.example})`, value.start, value.end);
}

function comparisonOf(operator: ConditionNode['operator']): Comparison {
  return operator === ':' ? '=' : operator;
}

/** Tests of one scalar value under the condition's operator. */
function scalarTests(context: ValueContext, value: ScalarValue): Test[] {
  switch (context.token.type) {
    case 'text':
    case 'string':
      return [textTest(context, value)];
    case 'enum':
      return [enumTest(context, value, comparisonOf(context.operator))];
    case 'number': {
      const number = parseNumber(context, value);
      return [{ kind: 'number', op: comparisonOf(context.operator), value: number }];
    }
    case 'date':
      return dateTests(context, value, comparisonOf(context.operator));
    case 'boolean': {
      if (context.operator !== ':' && context.operator !== '=') rejectOperator(context, value, ': or =');
      const bool = BOOLEAN_VALUES[value.text.toLowerCase()];
      if (bool === undefined) invalidValue(context, value, 'true or false');
      return [{ kind: 'boolean', value: bool }];
    }
    case 'ip':
      return [ipTest(context, value, comparisonOf(context.operator))];
  }
}

function textTest(context: ValueContext, value: ScalarValue): Test {
  const { token, operator } = context;
  if (operator !== ':' && operator !== '=') rejectOperator(context, value, ': (contains or equals), = (exact) and lists');
  if (value.text === '') invalidValue(context, value, 'a non-empty value');

  if (operator === '=' || value.quoting === 'backtick') return { kind: 'text', match: 'equals', value: normalizeIdentifier(context, value) };
  // Quoting turns wildcards off, so "2 * 3" searches for a literal asterisk.
  if (value.quoting === 'bare' && value.text.includes('*')) return { kind: 'text', match: 'like', value: value.text };
  if (token.type === 'text') return { kind: 'text', match: 'contains', value: value.text };
  if (token.normalize) return { kind: 'text', match: 'equals', value: normalizeIdentifier(context, value) };
  return { kind: 'text', match: 'equalsIgnoreCase', value: value.text };
}

function normalizeIdentifier(context: ValueContext, value: ScalarValue): string {
  const text = value.text.trim();
  switch (context.token.normalize) {
    case 'cve': {
      const upper = text.toUpperCase();
      if (!/^CVE-\d{4}-\d{4,}$/.test(upper)) invalidValue(context, value, 'CVE ids such as CVE-2021-44228 (or patterns such as CVE-2021-*)');
      return upper;
    }
    case 'cwe': {
      const match = /^(?:CWE[-:])?(\d{1,6})$/i.exec(text);
      if (!match) invalidValue(context, value, 'CWE ids such as CWE-79 or 79');
      return `CWE-${match[1]}`;
    }
    case 'lower':
      return text.toLowerCase();
    case undefined:
      return value.text;
  }
}

function enumTest(context: ValueContext, value: ScalarValue, op: Comparison): Test {
  const { token } = context;
  const values = token.values ?? [];
  const ranks = token.ranks;
  const forms = ranks ? `one of ${values.join(', ')} or a number from 1 to ${values.length}` : `one of ${values.join(', ')}`;
  if (!ranks && op !== '=') rejectOperator(context, value, ': or = with one value or a list');

  const text = value.text.trim();
  const name = values.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (ranks) {
    const rank = name !== undefined ? ranks[name] : /^\d+$/.test(text) ? Number(text) : undefined;
    if (rank === undefined || rank < 1 || rank > values.length) invalidValue(context, value, forms);
    return { kind: 'number', op, value: rank };
  }
  if (name === undefined) invalidValue(context, value, forms);
  return { kind: 'enum', value: name };
}

function parseNumber(context: ValueContext, value: ScalarValue): number {
  const { token } = context;
  const forms = `${token.integer ? 'a whole number' : 'a number'} from ${token.min ?? '-∞'} to ${token.max ?? '∞'}`;
  const text = value.text.trim();
  const pattern = token.integer ? /^-?\d{1,10}$/ : /^-?(?:\d{1,10}(?:\.\d{1,12})?|\.\d{1,12})$/;
  if (!pattern.test(text)) invalidValue(context, value, forms);
  const number = Number(text);
  if ((token.min !== undefined && number < token.min) || (token.max !== undefined && number > token.max)) invalidValue(context, value, forms);
  return number;
}

function rangeTests(context: ValueContext, range: RangeValue): Test[] {
  const { token, operator } = context;
  if (operator !== ':') {
    throw new QueryError(`a range takes ':' before it, e.g. ${token.name}:[a .. b]; found '${operator}' ${at(range.start - operator.length)}`, range.start - operator.length, range.end);
  }
  const lowOp: Comparison = range.lowInclusive ? '>=' : '>';
  const highOp: Comparison = range.highInclusive ? '<=' : '<';

  switch (token.type) {
    case 'number':
    case 'enum': {
      if (token.type === 'enum' && !token.ranks) break;
      const low = scalarTests({ ...context, operator: lowOp }, range.low);
      const high = scalarTests({ ...context, operator: highOp }, range.high);
      const lowValue = low[0]?.kind === 'number' ? low[0].value : 0;
      const highValue = high[0]?.kind === 'number' ? high[0].value : 0;
      if (lowValue > highValue) throw reversedRange(token.name, range);
      return [...low, ...high];
    }
    case 'date':
      return [...dateTests(context, range.low, lowOp), ...dateTests(context, range.high, highOp)];
    case 'ip': {
      const low = ipTest(context, range.low, lowOp);
      const high = ipTest(context, range.high, highOp);
      if (low.kind !== 'ip' || high.kind !== 'ip') {
        throw new QueryError(`a range of IP addresses takes two addresses, not CIDR blocks (${at(range.start)}); write a block alone, e.g. asset.ip:10.0.0.0/8`, range.start, range.end);
      }
      if (low.family !== high.family) {
        throw new QueryError(`the range ${at(range.start)} mixes IPv4 and IPv6; both ends must be of the same family`, range.start, range.end);
      }
      if (compareAddresses(low.address, high.address) > 0) throw reversedRange(token.name, range);
      return [low, high];
    }
    default:
      break;
  }
  throw new QueryError(`${token.name} is a ${token.type} token and takes no range (${at(range.start)}); ranges are for numbers, dates, IP addresses and severity`, range.start, range.end);
}

function reversedRange(name: string, range: RangeValue): QueryError {
  return new QueryError(`the range of ${name} ${at(range.start)} runs from '${range.low.text}' down to '${range.high.text}'; put the lower end first`, range.start, range.end);
}

const DATE_FORMS = 'a date (2026-05-31), a timestamp (2026-05-31T14:00:00Z; without a zone it is read in the organization\'s time zone) or a relative date (now, now-30d; units m, h, d, w, M, y)';
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RELATIVE = /^now(?:([+-])(\d{1,6})([mhdwMy]))?$/;

type ParsedTime = { granularity: 'day'; day: string } | { granularity: 'instant'; point: TimePoint; relative: boolean };

function parseTime(context: ValueContext, value: ScalarValue): ParsedTime {
  const text = value.text.trim();
  const day = DAY.exec(text);
  if (day) {
    if (!isCalendarDate(Number(day[1]), Number(day[2]), Number(day[3]))) invalidValue(context, value, DATE_FORMS);
    return { granularity: 'day', day: text };
  }

  const timestamp = TIMESTAMP.exec(text);
  if (timestamp) {
    const [, datePart, hour, minute, second = '00', fraction = '', zone] = timestamp;
    const [year, month, dayOfMonth] = datePart!.split('-').map(Number);
    if (!isCalendarDate(year!, month!, dayOfMonth!) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) invalidValue(context, value, DATE_FORMS);
    const wallClock = `${datePart}T${hour}:${minute}:${second}${fraction}`;
    if (!zone) return { granularity: 'instant', point: { kind: 'local', timestamp: wallClock }, relative: false };
    if (zone.toUpperCase() !== 'Z' && !/^[+-](?:0\d|1[0-4])(?::?[0-5]\d)?$/.test(zone)) invalidValue(context, value, DATE_FORMS);
    return { granularity: 'instant', point: { kind: 'instant', iso: `${wallClock}${zone.toUpperCase() === 'Z' ? 'Z' : zone}` }, relative: false };
  }

  const relative = RELATIVE.exec(text);
  if (relative) {
    const [, sign, amount, unit] = relative;
    const instant = new Date(context.now.getTime());
    if (sign && amount && unit) shiftDate(instant, (sign === '-' ? -1 : 1) * Number(amount), unit);
    return { granularity: 'instant', point: { kind: 'instant', iso: instant.toISOString() }, relative: true };
  }
  invalidValue(context, value, DATE_FORMS);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Moves a date by an amount of a unit; months and years move by calendar (UTC), the others by fixed lengths. */
function shiftDate(date: Date, amount: number, unit: string): void {
  const fixed: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
  const length = fixed[unit];
  if (length !== undefined) date.setTime(date.getTime() + amount * length);
  else if (unit === 'M') date.setUTCMonth(date.getUTCMonth() + amount);
  else date.setUTCFullYear(date.getUTCFullYear() + amount);
}

/** The calendar day after `day` (`YYYY-MM-DD`). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * A date names a whole day in the organization's time zone, so `:D` is that day, `>D` starts
 * after it and `<=D` ends with it. Timestamps and relative dates are instants.
 */
function dateTests(context: ValueContext, value: ScalarValue, op: Comparison): Test[] {
  const parsed = parseTime(context, value);
  if (parsed.granularity === 'instant') {
    if (parsed.relative && op === '=') {
      throw new QueryError(
        `'${value.text}' ${at(value.start)} is an instant, which no stored time equals; compare with it instead, e.g. ${context.token.name}>=${value.text}`,
        value.start,
        value.end,
      );
    }
    return [{ kind: 'time', op, at: parsed.point }];
  }

  const start: TimePoint = { kind: 'dayStart', day: parsed.day };
  const end: TimePoint = { kind: 'dayStart', day: nextDay(parsed.day) };
  switch (op) {
    case '=':
      return [
        { kind: 'time', op: '>=', at: start },
        { kind: 'time', op: '<', at: end },
      ];
    case '>':
    case '>=':
      return [{ kind: 'time', op: '>=', at: op === '>' ? end : start }];
    case '<':
    case '<=':
      return [{ kind: 'time', op: '<', at: op === '<=' ? end : start }];
  }
}

const IP_FORMS = 'an IPv4 or IPv6 address (10.0.0.5, 2001:db8::1) or a CIDR block (10.0.0.0/8)';

function ipTest(context: ValueContext, value: ScalarValue, op: Comparison): Test {
  const text = value.text.trim();
  if (text.includes('/')) {
    if (op !== '=') rejectOperator(context, value, ': with a CIDR block');
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      parsed = ipaddr.parseCIDR(text);
    } catch {
      invalidValue(context, value, IP_FORMS);
    }
    const [address, prefix] = parsed;
    if (address.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(text.slice(0, text.indexOf('/')))) invalidValue(context, value, IP_FORMS);
    // The network address, so 10.1.2.3/8 means 10.0.0.0/8 as Postgres's `<<=` would read it.
    const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
    return { kind: 'cidr', network: `${network.toString()}/${prefix}`, family: address.kind() === 'ipv4' ? 4 : 6 };
  }

  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { kind: 'ip', op, address: ipaddr.IPv4.parse(text).toString(), family: 4 };
  if (ipaddr.IPv6.isValid(text) && !text.includes('%')) return { kind: 'ip', op, address: ipaddr.IPv6.parse(text).toString(), family: 6 };
  invalidValue(context, value, IP_FORMS);
}

/** Compares two addresses of one family by their bytes. */
export function compareAddresses(left: string, right: string): number {
  const a = ipaddr.parse(left).toByteArray();
  const b = ipaddr.parse(right).toByteArray();
  if (a.length !== b.length) return a.length - b.length;
  for (let index = 0; index < a.length; index++) {
    const difference = a[index]! - b[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
