import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../lib/query/parser';
import { quoteQueryValue } from '../../lib/query/quote';

/** Parses `asset.businessEntity.name:<quoted>` and returns the value the parser read. */
function parsedValue(quoted: string): string | undefined {
  const node = parseQuery(`asset.businessEntity.name:${quoted}`);
  if (node?.kind !== 'condition' || node.value.kind !== 'scalar') return undefined;
  return node.value.text;
}

describe('quoteQueryValue', () => {
  it.each(['online store', 'say "hi"', 'back\\slash', 'a\\"b', '(brackets) [and] commas, dots..', 'AND OR NOT'])('round-trips %s', (text) => {
    expect(parsedValue(quoteQueryValue(text))).toBe(text);
  });

  it('round-trips any non-empty text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (text) => {
        expect(parsedValue(quoteQueryValue(text))).toBe(text);
      }),
    );
  });
});
