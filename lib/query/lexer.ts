import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

/*
 * The lexer has three modes because a value may contain characters that separate conditions
 * elsewhere: an IPv6 address or a timestamp contains colons, and a date range contains dots.
 * `main` reads tokens, operators and keywords; `:` or a comparison switches to `value`, which
 * reads one value (or opens a list or range and switches to `list`) and returns to `main`.
 */

const TOKEN_NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
// A bare value ends at whitespace, a bracket, a comma, a quote or `..` (a range separator).
const BARE_VALUE = /(?:[^\s()[\],"`.]|\.(?!\.))+/;

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const FieldName = createToken({ name: 'FieldName', pattern: TOKEN_NAME });
export const And = createToken({ name: 'And', pattern: /and/i, longer_alt: FieldName });
export const Or = createToken({ name: 'Or', pattern: /or/i, longer_alt: FieldName });
export const Not = createToken({ name: 'Not', pattern: /not/i, longer_alt: FieldName });
export const LParen = createToken({ name: 'LParen', pattern: '(' });
export const RParen = createToken({ name: 'RParen', pattern: ')' });

export const Colon = createToken({ name: 'Colon', pattern: ':', push_mode: 'value' });
export const CompareOperator = createToken({ name: 'CompareOperator', pattern: Lexer.NA });
export const GreaterOrEqual = createToken({ name: 'GreaterOrEqual', pattern: '>=', categories: CompareOperator, push_mode: 'value' });
export const LessOrEqual = createToken({ name: 'LessOrEqual', pattern: '<=', categories: CompareOperator, push_mode: 'value' });
export const Greater = createToken({ name: 'Greater', pattern: '>', categories: CompareOperator, push_mode: 'value' });
export const Less = createToken({ name: 'Less', pattern: '<', categories: CompareOperator, push_mode: 'value' });
export const Equals = createToken({ name: 'Equals', pattern: '=', categories: CompareOperator, push_mode: 'value' });

/** Any kind of single value: bare, "quoted" or `exact`. */
export const Scalar = createToken({ name: 'Scalar', pattern: Lexer.NA });
export const Quoted = createToken({ name: 'Quoted', pattern: /"(?:[^"\\]|\\[\s\S])*"/, categories: Scalar });
export const Backticked = createToken({ name: 'Backticked', pattern: /`[^`]*`/, categories: Scalar });
// Tried after the closed forms, so they match only when no closing quote follows.
export const UnterminatedQuoted = createToken({ name: 'UnterminatedQuoted', pattern: /"(?:[^"\\]|\\[\s\S])*/, categories: Scalar });
export const UnterminatedBackticked = createToken({ name: 'UnterminatedBackticked', pattern: /`[^`]*/, categories: Scalar });
export const Bare = createToken({ name: 'Bare', pattern: BARE_VALUE, categories: Scalar });

// The same scalar tokens, but ending value mode (one value read).
const ValueQuoted = createToken({ name: 'ValueQuoted', pattern: Quoted.PATTERN, categories: [Scalar, Quoted], pop_mode: true });
const ValueBackticked = createToken({ name: 'ValueBackticked', pattern: Backticked.PATTERN, categories: [Scalar, Backticked], pop_mode: true });
const ValueUnterminatedQuoted = createToken({ name: 'ValueUnterminatedQuoted', pattern: UnterminatedQuoted.PATTERN, categories: [Scalar, UnterminatedQuoted], pop_mode: true });
const ValueUnterminatedBackticked = createToken({ name: 'ValueUnterminatedBackticked', pattern: UnterminatedBackticked.PATTERN, categories: [Scalar, UnterminatedBackticked], pop_mode: true });
const ValueBare = createToken({ name: 'ValueBare', pattern: BARE_VALUE, categories: [Scalar, Bare], pop_mode: true });
// Whitespace or `)` straight after an operator means the value is missing; both end value mode
// so the parser reports the missing value instead of reading the next word as the value.
const ValueWhiteSpace = createToken({ name: 'ValueWhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED, pop_mode: true });
const ValueRParen = createToken({ name: 'ValueRParen', pattern: ')', categories: RParen, pop_mode: true });

export const BracketOpen = createToken({ name: 'BracketOpen', pattern: Lexer.NA });
export const BracketClose = createToken({ name: 'BracketClose', pattern: Lexer.NA });
/** `[` opens a list or an inclusive range; `(` after an operator opens an exclusive range. */
export const SquareOpen = createToken({ name: 'SquareOpen', pattern: '[', categories: BracketOpen, pop_mode: true, push_mode: 'list' });
export const RoundOpen = createToken({ name: 'RoundOpen', pattern: '(', categories: BracketOpen, pop_mode: true, push_mode: 'list' });
export const SquareClose = createToken({ name: 'SquareClose', pattern: ']', categories: BracketClose, pop_mode: true });
export const RoundClose = createToken({ name: 'RoundClose', pattern: ')', categories: BracketClose, pop_mode: true });
export const Comma = createToken({ name: 'Comma', pattern: ',' });
export const DotDot = createToken({ name: 'DotDot', pattern: '..' });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  And,
  Or,
  Not,
  FieldName,
  LParen,
  RParen,
  Colon,
  CompareOperator,
  GreaterOrEqual,
  LessOrEqual,
  Greater,
  Less,
  Equals,
  Scalar,
  Quoted,
  Backticked,
  UnterminatedQuoted,
  UnterminatedBackticked,
  Bare,
  ValueQuoted,
  ValueBackticked,
  ValueUnterminatedQuoted,
  ValueUnterminatedBackticked,
  ValueBare,
  ValueWhiteSpace,
  ValueRParen,
  BracketOpen,
  BracketClose,
  SquareOpen,
  RoundOpen,
  SquareClose,
  RoundClose,
  Comma,
  DotDot,
];

export const queryLexer = new Lexer(
  {
    modes: {
      main: [WhiteSpace, And, Or, Not, FieldName, LParen, RParen, Colon, GreaterOrEqual, LessOrEqual, Greater, Less, Equals],
      value: [ValueWhiteSpace, ValueQuoted, ValueBackticked, ValueUnterminatedQuoted, ValueUnterminatedBackticked, SquareOpen, RoundOpen, ValueRParen, ValueBare],
      list: [WhiteSpace, Quoted, Backticked, UnterminatedQuoted, UnterminatedBackticked, SquareClose, RoundClose, Comma, DotDot, Bare],
    },
    defaultMode: 'main',
  },
  // Positions are all the parser and the error messages need; line tracking costs time.
  { positionTracking: 'onlyOffset', ensureOptimizations: false },
);

/** How the editor colours a lexed token. */
export type HighlightKind = 'token' | 'operator' | 'keyword' | 'value' | 'bracket' | 'error';

/** Returns the highlight class of a lexed token. */
export function highlightKind(token: IToken): HighlightKind {
  const type = token.tokenType;
  if (type === FieldName) return 'token';
  if (type === And || type === Or || type === Not) return 'keyword';
  if (type === Colon || type.CATEGORIES?.includes(CompareOperator) || type === Comma || type === DotDot) return 'operator';
  if (type === LParen || type === RParen || type === ValueRParen || type.CATEGORIES?.includes(BracketOpen) || type.CATEGORIES?.includes(BracketClose)) return 'bracket';
  if (type === UnterminatedQuoted || type === UnterminatedBackticked || type.CATEGORIES?.includes(UnterminatedQuoted) || type.CATEGORIES?.includes(UnterminatedBackticked)) return 'error';
  return 'value';
}

export function isTokenOf(token: IToken, type: TokenType): boolean {
  return token.tokenType === type || (token.tokenType.CATEGORIES?.includes(type) ?? false);
}
