import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../lib/ingest/detect-format';
import { DEFAULT_REPORT_ASSET_NAME, genericJsonParser } from '../../lib/ingest/formats/generic-json';
import { chunksOf, parseError, parseText, readFixture } from './parse-report';

describe('generic JSON parser', () => {
  it('records a finding per endpoint host and port', async () => {
    const report = await parseText(genericJsonParser, readFixture('generic/findings.json'));
    expect(report.metadata.source).toBe('Generic Findings Import');
    expect(report.metadata.title).toBe('Custom SAST');
    expect(report.assets.map((asset) => asset.name)).toEqual(['app.example.com', '10.1.2.3', 'Custom SAST']);
    expect(report.assets[0]?.fqdn).toBe('app.example.com');
    expect(report.assets[1]?.ipv4).toEqual(['10.1.2.3']);
    expect(report.assets[2]?.kind).toBe('application');
    expect(report.assets[2]?.raw).toEqual({ type: 'sast' });

    const sqli = report.findings.filter((finding) => finding.title === 'SQL injection');
    expect(sqli.map((finding) => [finding.assetKey, finding.port])).toEqual([
      ['app.example.com', 443],
      ['10.1.2.3', 8443],
    ]);
  });

  it('maps the finding fields', async () => {
    const report = await parseText(genericJsonParser, readFixture('generic/findings.json'));
    const finding = report.findings[0];
    expect(finding?.severity).toBe(4);
    expect(finding?.description).toBe('Query built from request input');
    expect(finding?.solution).toBe('Use bound parameters');
    expect(finding?.cveId).toBe('CVE-2021-44228');
    expect(finding?.cveIds).toEqual(['CVE-2021-44228']);
    expect(finding?.cweIds).toEqual(['CWE-89']);
    expect(finding?.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(finding?.cvss3BaseScore).toBe(10);
    expect(finding?.vendorId).toBe('SQLI-1');
    expect(finding?.sourceFindingId).toBe('f-1');
    expect(finding?.fixedVersion).toBe('2.17.1');
    expect(finding?.technology).toEqual({ product: 'log4j-core', version: '2.14.1', path: 'lib/log4j-core-2.14.1.jar' });
    expect(finding?.references).toEqual(['https://cwe.mitre.org/data/definitions/89.html']);
    expect(finding?.firstSeen?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(finding?.protocol).toBe('tcp');
    expect(finding?.vulnerabilities).toEqual([
      {
        cveId: 'CVE-2021-44228',
        cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        cvss3BaseScore: 10,
        cweIds: ['CWE-89'],
        epssScore: 0.94,
        epssPercentile: 0.99,
        kev: { dateAdded: new Date('2021-12-10'), ransomwareUse: true },
      },
    ]);
  });

  it('keeps unmapped fields and flags false positives', async () => {
    const report = await parseText(genericJsonParser, readFixture('generic/findings.json'));
    const raw = report.findings[0]?.raw ?? {};
    expect(raw.impact).toBe('Data theft');
    expect(raw.tags).toEqual(['java']);
    expect(raw.vulnerabilityIds).toEqual(['GHSA-jfh8-c2jp-5v3q']);
    expect(raw.references).toBe('https://cwe.mitre.org/data/definitions/89.html and more text');
    expect(raw.falsePositive).toBe(true);
    expect(raw.suppressed).toBe(true);
    expect(raw.endpoint).toBe('https://app.example.com/login');
    expect(report.findings[2]?.raw).toEqual({ file_path: 'src/config.ts', line: 12 });
  });

  it('waits for a name that follows the findings', async () => {
    const text = '{"findings":[{"title":"A","severity":"Low","description":"d"},{"title":"B","severity":"Info","description":"d","endpoints":["h1"]}],"name":"Late name"}';
    const report = await parseText(genericJsonParser, text, 7);
    expect(report.assets.map((asset) => asset.name)).toEqual(['h1', 'Late name']);
    expect(report.findings.map((finding) => finding.title)).toEqual(['B', 'A']);
    expect(report.assets[0]?.hostname).toBe('h1');
  });

  it('names an unnamed report after the file', async () => {
    const text = '{"findings":[{"title":"A","severity":"critical","description":"d"}]}';
    const records = [];
    for await (const record of genericJsonParser.parse(chunksOf(text, 11), () => undefined, { fileName: 'scans/shop.json' })) records.push(record);
    expect(records[0]).toMatchObject({ kind: 'asset', asset: { name: 'shop', kind: 'application' } });
    expect(records[1]).toMatchObject({ kind: 'finding', finding: { severity: 5 } });
  });

  it('names the report asset without a file name', async () => {
    const report = await parseText(genericJsonParser, '{"findings":[{"title":"A","severity":"critical","description":"d"}]}');
    expect(report.assets.map((asset) => asset.name)).toEqual([DEFAULT_REPORT_ASSET_NAME]);
  });
});

describe('generic JSON errors', () => {
  const cases: [string, string, RegExp, string | undefined][] = [
    ['a missing title', '{"findings":[{"severity":"Low","description":"d"}]}', /findings\[0\]\.title/, 'findings[0].title'],
    ['an unknown severity', '{"findings":[{"title":"A","severity":"Severe","description":"d"}]}', /unknown Generic Findings Import severity "Severe"/, 'findings[0].severity'],
    ['a bad port', '{"findings":[{"title":"A","severity":"Low","description":"d","endpoints":[{"host":"h","port":70000}]}]}', /not a port number/, 'findings[0].endpoints[0].port'],
    ['a finding that is not an object', '{"findings":["A"]}', /must be a finding object/, 'findings[0]'],
    ['a top-level array', '[{"title":"A"}]', /expected a JSON object/, undefined],
  ];
  for (const [label, text, message, field] of cases) {
    it(`rejects ${label}`, async () => {
      const error = await parseError(genericJsonParser, text);
      expect(error.message).toMatch(message);
      expect(error.position.field).toBe(field);
    });
  }

  it('rejects an empty findings array', async () => {
    expect((await parseError(genericJsonParser, '{"name":"x","findings":[]}')).code).toBe('empty');
  });

  it('rejects a report without findings', async () => {
    expect((await parseError(genericJsonParser, '{"name":"x"}')).position.field).toBe('findings');
  });

  it('rejects truncated JSON', async () => {
    expect((await parseError(genericJsonParser, '{"findings":[{"title":"A","severity":"Low","desc')).code).toBe('malformed');
  });
});

describe('generic JSON detection', () => {
  it('detects the fixture', () => {
    expect(detectFormat(readFixture('generic/findings.json'))).toBe('generic-json');
  });

  it('detects a head cut inside a finding', () => {
    expect(detectFormat('{"name":"x","findings":[{"title":"A","severity":"Low","descr')).toBe('generic-json');
  });

  it('leaves other findings arrays alone', () => {
    expect(detectFormat('{"findings":[{"awsAccountId":"1","findingArn":"arn:aws:inspector2:x","title":"A","severity":"HIGH"}]}')).not.toBe('generic-json');
    expect(detectFormat('{"findings":[{"title":"A"}],"scanner":"x"}')).toBeUndefined();
  });
});
