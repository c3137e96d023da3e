import { EmbeddedActionsParser, EOF, type IRecognitionException, type IToken } from 'chevrotain';
import { at, QueryError } from './errors';
import {
  ALL_TOKENS,
  And,
  Backticked,
  BracketClose,
  BracketOpen,
  Colon,
  Comma,
  CompareOperator,
  DotDot,
  FieldName,
  isTokenOf,
  LParen,
  Not,
  Or,
  queryLexer,
  Quoted,
  RParen,
  RoundClose,
  RoundOpen,
  Scalar,
  UnterminatedBackticked,
  UnterminatedQuoted,
} from './lexer';

/** Longest query accepted; longer ones are rejected before parsing, which bounds parse time. */
export const MAX_QUERY_LENGTH = 4000;
/** Deepest nesting of parentheses; deeper queries would only risk the parser's stack. */
export const MAX_NESTING = 32;

export type Operator = ':' | '=' | '>' | '>=' | '<' | '<=';

export interface Span {
  start: number;
  end: number;
}

/** One value as written: bare, "quoted" (escapes resolved) or `backticked` (exact). */
export interface ScalarValue extends Span {
  kind: 'scalar';
  text: string;
  quoting: 'bare' | 'quoted' | 'backtick';
}

export interface ListValue extends Span {
  kind: 'list';
  items: ScalarValue[];
}

export interface RangeValue extends Span {
  kind: 'range';
  low: ScalarValue;
  high: ScalarValue;
  lowInclusive: boolean;
  highInclusive: boolean;
}

export type ValueNode = ScalarValue | ListValue | RangeValue;

export interface ConditionNode extends Span {
  kind: 'condition';
  token: { name: string } & Span;
  operator: Operator;
  value: ValueNode;
}

export type QueryNode = ConditionNode | ({ kind: 'and' | 'or'; children: QueryNode[] } & Span) | ({ kind: 'not'; child: QueryNode } & Span);

