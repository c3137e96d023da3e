import fc from 'fast-check';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { findingStatus, findingType, riskAcceptanceType } from '../../db/schema';
import { FINDING_STATUS_VALUES, FINDING_TYPE_VALUES, RISK_ACCEPTANCE_TYPE_VALUES, TOKENS } from '../../lib/query/catalog';
import { checkQuery, type CheckedNode, type Test } from '../../lib/query/check';
import { compileQuery, escapeLike, wildcardPattern } from '../../lib/query/compile';
import { QueryError } from '../../lib/query/errors';

const NOW = new Date('2026-03-15T12:00:00Z');

function testsOf(text: string): Test[][] {
  const node = checkQuery(text, { now: NOW });
  if (node?.kind !== 'condition') throw new Error(`expected one condition from ${text}`);
  return node.anyOf;
}

function errorOf(text: string): QueryError {
  try {
    checkQuery(text, { now: NOW });
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('checkQuery value tests', () => {
  const cases: [string, Test[][]][] = [
    ['finding.title:log4j', [[{ kind: 'text', match: 'contains', value: 'log4j' }]]],
    ['finding.title:"two words"', [[{ kind: 'text', match: 'contains', value: 'two words' }]]],
    ['finding.title:"a*b"', [[{ kind: 'text', match: 'contains', value: 'a*b' }]]],
    ['finding.title:apache*', [[{ kind: 'text', match: 'like', value: 'apache*' }]]],
    ['finding.title:`Exact`', [[{ kind: 'text', match: 'equals', value: 'Exact' }]]],
    ['finding.title=Exact', [[{ kind: 'text', match: 'equals', value: 'Exact' }]]],
    ['asset.tags.name:Production', [[{ kind: 'text', match: 'equalsIgnoreCase', value: 'Production' }]]],
    ['finding.cveId:cve-2021-44228', [[{ kind: 'text', match: 'equals', value: 'CVE-2021-44228' }]]],
    ['finding.cveId:CVE-2021-*', [[{ kind: 'text', match: 'like', value: 'CVE-2021-*' }]]],
    ['finding.cweId:79', [[{ kind: 'text', match: 'equals', value: 'CWE-79' }]]],
    ['finding.protocol:TCP', [[{ kind: 'text', match: 'equals', value: 'tcp' }]]],
    ['finding.severity:high', [[{ kind: 'number', op: '=', value: 4 }]]],
    ['finding.severity:5', [[{ kind: 'number', op: '=', value: 5 }]]],
    ['finding.severity>=MEDIUM', [[{ kind: 'number', op: '>=', value: 3 }]]],
    [
      'finding.severity:(low .. critical]',
      [
        [
          { kind: 'number', op: '>', value: 2 },
          { kind: 'number', op: '<=', value: 5 },
        ],
      ],
    ],
    ['finding.status:[new, FIXED]', [[{ kind: 'enum', value: 'new' }], [{ kind: 'enum', value: 'fixed' }]]],
    ['finding.detectionScore<70', [[{ kind: 'number', op: '<', value: 70 }]]],
    ['finding.epssScore>=.5', [[{ kind: 'number', op: '>=', value: 0.5 }]]],
    ['finding.isKev:yes', [[{ kind: 'boolean', value: true }]]],
    ['asset.internetFacing=false', [[{ kind: 'boolean', value: false }]]],
    [
      'finding.lastFoundDate:2026-02-28',
      [
        [
          { kind: 'time', op: '>=', at: { kind: 'dayStart', day: '2026-02-28' } },
          { kind: 'time', op: '<', at: { kind: 'dayStart', day: '2026-03-01' } },
        ],
      ],
    ],
    ['finding.lastFoundDate>2026-12-31', [[{ kind: 'time', op: '>=', at: { kind: 'dayStart', day: '2027-01-01' } }]]],
    ['finding.lastFoundDate>=2026-12-31', [[{ kind: 'time', op: '>=', at: { kind: 'dayStart', day: '2026-12-31' } }]]],
    ['finding.lastFoundDate<2026-12-31', [[{ kind: 'time', op: '<', at: { kind: 'dayStart', day: '2026-12-31' } }]]],
    ['finding.lastFoundDate<=2026-12-31', [[{ kind: 'time', op: '<', at: { kind: 'dayStart', day: '2027-01-01' } }]]],
    [
      'finding.lastFoundDate:(2026-01-01 .. 2026-01-31)',
      [
        [
          { kind: 'time', op: '>=', at: { kind: 'dayStart', day: '2026-01-02' } },
          { kind: 'time', op: '<', at: { kind: 'dayStart', day: '2026-01-31' } },
        ],
      ],
    ],
    ['finding.lastFoundDate>=now-30d', [[{ kind: 'time', op: '>=', at: { kind: 'instant', iso: '2026-02-13T12:00:00.000Z' } }]]],
    ['finding.lastFoundDate>=now-2w', [[{ kind: 'time', op: '>=', at: { kind: 'instant', iso: '2026-03-01T12:00:00.000Z' } }]]],
    ['finding.lastFoundDate>=now-1M', [[{ kind: 'time', op: '>=', at: { kind: 'instant', iso: '2026-02-15T12:00:00.000Z' } }]]],
    ['finding.lastFoundDate>=now-1y', [[{ kind: 'time', op: '>=', at: { kind: 'instant', iso: '2025-03-15T12:00:00.000Z' } }]]],
    ['finding.lastFoundDate<now+6h', [[{ kind: 'time', op: '<', at: { kind: 'instant', iso: '2026-03-15T18:00:00.000Z' } }]]],
    ['finding.lastFoundDate>now-90m', [[{ kind: 'time', op: '>', at: { kind: 'instant', iso: '2026-03-15T10:30:00.000Z' } }]]],
    ['finding.lastFoundDate>2026-01-01T10:00:00+02:00', [[{ kind: 'time', op: '>', at: { kind: 'instant', iso: '2026-01-01T10:00:00+02:00' } }]]],
    ['finding.lastFoundDate>2026-01-01T10:00', [[{ kind: 'time', op: '>', at: { kind: 'local', timestamp: '2026-01-01T10:00:00' } }]]],
    ['asset.ip:10.0.0.5', [[{ kind: 'ip', op: '=', address: '10.0.0.5', family: 4 }]]],
    ['asset.ip:2001:DB8:0::1', [[{ kind: 'ip', op: '=', address: '2001:db8::1', family: 6 }]]],
    ['asset.ip:10.1.2.3/8', [[{ kind: 'cidr', network: '10.0.0.0/8', family: 4 }]]],
    [
      'asset.ip:[10.0.0.1 .. 10.0.0.9)',
      [
        [
          { kind: 'ip', op: '>=', address: '10.0.0.1', family: 4 },
          { kind: 'ip', op: '<', address: '10.0.0.9', family: 4 },
        ],
      ],
    ],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(testsOf(text)).toEqual(expected);
  });
});

describe('checkQuery errors', () => {
  const cases: { text: string; message: string; start: number; end: number }[] = [
    { text: 'finding.severty:high', message: "unknown token 'finding.severty' at character 1; did you mean finding.severity?", start: 0, end: 15 },
    { text: 'finding.title:x OR severity:high', message: 'did you mean finding.severity?', start: 19, end: 27 },
    { text: 'asset.tag:prod', message: 'did you mean asset.tags.name?', start: 0, end: 9 },
    { text: 'finding.severity:urgent', message: 'finding.severity takes one of informational, low, medium, high, critical or a number from 1 to 5', start: 17, end: 23 },
    { text: 'finding.severity:9', message: "'9' at character 18 is not one", start: 17, end: 18 },
    { text: 'finding.status>new', message: "finding.status is a enum token and does not take '>'", start: 14, end: 18 },
    { text: 'finding.detectionScore:high', message: 'finding.detectionScore takes a whole number from 1 to 100', start: 23, end: 27 },
    { text: 'finding.detectionScore>70.5', message: 'takes a whole number', start: 23, end: 27 },
    { text: 'finding.epssScore>50', message: 'finding.epssScore takes a number from 0 to 1', start: 18, end: 20 },
    { text: 'finding.lastFoundDate>yesterday', message: 'takes a date (2026-05-31), a timestamp', start: 22, end: 31 },
    { text: 'finding.lastFoundDate:2026-02-30', message: "'2026-02-30' at character 23 is not one", start: 22, end: 32 },
    { text: 'finding.lastFoundDate:now-3d', message: 'is an instant, which no stored time equals', start: 22, end: 28 },
    { text: 'finding.isKev:maybe', message: 'finding.isKev takes true or false', start: 14, end: 19 },
    { text: 'finding.isKev>true', message: "does not take '>'", start: 13, end: 18 },
    { text: 'finding.title>abc', message: "finding.title is a text token and does not take '>'", start: 13, end: 17 },
    { text: 'finding.title:[a .. b]', message: 'finding.title is a text token and takes no range', start: 14, end: 22 },
    { text: 'finding.port:[100 .. 10]', message: 'put the lower end first', start: 13, end: 24 },
    { text: 'finding.port>=[1 .. 2]', message: "a list or range takes ':' in front", start: 12, end: 15 },
    { text: 'finding.cveId:log4j', message: 'finding.cveId takes CVE ids such as CVE-2021-44228', start: 14, end: 19 },
    { text: 'asset.ip:10.0.0.256', message: 'asset.ip takes an IPv4 or IPv6 address', start: 9, end: 19 },
    { text: 'asset.ip:10.0.*', message: 'asset.ip takes an IPv4 or IPv6 address', start: 9, end: 15 },
    { text: 'asset.ip:[10.0.0.1 .. ::1]', message: 'mixes IPv4 and IPv6', start: 9, end: 26 },
    { text: 'asset.ip>10.0.0.0/8', message: "does not take '>'", start: 8, end: 19 },
    { text: 'finding.riskAcceptance.type:ACCEPTED', message: 'one of RISK_ACCEPTED, FALSE_POSITIVE', start: 28, end: 36 },
    { text: 'finding.mitre.attack.technique.id>T1190', message: "does not take '>'", start: 33, end: 39 },
  ];

  it.each(cases)('$text', ({ text, message, start, end }) => {
    const error = errorOf(text);
    expect(error.message).toContain(message);
    expect([error.start, error.end]).toEqual([start, end]);
  });
});

describe('catalog', () => {
  it('lists each token once with an example that checks', () => {
    const names = TOKENS.map((token) => token.name);
    expect(new Set(names).size).toBe(names.length);
    for (const token of TOKENS) {
      expect(() => checkQuery(token.example, { now: NOW }), token.example).not.toThrow();
    }
  });

  it('keeps enum values equal to the database enums', () => {
    expect([...FINDING_STATUS_VALUES]).toEqual(findingStatus.enumValues);
    expect([...FINDING_TYPE_VALUES]).toEqual(findingType.enumValues);
    expect([...RISK_ACCEPTANCE_TYPE_VALUES]).toEqual(riskAcceptanceType.enumValues);
  });
});

describe('compileQuery parameters', () => {
  const dialect = new PgDialect();
  const compile = (text: string, entity: 'finding' | 'asset' = 'finding') => dialect.sqlToQuery(compileQuery(checkQuery(text, { now: NOW }), entity, { timeZone: 'UTC' })!);

  it('escapes LIKE characters in user text', () => {
    expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\');
    expect(wildcardPattern('a*b%c_')).toBe('a%b\\%c\\_');
  });

  it('binds the value of every token type as a parameter', () => {
    const query = compile('finding.title:"x\' or 1=1 --" AND asset.tags.name:`t"; drop` AND finding.cveId:[CVE-2021-1234] AND asset.ip:10.0.0.0/8');
    expect(query.sql).not.toContain("1=1");
    expect(query.sql).not.toContain('drop');
    // Conditions on the finding come first; the asset conditions follow inside one EXISTS.
    expect(query.params).toEqual(['%x\' or 1=1 --%', 'CVE-2021-1234', 't"; drop', '10.0.0.0/8']);
  });

  it('puts no query text into SQL for any value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((value) => /[^\s]/.test(value)), (value) => {
        const quoted = `"${value.replace(/["\\]/g, '\\$&')}"`;
        const query = compile(`finding.title:${quoted} OR asset.name:${quoted} OR asset.tags.name:${quoted}`, 'asset');
        const sqlWithoutNames = query.sql.replace(/"[a-z_]+"/g, '');
        if (value.length > 3) expect(sqlWithoutNames).not.toContain(value);
        expect(query.params.length).toBe(3);
      }),
      { numRuns: 500 },
    );
  });

  it('uses EXISTS for many-to-many relations and the other entity', () => {
    expect(compile('asset.tags.name:prod').sql).toMatch(/^exists \(select 1 from "asset_tags" "q_asset_tag" .* where "q_asset_tag"."asset_id" = "findings"."asset_id"/);
    expect(compile('asset.tags.name:prod', 'asset').sql).toMatch(/^exists \(select 1 from "asset_tags" "q_asset_tag" .* where "q_asset_tag"."asset_id" = "assets"."id"/);
    expect(compile('asset.internetFacing:true').sql).toMatch(/^exists \(select 1 from "assets" "q_asset" where "q_asset"."id" = "findings"."asset_id"/);
    expect(compile('finding.isKev:true', 'asset').sql).toMatch(/^exists \(select 1 from "findings" "q_finding" where "q_finding"."asset_id" = "assets"."id"/);
    expect(compile('NOT finding.isKev:true', 'asset').sql).toMatch(/^\(not exists/);
  });

  it('looks up ATT&CK data through every CVE of the finding', () => {
    const technique = compile('finding.mitre.attack.technique.id:t1190');
    expect(technique.sql).toMatch(/^exists \(select 1 from "cve_attack_techniques" "q_technique_map" left join "attack_techniques" .* any\(array_append\("findings"."cve_ids", "findings"."cve_id"\)\)/);
    expect(technique.params).toEqual(['t1190']);
    expect(compile('finding.mitre.attack.tactic.name:execution').sql).toContain('unnest("q_tactic_technique"."tactics")');
    expect(compile('finding.mitre.attack.group.name:"fancy bear"').sql).toContain('array_prepend("q_named_group"."name", "q_named_group"."aliases")');
    expect(compile('finding.mitre.attack.group.id:G0007', 'asset').sql).toMatch(/^exists \(select 1 from "findings" "q_finding" .* any\(array_append\("q_finding"."cve_ids", "q_finding"."cve_id"\)\)/);
  });

  it('compiles a CVE list to an array overlap that an index can serve', () => {
    expect(compile('finding.cveId:[CVE-2021-44228, CVE-2021-45046]').sql).toBe('"findings"."cve_ids" && array[$1, $2]::text[]');
  });

  it('returns undefined for an empty query', () => {
    expect(compileQuery(checkQuery('  ') as CheckedNode | null, 'finding', { timeZone: 'UTC' })).toBeUndefined();
  });
});
