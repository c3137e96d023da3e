import { describe, expect, it } from 'vitest';
import { ASSET_NAME_MAX_LENGTH, assetNameSchema, parseAssetName } from '../../lib/ingest/asset-name-schema';

describe('assetNameSchema', () => {
  it('trims the name', () => {
    expect(assetNameSchema.parse('  prod-cluster \u00a0')).toBe('prod-cluster');
  });

  it.each([
    ['a single character', 'a'],
    ['spaces inside', 'Prod cluster EU'],
    ['non-Latin letters', 'кластер-прод'],
    ['an IP address', '10.0.0.5'],
    [`${ASSET_NAME_MAX_LENGTH} characters`, 'x'.repeat(ASSET_NAME_MAX_LENGTH)],
  ])('accepts %s', (_case, name) => {
    expect(parseAssetName(name)).toEqual({ name });
  });

  it.each([
    ['an empty string', '', 'the asset name is empty'],
    ['only spaces', '   ', 'the asset name is empty'],
    [`${ASSET_NAME_MAX_LENGTH + 1} characters`, 'x'.repeat(ASSET_NAME_MAX_LENGTH + 1), `longer than ${ASSET_NAME_MAX_LENGTH} characters`],
    ['a line feed', 'a\nb', 'control character'],
    ['a carriage return', 'a\rb', 'control character'],
    ['a tab', 'a\tb', 'control character'],
    ['a NUL', 'a\u0000b', 'control character'],
    ['DEL', 'a\u007fb', 'control character'],
    ['a C1 control', 'a\u009bb', 'control character'],
  ])('rejects %s', (_case, name, message) => {
    const parsed = parseAssetName(name);
    expect(parsed.name).toBeUndefined();
    expect(parsed.error).toContain(message);
  });

  it('counts the length after trimming', () => {
    expect(parseAssetName(` ${'x'.repeat(ASSET_NAME_MAX_LENGTH)} `)).toEqual({ name: 'x'.repeat(ASSET_NAME_MAX_LENGTH) });
  });
});