const OPERATORS: Record<string, Operator> = { ':': ':', '=': '=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

function scalarFrom(token: IToken): ScalarValue {
  const span = { start: token.startOffset, end: tokenEnd(token) };
  if (isTokenOf(token, Quoted)) {
    // `\"` and `\\` stand for themselves; any other backslash is kept as typed.
    const text = token.image.slice(1, -1).replace(/\\(["\\])/g, '$1');
    return { kind: 'scalar', text, quoting: 'quoted', ...span };
  }
  if (isTokenOf(token, Backticked)) return { kind: 'scalar', text: token.image.slice(1, -1), quoting: 'backtick', ...span };
  return { kind: 'scalar', text: token.image, quoting: 'bare', ...span };
}

type BracketParts = { open: IToken; first: ScalarValue; high?: ScalarValue; rest: ScalarValue[]; close: IToken };

class QueryParser extends EmbeddedActionsParser {
  constructor() {
    super(ALL_TOKENS, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  query = this.RULE('query', (): QueryNode | null => {
    let node: QueryNode | null = null;
    this.OPTION(() => {
      node = this.SUBRULE(this.orExpression);
    });
    return node;
  });

  private orExpression = this.RULE('orExpression', (): QueryNode => {
    const children: QueryNode[] = [this.SUBRULE(this.andExpression)];
    this.MANY(() => {
      this.CONSUME(Or);
      children.push(this.SUBRULE2(this.andExpression));
    });
    return this.ACTION(() => combine('or', children));
  });

  // Juxtaposition means AND: `a:1 b:2` is `a:1 AND b:2`.
  private andExpression = this.RULE('andExpression', (): QueryNode => {
    const children: QueryNode[] = [this.SUBRULE(this.unary)];
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(And));
      children.push(this.SUBRULE2(this.unary));
    });
    return this.ACTION(() => combine('and', children));
  });

  // NOT is read in a loop, not by recursion, so a long run of NOTs cannot exhaust the stack.
  private unary = this.RULE('unary', (): QueryNode => {
    const nots: IToken[] = [];
    this.MANY(() => {
      nots.push(this.CONSUME(Not));
    });
    const operand = this.SUBRULE(this.primary);
    return this.ACTION(() => nots.reduceRight<QueryNode>((child, not) => ({ kind: 'not', child, start: not.startOffset, end: child.end }), operand));
  });

  private primary = this.RULE('primary', (): QueryNode => {
    return this.OR([
      {
        ALT: () => {
          const open = this.CONSUME(LParen);
          const inner = this.SUBRULE(this.orExpression);
          const close = this.CONSUME(RParen);
          return this.ACTION(() => ({ ...inner, start: open.startOffset, end: tokenEnd(close) }));
        },
      },
      { ALT: () => this.SUBRULE(this.condition) },
    ]);
  });

  private condition = this.RULE('condition', (): ConditionNode => {
    const field = this.CONSUME(FieldName);
    let operatorToken!: IToken;
    let value!: ValueNode;
    this.OR([
      {
        ALT: () => {
          operatorToken = this.CONSUME(Colon);
          value = this.OR2([
            {
              ALT: () => {
                const scalar = this.CONSUME(Scalar);
                return this.ACTION(() => scalarFrom(scalar));
              },
            },
            { ALT: () => this.SUBRULE(this.bracketed) },
          ]);
        },
      },
      {
        ALT: () => {
          operatorToken = this.CONSUME(CompareOperator);
          const scalar = this.CONSUME2(Scalar);
          value = this.ACTION(() => scalarFrom(scalar));
        },
      },
    ]);
    return this.ACTION(() => ({
      kind: 'condition' as const,
      token: { name: field.image, start: field.startOffset, end: tokenEnd(field) },
      operator: OPERATORS[operatorToken.image] ?? ':',
      value,
      start: field.startOffset,
      end: value.end,
    }));
  });

  private bracketed = this.RULE('bracketed', (): ValueNode => {
    const open = this.CONSUME(BracketOpen);
    const firstToken = this.CONSUME(Scalar);
    const first = this.ACTION(() => scalarFrom(firstToken));
    let high: ScalarValue | undefined;
    const rest: ScalarValue[] = [];
    this.OR([
      {
        ALT: () => {
          this.CONSUME(DotDot);
          const token = this.CONSUME2(Scalar);
          high = this.ACTION(() => scalarFrom(token));
        },
      },
      {
        ALT: () => {
          this.MANY(() => {
            this.CONSUME(Comma);
            const token = this.CONSUME3(Scalar);
            this.ACTION(() => rest.push(scalarFrom(token)));
          });
        },
      },
    ]);
    const close = this.CONSUME(BracketClose);
    return this.ACTION(() => bracketValue({ open, first, high, rest, close }));
  });
}

function combine(kind: 'and' | 'or', children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0]!;
  // Flatten `a AND (b AND c)` into one node, so compiled SQL and error spans stay simple.
  const flat = children.flatMap((child) => (child.kind === kind ? (child as { children: QueryNode[] }).children : [child]));
  return { kind, children: flat, start: children[0]!.start, end: children[children.length - 1]!.end };
}

function bracketValue(parts: BracketParts): ValueNode {
  const start = parts.open.startOffset;
  const end = tokenEnd(parts.close);
  if (parts.high) {
    return {
      kind: 'range',
      low: parts.first,
      high: parts.high,
      lowInclusive: !isTokenOf(parts.open, RoundOpen),
      highInclusive: !isTokenOf(parts.close, RoundClose),
      start,
      end,
    };
  }
  // A list is recognised here and its brackets checked after parsing, in `checkBrackets`.
  return { kind: 'list', items: [parts.first, ...parts.rest], start, end };
}

// One parser instance serves every call: chevrotain parsers are reusable once `input` is reset.
let parser: QueryParser | undefined;

/**
 * Parses a query into a syntax tree, or returns null for an empty query (which matches every
 * row). Throws QueryError, and nothing else, for any text that is not a query.
 */
export function parseQuery(text: string): QueryNode | null {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError(`the query is ${text.length} characters long; shorten it to at most ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH, text.length);
  }

  const lexed = queryLexer.tokenize(text);
  const lexError = lexed.errors[0];
  if (lexError) {
    const previous = lexed.tokens.filter((token) => token.startOffset < lexError.offset).pop();
    if (previous && isOperator(previous)) throw missingValue(previous, lexError.offset + Math.max(1, lexError.length));
    const character = text.slice(lexError.offset, lexError.offset + 1);
    throw new QueryError(
      `unexpected character '${character}' ${at(lexError.offset)}; a query is made of conditions such as finding.severity:high, joined by AND, OR, NOT and parentheses (quote values that contain spaces or brackets)`,
      lexError.offset,
      lexError.offset + Math.max(1, lexError.length),
    );
  }

  checkLexedTokens(lexed.tokens, text);

  parser ??= new QueryParser();
  parser.input = lexed.tokens;
  const tree = parser.query();
  const parseError = parser.errors[0];
  if (parseError) throw explainParseError(parseError, lexed.tokens, text);

  if (tree) checkBrackets(tree, text);
  return tree;
}

/** Rejects unterminated quotes, unbalanced parentheses and brackets, and nesting beyond MAX_NESTING. */
function checkLexedTokens(tokens: IToken[], text: string): void {
  const open: IToken[] = [];
  let bracket: IToken | undefined;

  let previous: IToken | undefined;
  for (const token of tokens) {
    checkToken(token, previous);
    previous = token;
  }

  function checkToken(token: IToken, previous: IToken | undefined): void {
    if (isTokenOf(token, UnterminatedQuoted)) {
      throw new QueryError(`the quote opened ${at(token.startOffset)} is not closed; add a closing " (write \\" for a quote inside the value)`, token.startOffset, text.length);
    }
    if (isTokenOf(token, UnterminatedBackticked)) {
      throw new QueryError(`the backtick opened ${at(token.startOffset)} is not closed; add a closing \``, token.startOffset, text.length);
    }
    if (isTokenOf(token, BracketOpen)) bracket = token;
    if (isTokenOf(token, BracketClose)) bracket = undefined;
    if (isTokenOf(token, LParen)) {
      open.push(token);
      if (open.length > MAX_NESTING) {
        throw new QueryError(`parentheses are nested more than ${MAX_NESTING} deep ${at(token.startOffset)}; simplify the query`, token.startOffset, token.startOffset + 1);
      }
    }
    if (isTokenOf(token, RParen)) {
      if (previous && isOperator(previous)) throw missingValue(previous, tokenEnd(token));
      if (!open.pop()) {
        throw new QueryError(`unexpected ')' ${at(token.startOffset)}: no parenthesis is open; remove it or add '(' before it`, token.startOffset, token.startOffset + 1);
      }
    }
  }

  if (bracket) {
    const close = isTokenOf(bracket, RoundOpen) ? ')' : ']';
    throw new QueryError(`the list or range opened ${at(bracket.startOffset)} is not closed; add '${close}'`, bracket.startOffset, text.length);
  }
  const unclosed = open[open.length - 1];
  if (unclosed) {
    throw new QueryError(`the parenthesis opened ${at(unclosed.startOffset)} is not closed; add ')'`, unclosed.startOffset, unclosed.startOffset + 1);
  }
}

