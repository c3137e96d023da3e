import { describe, expect, it } from 'vitest';
import { profileInputSchema, type GenericCsvSettings, type ProfileInput } from '../../lib/connector-profiles/profile-schema';
import { PROFILE_PRESETS, presetForHeader } from '../../lib/connector-profiles/presets';
import { createGenericCsvParser } from '../../lib/ingest/formats/generic-csv';
import { parseHintedDate } from '../../lib/ingest/formats/generic-csv-values';
import { parseError, parseText, readFixture } from './parse-report';

const ACME: ProfileInput = {
  name: 'ACME',
  sourceName: 'ACME Scanner',
  mapping: {
    Host: 'asset.fqdn',
    Address: 'asset.ip',
    'Operating system': 'asset.os',
    Check: 'finding.vendorId',
    Name: 'finding.title',
    Sev: 'finding.severity',
    CVEs: 'finding.cve',
    CWE: 'finding.cwe',
    CVSS3: 'finding.cvss3Vector',
    Score: 'finding.cvss3Score',
    EPSS: 'finding.epss',
    Port: 'finding.port',
    Proto: 'finding.protocol',
    Package: 'finding.packageName',
    Version: 'finding.packageVersion',
    'Fixed in': 'finding.fixedVersion',
    Links: 'finding.references',
    Found: 'finding.firstSeen',
    Seen: 'finding.lastSeen',
  },
  csv: { delimiter: ';', skipLines: 1, hasHeaderRow: true, dateFormat: 'DD/MM/YYYY', severityMap: { 'Sev 4': 'high', 'Sev 2': 'low' } },
};

function settings(input: ProfileInput): GenericCsvSettings {
  return profileInputSchema.parse(input);
}

