import { describe, expect, it } from 'vitest';
import { assetNameFromFile, fileNameStem, hostFromFileStem } from '../../lib/ingest/formats/asset-name-from-file';
import { ReportError } from '../../lib/ingest/report-error';

describe('fileNameStem', () => {
  const cases: [string, string][] = [
    ['scans/node-1.json', 'node-1'],
    ['C:\\reports\\shop-web.sarif', 'shop-web'],
    ['builds/shop-api.sarif.json', 'shop-api'],
    ['scan.nessus', 'scan'],
    ['scan.nessus.zip', 'scan'],
    ['audit.JSON.GZ', 'audit'],
    ['qualys-was.xml', 'qualys-was'],
    ['wiz.csv', 'wiz'],
    ['results.jsonl', 'results'],
    ['10.0.0.5.json', '10.0.0.5'],
    ['10.0.0.5', '10.0.0.5'],
    ['db.example.com', 'db.example.com'],
    ['db.example.com.xml', 'db.example.com'],
    ['.json', '.json'],
    ['  spaced.json  ', 'spaced'],
    ['project', 'project'],
  ];

  it.each(cases)('%s', (fileName, stem) => {
    expect(fileNameStem(fileName)).toBe(stem);
  });
});

describe('assetNameFromFile', () => {
  it('returns the stem', () => {
    expect(assetNameFromFile('reports/app.sarif', 'SARIF', 'repository')).toBe('app');
  });

  it.each([undefined, '', 'folder/'])('rejects missing file name %j', (fileName) => {
    const error = (() => {
      try {
        assetNameFromFile(fileName, 'npm audit', 'project');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ReportError);
    expect((error as ReportError).message).toBe('npm audit report names no project, and the import has no file name to name the asset after');
  });
});

describe('hostFromFileStem', () => {
  it('reads an IPv4 stem as the address', () => {
    expect(hostFromFileStem('k', '10.0.0.5', {})).toMatchObject({ name: '10.0.0.5', ipv4: ['10.0.0.5'] });
  });

  it('reads an IPv6 stem as the address', () => {
    expect(hostFromFileStem('k', 'FE80::1', {})).toMatchObject({ ipv6: ['fe80::1'] });
  });

  it('reads any other stem as the hostname', () => {
    const asset = hostFromFileStem('k', 'node-1', { scanner: 'kube-bench' });
    expect(asset).toEqual({ reportKey: 'k', name: 'node-1', kind: 'host', hostname: 'node-1', raw: { scanner: 'kube-bench' } });
  });
});
