import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuery } from '../../lib/query/check';
import { QueryError } from '../../lib/query/errors';
import { MAX_NESTING, MAX_QUERY_LENGTH, parseQuery, type QueryNode } from '../../lib/query/parser';

/** Renders a tree compactly, so table rows can state the expected structure in one string. */
function show(node: QueryNode | null): string {
  if (!node) return 'empty';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind}(${node.children.map(show).join(', ')})`;
    case 'not':
      return `not(${show(node.child)})`;
    case 'condition': {
      const value = node.value;
      const scalar = (item: { text: string; quoting: string }) => (item.quoting === 'bare' ? item.text : `${item.quoting}:${item.text}`);
      const rendered =
        value.kind === 'scalar'
          ? scalar(value)
          : value.kind === 'list'
            ? `[${value.items.map(scalar).join('|')}]`
            : `${value.lowInclusive ? '[' : '('}${scalar(value.low)}..${scalar(value.high)}${value.highInclusive ? ']' : ')'}`;
      return `${node.token.name}${node.operator}${rendered}`;
    }
  }
}

describe('parseQuery structure', () => {
  const cases: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['finding.severity:high', 'finding.severity:high'],
    ['finding.title:"remote code"', 'finding.title:quoted:remote code'],
    ['finding.title:`exact value`', 'finding.title:backtick:exact value'],
    ['finding.title:"say \\"hi\\" \\\\ now"', 'finding.title:quoted:say "hi" \\ now'],
    ['finding.detectionScore>70', 'finding.detectionScore>70'],
    ['finding.detectionScore>=70', 'finding.detectionScore>=70'],
    ['finding.detectionScore<70', 'finding.detectionScore<70'],
    ['finding.detectionScore<=70', 'finding.detectionScore<=70'],
    ['finding.detectionScore=70', 'finding.detectionScore=70'],
    ['finding.port:[1 .. 1024]', 'finding.port:[1..1024]'],
    ['finding.port:(1..1024)', 'finding.port:(1..1024)'],
    ['finding.port:[1 .. 1024)', 'finding.port:[1..1024)'],
    ['finding.status:[new, reopened]', 'finding.status:[new|reopened]'],
    ['finding.title:["a b", `c`]', 'finding.title:[quoted:a b|backtick:c]'],
    ['asset.ip:2001:db8::1', 'asset.ip:2001:db8::1'],
    ['asset.ip:[10.0.0.1 .. 10.0.0.9]', 'asset.ip:[10.0.0.1..10.0.0.9]'],
    ['asset.ip:10.0.0.0/8', 'asset.ip:10.0.0.0/8'],
    ['finding.lastFoundDate>=2026-01-01T10:00:00Z', 'finding.lastFoundDate>=2026-01-01T10:00:00Z'],
    ['finding.lastFoundDate>now-30d', 'finding.lastFoundDate>now-30d'],
    ['a:1 AND b:2', 'and(a:1, b:2)'],
    ['a:1 b:2', 'and(a:1, b:2)'],
    ['a:1 and b:2 or c:3', 'or(and(a:1, b:2), c:3)'],
    ['a:1 OR b:2 AND c:3', 'or(a:1, and(b:2, c:3))'],
    ['(a:1 OR b:2) AND c:3', 'and(or(a:1, b:2), c:3)'],
    ['NOT a:1 AND b:2', 'and(not(a:1), b:2)'],
    ['NOT (a:1 OR b:2)', 'not(or(a:1, b:2))'],
    ['not not a:1', 'not(not(a:1))'],
    ['a:1 AND (b:2 AND c:3)', 'and(a:1, b:2, c:3)'],
    ['android.x:1 ORACLE.y:2', 'and(android.x:1, ORACLE.y:2)'],
    ['a:*log4j*', 'a:*log4j*'],
    ['finding.mitre.attack.technique.id:[T1190, T1059.001]', 'finding.mitre.attack.technique.id:[T1190|T1059.001]'],
    ['finding.mitre.attack.group.name:"fancy bear" OR finding.mitre.attack.tactic.name:impact', 'or(finding.mitre.attack.group.name:quoted:fancy bear, finding.mitre.attack.tactic.name:impact)'],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(show(parseQuery(text))).toBe(expected);
  });

  it('records token and value spans', () => {
    const node = parseQuery('x:1 OR finding.title:"ab"');
    expect(node?.kind).toBe('or');
    const condition = node?.kind === 'or' ? node.children[1] : undefined;
    expect(condition?.kind === 'condition' ? [condition.token.start, condition.token.end, condition.value.start, condition.value.end] : []).toEqual([7, 20, 21, 25]);
  });
});

describe('parseQuery errors', () => {
  const cases: { text: string; message: string; start: number; end: number }[] = [
    { text: '(a:1', message: "the parenthesis opened at character 1 is not closed; add ')'", start: 0, end: 1 },
    { text: 'a:1)', message: "unexpected ')' at character 4: no parenthesis is open", start: 3, end: 4 },
    { text: 'a:"open', message: 'the quote opened at character 3 is not closed', start: 2, end: 7 },
    { text: 'a:`open', message: 'the backtick opened at character 3 is not closed', start: 2, end: 7 },
    { text: 'a:[1, 2', message: "the list or range opened at character 3 is not closed; add ']'", start: 2, end: 7 },
    { text: 'a:(1 .. 2', message: "the list or range opened at character 3 is not closed; add ')'", start: 2, end: 9 },
    { text: 'a: 1', message: "a value is missing after ':' at character 2", start: 1, end: 4 },
    { text: 'a:', message: "a value is missing after ':' at character 2", start: 1, end: 2 },
    { text: 'a>=)', message: "a value is missing after '>=' at character 2", start: 1, end: 4 },
    { text: 'a', message: "'a' at character 1 needs an operator and a value", start: 0, end: 1 },
    { text: 'a:1 AND', message: 'a condition is missing after AND at character 5', start: 7, end: 7 },
    { text: 'a:1 OR OR b:2', message: 'a condition is missing after OR at character 5', start: 7, end: 9 },
    { text: 'a:(1, 2)', message: 'a list is written in square brackets', start: 2, end: 8 },
    { text: 'a:[1 .. ]', message: "unexpected ']' at character 9 in a list or range", start: 8, end: 9 },
    { text: 'a>[1 .. 2]', message: "a list or range takes ':' in front", start: 1, end: 3 },
    { text: 'a:1 "loose"', message: "unexpected character '\"' at character 5", start: 4, end: 5 },
    { text: '()', message: "unexpected ')' at character 2", start: 1, end: 2 },
  ];

  it.each(cases)('$text', ({ text, message, start, end }) => {
    let caught: unknown;
    try {
      parseQuery(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QueryError);
    const error = caught as QueryError;
    expect(error.message).toContain(message);
    expect([error.start, error.end]).toEqual([start, end]);
  });

  it('rejects queries longer than the limit', () => {
    expect(() => parseQuery(`a:${'x'.repeat(MAX_QUERY_LENGTH)}`)).toThrow(QueryError);
  });

  it('rejects nesting deeper than the limit', () => {
    const depth = MAX_NESTING + 1;
    expect(() => parseQuery(`${'('.repeat(depth)}a:1${')'.repeat(depth)}`)).toThrow(/nested more than/);
  });

  it('parses long runs of NOT without recursion', () => {
    expect(show(parseQuery(`${'NOT '.repeat(900)}a:1`)).startsWith('not(not(')).toBe(true);
  });
});

