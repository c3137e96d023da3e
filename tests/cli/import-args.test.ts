import { describe, expect, it } from 'vitest';
import { parseImportArgs } from '../../lib/cli/commands/import';
import { CliUsageError } from '../../lib/cli/usage-error';

function usageError(argv: string[]): string {
  try {
    parseImportArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) return error.message;
    throw error;
  }
  throw new Error(`parseImportArgs accepted ${JSON.stringify(argv)}`);
}

describe('parseImportArgs', () => {
  it('reads files without options', () => {
    expect(parseImportArgs(['a.nessus', 'b.json'])).toEqual({ files: ['a.nessus', 'b.json'], json: false });
  });

  it('reads --asset-name', () => {
    expect(parseImportArgs(['kube-bench.json', '--asset-name', 'prod-cluster'])).toEqual({ files: ['kube-bench.json'], assetName: 'prod-cluster', json: false });
  });

  it('reads --asset-name=VALUE', () => {
    expect(parseImportArgs(['--asset-name=prod cluster', 'kube-bench.json']).assetName).toBe('prod cluster');
  });

  it('trims the asset name', () => {
    expect(parseImportArgs(['kube-bench.json', '--asset-name', '  prod-cluster  ']).assetName).toBe('prod-cluster');
  });

  it('combines --asset-name with --format and --profile', () => {
    expect(parseImportArgs(['r.json', '--format', 'trivy', '--asset-name', 'shop', '--json'])).toEqual({ files: ['r.json'], format: 'trivy', assetName: 'shop', json: true });
    expect(parseImportArgs(['r.json', '--profile', 'kube-bench prod', '--asset-name', 'eu'])).toEqual({ files: ['r.json'], profile: 'kube-bench prod', assetName: 'eu', json: false });
  });

  it('rejects an empty asset name', () => {
    expect(usageError(['kube-bench.json', '--asset-name', ' '])).toBe('--asset-name: the asset name is empty; give a name of 1 to 255 characters, or leave the option out');
  });

  it('rejects a long asset name', () => {
    expect(usageError(['kube-bench.json', '--asset-name', 'x'.repeat(256)])).toContain('longer than 255 characters');
  });

  it('rejects a control character', () => {
    expect(usageError(['kube-bench.json', '--asset-name', 'prod\ncluster'])).toContain('control character');
  });

  it('rejects --asset-name without a value', () => {
    expect(() => parseImportArgs(['kube-bench.json', '--asset-name'])).toThrow(/--asset-name/);
  });

  it('keeps the other usage errors', () => {
    expect(usageError(['--asset-name', 'x'])).toBe('import needs at least one FILE');
    expect(usageError(['a.csv', '--profile', 'p', '--format', 'nessus'])).toContain('--profile needs a connector profile name and replaces --format');
    expect(usageError(['a.xml', '--format', 'nope'])).toContain('unknown format "nope"');
  });
});