function isOperator(token: IToken): boolean {
  return isTokenOf(token, Colon) || isTokenOf(token, CompareOperator);
}

function listNeedsColon(operator: IToken, end: number): QueryError {
  return new QueryError(`a list or range takes ':' in front, e.g. finding.port:[1 .. 1024]; '${operator.image}' ${at(operator.startOffset)} takes one value`, operator.startOffset, end);
}

function missingValue(operator: IToken, end: number): QueryError {
  return new QueryError(
    `a value is missing after '${operator.image}' ${at(operator.startOffset)}; write it right after the operator with no space, e.g. finding.severity:high or finding.title:"two words"`,
    operator.startOffset,
    end,
  );
}

function explainParseError(error: IRecognitionException, tokens: IToken[], text: string): QueryError {
  const token = error.token;
  const atEnd = token.tokenType === EOF || Number.isNaN(token.startOffset);
  const start = atEnd ? text.length : token.startOffset;
  const end = atEnd ? text.length : tokenEnd(token);
  const where = atEnd ? 'at the end of the query' : at(start);
  const found = atEnd ? 'the end of the query' : `'${token.image}'`;
  const previous = atEnd ? tokens[tokens.length - 1] : tokens[tokens.indexOf(token) - 1];
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1];

  if (previous && isTokenOf(previous, CompareOperator) && isTokenOf(token, BracketOpen)) return listNeedsColon(previous, end);
  if (previous && isOperator(previous)) return missingValue(previous, end);
  if (previous && isTokenOf(previous, FieldName) && rule === 'condition') {
    return new QueryError(
      `'${previous.image}' ${at(previous.startOffset)} needs an operator and a value, e.g. ${previous.image}:value; the operators are :, =, >, >=, < and <=`,
      previous.startOffset,
      tokenEnd(previous),
    );
  }
  if (previous && (isTokenOf(previous, And) || isTokenOf(previous, Or) || isTokenOf(previous, Not))) {
    return new QueryError(`a condition is missing after ${previous.image.toUpperCase()} ${at(previous.startOffset)}; found ${found}`, start, end);
  }
  if (rule === 'bracketed') {
    return new QueryError(`unexpected ${found} ${where} in a list or range; write a list as [a, b] and a range as [low .. high]`, start, end);
  }
  if (isTokenOf(token, Scalar)) {
    return new QueryError(`unexpected value ${found} ${where}: a value needs a token in front, e.g. finding.title:${token.image}`, start, end);
  }
  return new QueryError(`unexpected ${found} ${where}; expected a condition such as finding.severity:high, NOT, or '('`, start, end);
}

/** Lists take square brackets and ranges take square or round ones; the lexer lets both open either. */
function checkBrackets(node: QueryNode, text: string): void {
  if (node.kind === 'not') {
    checkBrackets(node.child, text);
    return;
  }
  if (node.kind !== 'condition') {
    for (const child of node.children) checkBrackets(child, text);
    return;
  }
  const value = node.value;
  if (value.kind !== 'list') return;
  const open = text[value.start];
  const close = text[value.end - 1];
  if (open !== '[' || close !== ']') {
    throw new QueryError(`a list is written in square brackets, e.g. [high, critical]; round brackets ${at(value.start)} only make exclusive ranges such as (1 .. 10)`, value.start, value.end);
  }
}