describe('generic CSV parser', () => {
  it('maps every mapped column', async () => {
    const report = await parseText(createGenericCsvParser(settings(ACME)), readFixture('generic/acme-scanner.csv'));
    expect(report.metadata.source).toBe('ACME Scanner');
    expect(report.assets).toHaveLength(2);
    expect(report.findings).toHaveLength(3);

    const [web, db] = report.assets;
    expect(web?.name).toBe('web01.example.com');
    expect(web?.fqdn).toBe('web01.example.com');
    expect(web?.ipv4).toEqual(['10.0.0.5']);
    expect(web?.os).toBe('Ubuntu 22.04');
    expect(web?.kind).toBe('host');
    expect(db?.ipv6).toEqual(['fd00::6']);

    const openssl = report.findings[0];
    expect(openssl?.assetKey).toBe(web?.reportKey);
    expect(openssl?.vendorId).toBe('ACME-100');
    expect(openssl?.title).toBe('OpenSSL buffer overflow');
    expect(openssl?.severity).toBe(4);
    expect(openssl?.cveId).toBe('CVE-2022-3602');
    expect(openssl?.cveIds).toEqual(['CVE-2022-3602', 'CVE-2022-3786']);
    expect(openssl?.cweIds).toEqual(['CWE-120']);
    expect(openssl?.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(openssl?.cvss3BaseScore).toBe(7.5);
    expect(openssl?.vulnerabilities).toEqual([
      { cveId: 'CVE-2022-3602', cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cvss3BaseScore: 7.5, cweIds: ['CWE-120'], epssScore: 0.35 },
    ]);
    expect(openssl?.port).toBe(443);
    expect(openssl?.protocol).toBe('tcp');
    expect(openssl?.technology).toEqual({ product: 'openssl', version: '3.0.5' });
    expect(openssl?.fixedVersion).toBe('3.0.7');
    expect(openssl?.references).toEqual(['https://www.openssl.org/news/secadv/20221101.txt']);
    expect(openssl?.firstSeen?.toISOString()).toBe('2022-11-01T00:00:00.000Z');
    expect(openssl?.lastSeen?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(openssl?.raw).toEqual({ Ticket: 'SEC-1' });
    expect(openssl?.position?.line).toBe(3);
  });

  it('reads quoted multi-line cells', async () => {
    const report = await parseText(createGenericCsvParser(settings(ACME)), readFixture('generic/acme-scanner.csv'));
    const tls = report.findings[1];
    expect(tls?.title).toBe('Weak TLS ciphers\nenabled');
    expect(tls?.severity).toBe(2);
    expect(tls?.cweIds).toEqual(['CWE-327']);
    expect(tls?.raw).toEqual({});
    expect(tls?.position?.line).toBe(4);
  });

  it('keeps non-CVE ids and free-text references in raw', async () => {
    const report = await parseText(createGenericCsvParser(settings(ACME)), readFixture('generic/acme-scanner.csv'));
    const postgres = report.findings[2];
    expect(postgres?.severity).toBe(5);
    expect(postgres?.cveIds).toEqual(['CVE-2024-10979']);
    expect(postgres?.raw.vulnerabilityIds).toEqual(['GHSA-abcd-1234-efgh']);
    expect(postgres?.vulnerabilities).toEqual([{ cveId: 'CVE-2024-10979', cvss3BaseScore: 9.8, epssScore: 0.12 }]);
    expect(postgres?.references).toBeUndefined();
    expect(postgres?.raw.references).toBe('see vendor advisory');
    expect(postgres?.cvss3BaseScore).toBe(9.8);
  });

  it('takes the asset from a URL column', async () => {
    const text = readFixture('generic/defectdojo.csv');
    const preset = PROFILE_PRESETS[0];
    if (!preset) throw new Error('no preset');
    const header = text.split('\n')[0]?.split(',') ?? [];
    const report = await parseText(createGenericCsvParser(settings(presetForHeader(preset, header))), text);

    expect(report.assets.map((asset) => asset.name)).toEqual(['app.example.com', '10.1.2.3']);
    expect(report.assets[0]?.fqdn).toBe('app.example.com');
    expect(report.assets[1]?.ipv4).toEqual(['10.1.2.3']);
    const [xss, redirect] = report.findings;
    expect(xss?.port).toBe(443);
    expect(xss?.protocol).toBe('tcp');
    expect(xss?.raw.url).toBe('https://app.example.com/search?q=1');
    expect(xss?.raw.service).toBe('https');
    expect(xss?.raw.Impact).toBe('Session theft');
    expect(xss?.raw.falsePositive).toBe(true);
    expect(xss?.raw.suppressed).toBe(true);
    expect(xss?.solution).toBe('Encode output');
    expect(xss?.cweIds).toEqual(['CWE-79']);
    expect(xss?.severity).toBe(4);
    expect(xss?.firstSeen?.toISOString()).toBe('2021-02-28T00:00:00.000Z');
    expect(redirect?.port).toBe(8080);
    expect(redirect?.raw.Verified).toBe('FALSE');
    expect(redirect?.raw.falsePositive).toBe(false);
    expect(redirect?.raw.suppressed).toBeUndefined();
  });

  it('names columns by position without a header', async () => {
    const profile: ProfileInput = {
      name: 'no header',
      sourceName: 'Plain',
      mapping: { 'column 1': 'asset.ip', 'column 2': 'finding.title', 'column 3': 'finding.cvss3Score' },
      csv: { hasHeaderRow: false },
    };
    const report = await parseText(createGenericCsvParser(settings(profile)), '192.0.2.1,Telnet open,6.5,extra\n192.0.2.1,FTP open,0\n');
    expect(report.assets).toHaveLength(1);
    expect(report.findings.map((finding) => finding.severity)).toEqual([3, 1]);
    expect(report.findings[0]?.raw).toEqual({ 'column 4': 'extra' });
  });

  it('reads a dotless FQDN cell as a host name', async () => {
    const profile: ProfileInput = { name: 'dotless', sourceName: 'Dotless', mapping: { Host: 'asset.fqdn', Title: 'finding.title', Severity: 'finding.severity' } };
    const report = await parseText(createGenericCsvParser(settings(profile)), 'Host,Title,Severity\nWEB01,Old,low\nweb02.example.com,Old,low\n');
    expect(report.assets.map((asset) => [asset.name, asset.hostname, asset.fqdn])).toEqual([
      ['web01', 'web01', undefined],
      ['web02.example.com', undefined, 'web02.example.com'],
    ]);
  });

  it('uses the default asset kind and a kind column', async () => {
    const profile: ProfileInput = {
      name: 'kinds',
      sourceName: 'Kinds',
      mapping: { Asset: 'asset.name', Kind: 'asset.kind', Title: 'finding.title', Severity: 'finding.severity', Type: 'finding.type' },
      defaultAssetKind: 'application',
    };
    const report = await parseText(createGenericCsvParser(settings(profile)), 'Asset,Kind,Title,Severity,Type\nshop,,Old jQuery,low,\nbucket-1,cloud resource,Public bucket,high,misconfiguration\n');
    expect(report.assets.map((asset) => asset.kind)).toEqual(['application', 'cloud_resource']);
    expect(report.findings.map((finding) => finding.type)).toEqual(['vulnerability', 'misconfiguration']);
  });
});

describe('generic CSV streaming', () => {
  it('reads rows as chunks arrive', async () => {
    const profile: ProfileInput = { name: 'many', sourceName: 'Many', mapping: { Host: 'asset.hostname', Title: 'finding.title', Score: 'finding.cvss3Score' } };
    const rows = 20_000;
    async function* chunks(): AsyncGenerator<string> {
      yield 'Host,Title,Score\n';
      for (let index = 0; index < rows; index += 500) {
        yield Array.from({ length: 500 }, (_, offset) => `host-${(index + offset) % 100},Finding ${index + offset},${((index + offset) % 100) / 10}\n`).join('');
      }
    }
    let assets = 0;
    let findings = 0;
    let lastLine = 0;
    for await (const record of createGenericCsvParser(settings(profile)).parse(chunks(), () => undefined)) {
      if (record.kind === 'asset') assets++;
      else {
        findings++;
        lastLine = record.finding.position?.line ?? 0;
      }
    }
    expect(assets).toBe(100);
    expect(findings).toBe(rows);
    expect(lastLine).toBe(rows + 1);
  });
});

describe('generic CSV errors', () => {
  it('names the line and column of an unknown severity', async () => {
    const profile: ProfileInput = { name: 'x', sourceName: 'X', mapping: { Host: 'asset.hostname', Check: 'finding.vendorId', Name: 'finding.title', Sev: 'finding.severity' }, csv: { severityMap: { 'Sev 4': 'high' } } };
    const error = await parseError(createGenericCsvParser(settings(profile)), readFixture('generic/acme-bad-severity.csv'));
    expect(error.code).toBe('invalid_field');
    expect(error.position).toEqual({ line: 3, field: 'Sev' });
    expect(error.message).toContain('"Sev 9"');
    expect(error.message).toContain("profile's severity map");
  });

  it('rejects a header without a mapped column', async () => {
    const error = await parseError(createGenericCsvParser(settings(ACME)), 'ACME export\nHost;Name;Sev\nweb01;Old;high\n');
    expect(error.code).toBe('invalid_field');
    expect(error.position.line).toBe(2);
    expect(error.message).toContain('"Address"');
  });

  it('rejects a row without an asset', async () => {
    const profile: ProfileInput = { name: 'x', sourceName: 'X', mapping: { Host: 'asset.hostname', Name: 'finding.title', Sev: 'finding.severity' } };
    const error = await parseError(createGenericCsvParser(settings(profile)), 'Host,Name,Sev\n,Old,high\n');
    expect(error.position).toEqual({ line: 2, field: 'Host' });
    expect(error.message).toContain('row names no asset');
  });

  const cases: [string, string, string, RegExp][] = [
    ['a blank title', 'h1,,high,,,,', 'Name', /blank/],
    ['an invalid IP', 'h1,Old,high,10.0.0.300,,,', 'IP', /not an IP address/],
    ['a non-CVE id', 'h1,Old,high,,CVE-2021,,', 'CVE', /not a CVE id/],
    ['a v2 vector in the v3 column', 'h1,Old,high,,,AV:N/AC:L/Au:N/C:P/I:P/A:P,', 'Vector', /not a CVSS v3 vector/],
    ['no severity and no score', 'h1,Old,,,,,', 'Sev', /no severity and no CVSS base score/],
    ['a flag that is not boolean', 'h1,Old,high,,,,maybe', 'FP', /not true or false/],
  ];
  for (const [label, row, column, message] of cases) {
    it(`rejects ${label}`, async () => {
      const profile: ProfileInput = {
        name: 'x',
        sourceName: 'X',
        mapping: { Host: 'asset.hostname', Name: 'finding.title', Sev: 'finding.severity', IP: 'asset.ip', CVE: 'finding.cve', Vector: 'finding.cvss3Vector', FP: 'finding.falsePositive' },
      };
      const error = await parseError(createGenericCsvParser(settings(profile)), `Host,Name,Sev,IP,CVE,Vector,FP\n${row}\n`);
      expect(error.code).toBe('invalid_field');
      expect(error.position).toEqual({ line: 2, field: column });
      expect(error.message).toMatch(message);
    });
  }

  it('rejects a file with only a header', async () => {
    const error = await parseError(createGenericCsvParser(settings(ACME)), 'title line\nHost;Address;Operating system;Check;Name;Sev;CVEs;CWE;CVSS3;Score;EPSS;Port;Proto;Package;Version;Fixed in;Links;Found;Seen\n');
    expect(error.code).toBe('empty');
  });

  it('rejects unbalanced quotes with the line', async () => {
    const profile: ProfileInput = { name: 'x', sourceName: 'X', mapping: { Host: 'asset.hostname', Name: 'finding.title', Sev: 'finding.severity' } };
    const error = await parseError(createGenericCsvParser(settings(profile)), 'Host,Name,Sev\nh1,"Old,high\n');
    expect(error.code).toBe('malformed');
  });
});

describe('hinted dates', () => {
  const at = { line: 1, field: 'Date' };
  it('reads day-first and month-first patterns', () => {
    expect(parseHintedDate('28/02/2021', 'DD/MM/YYYY', 'Date', at)?.toISOString()).toBe('2021-02-28T00:00:00.000Z');
    expect(parseHintedDate('02/28/2021 13:45', 'MM/DD/YYYY', 'Date', at)?.toISOString()).toBe('2021-02-28T13:45:00.000Z');
    expect(parseHintedDate('28.02.2021 07:08:09', 'DD.MM.YYYY HH:mm:ss', 'Date', at)?.toISOString()).toBe('2021-02-28T07:08:09.000Z');
  });

  it('reads ISO and epoch dates', () => {
    expect(parseHintedDate('2021-02-28T10:00:00Z', 'iso', 'Date', at)?.toISOString()).toBe('2021-02-28T10:00:00.000Z');
    expect(parseHintedDate('1614506400', 'epoch', 'Date', at)?.toISOString()).toBe('2021-02-28T10:00:00.000Z');
  });

  it('rejects dates that do not exist', () => {
    expect(() => parseHintedDate('31/02/2021', 'DD/MM/YYYY', 'Date', at)).toThrow(/not a date in the format DD\/MM\/YYYY/);
    expect(() => parseHintedDate('2021-02-28', 'DD/MM/YYYY', 'Date', at)).toThrow(/profile's date format/);
  });
});

describe('profile input', () => {
  it('requires a title and an asset column', () => {
    const parsed = profileInputSchema.safeParse({ name: 'x', sourceName: 'X', mapping: { A: 'finding.severity' } });
    expect(parsed.success).toBe(false);
    const messages = parsed.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toContain('map a column to Finding: title');
    expect(messages.some((message) => message.includes('asset name'))).toBe(true);
  });

  it('rejects a field mapped twice', () => {
    const parsed = profileInputSchema.safeParse({ name: 'x', sourceName: 'X', mapping: { A: 'finding.title', B: 'finding.title', C: 'asset.ip' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('both map to Finding: title');
  });

  it('rejects an unknown date format', () => {
    const parsed = profileInputSchema.safeParse({ ...ACME, csv: { dateFormat: 'tomorrow' } });
    expect(parsed.success).toBe(false);
  });

  it('rejects a mapping on another format', () => {
    const parsed = profileInputSchema.safeParse({ name: 'x', sourceName: 'X', format: 'nessus', mapping: { A: 'finding.title' } });
    expect(parsed.success).toBe(false);
  });
});