describe('parseQuery on any input', () => {
  const alphabet = fc.constantFrom(...'abc.:=<>!()[]{},"`\\*%_ -\'/;\n\t0123456789ANDORNOT'.split(''), ' AND ', ' OR ', 'NOT ', 'finding.severity', '..', '\u0000', '😀');

  it('returns a tree or throws QueryError with a span inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''))), (text) => {
        try {
          parseQuery(text);
        } catch (error) {
          if (!(error instanceof QueryError)) throw error;
          expect(error.start).toBeGreaterThanOrEqual(0);
          expect(error.end).toBeLessThanOrEqual(text.length);
          expect(error.start).toBeLessThanOrEqual(error.end);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('type-checks or throws QueryError for any token and value', () => {
    const pieces = fc.constantFrom(
      'finding.severity',
      'finding.lastFoundDate',
      'asset.ip',
      'finding.epssScore',
      'finding.cveId',
      'asset.tags.name',
      'finding.isKev',
      ':',
      '>=',
      '<',
      '=',
      '[',
      ']',
      '(',
      ')',
      ' .. ',
      ', ',
      ' AND ',
      ' OR ',
      'NOT ',
      'now-3M',
      '2026-02-29',
      '2024-02-29T24:00:00Z',
      '10.0.0.0/33',
      '::1',
      '-1',
      '1e9',
      '99999999999',
      'critical',
      '*',
      '"x"',
      '`y`',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        try {
          checkQuery(parts.join(''));
        } catch (error) {
          if (!(error instanceof QueryError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
