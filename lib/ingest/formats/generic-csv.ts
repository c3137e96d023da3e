// Parser for CSV files of any layout, driven by a connector profile that maps columns to model
// fields (lib/connector-profiles/profile-schema.ts). Each row is one finding on one asset, read
// on its own, so a file of any size streams through. Columns the profile does not map go to the
// finding's raw fields. The format is never detected from content, because a CSV file without
// a profile does not tell which column is what.

import type { GenericCsvSettings, ModelField } from '../../connector-profiles/profile-schema';
import { ASSET_KINDS, SEVERITY_NAMES } from '../../connector-profiles/profile-schema';
import { streamCsv, type CsvOptions, type CsvRow } from '../csv-stream';
import { detachString, normalizeCveId, normalizeCweId, parseCvssScore, parsePort, quote, severityFromCvss, splitAddresses, unique } from '../field-values';
import type { AssetRecord, FindingRecord, ReportParser, ReportRecord, Severity, SourcePosition, TechnologyRecord, VulnerabilityFacts } from '../model';
import { ReportError } from '../report-error';
import { isIpAddress, parseCvssVector, parseEndpoint, parseEpss, parseHintedDate, splitList } from './generic-csv-values';

/** Severity words understood without a severity map, lower-case. */
const SEVERITY_WORDS: Record<string, Severity> = {
  info: 1,
  informational: 1,
  information: 1,
  none: 1,
  low: 2,
  medium: 3,
  moderate: 3,
  high: 4,
  important: 4,
  critical: 5,
  urgent: 5,
};

/** Vulnerability ids of other namespaces (GHSA-…, RHSA-…) that a CVE column may list next to CVE ids. */
const OTHER_VULNERABILITY_ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9:._-]+$/;

/** Returns the CsvOptions that read a file the way the profile describes it. */
export function csvReadOptions(settings: GenericCsvSettings, onHeader?: CsvOptions['onHeader']): CsvOptions {
  const { delimiter, skipLines, hasHeaderRow } = settings.csv;
  return { skipLines, hasHeaderRow, ...(delimiter === 'auto' ? {} : { delimiter }), ...(onHeader ? { onHeader } : {}) };
}

/** One mapped row: the asset it is on, with its key inside the report, and the finding. */
export interface MappedRow {
  asset: AssetRecord;
  finding: FindingRecord;
}

/**
 * Maps CSV rows to records with one profile. `checkHeader` must see the header before the
 * first row. Every method throws ReportError naming the line and the column.
 */
export class GenericCsvRowMapper {
  /** Column of each mapped field. */
  private readonly columns = new Map<ModelField, string>();
  private readonly severityMap = new Map<string, Severity>();

  constructor(private readonly settings: GenericCsvSettings) {
    for (const [column, field] of Object.entries(settings.mapping)) this.columns.set(field, column);
    for (const [value, name] of Object.entries(settings.csv.severityMap)) this.severityMap.set(value.trim().toLowerCase(), SEVERITY_NAMES[name]);
  }

  /** Rejects a header that lacks a mapped column, since the profile was made for another layout. */
  checkHeader(names: string[], line: number): void {
    const present = new Set(names);
    const missing = [...this.columns.values()].filter((column) => !present.has(column));
    if (missing.length === 0) return;
    const list = missing.map((column) => quote(column)).join(', ');
    throw new ReportError(
      'invalid_field',
      `the CSV header lacks the mapped column${missing.length > 1 ? 's' : ''} ${list}; check the profile's delimiter and skipped lines, or edit its mapping for this layout`,
      { line, field: missing[0] },
    );
  }

  mapRow(row: CsvRow): MappedRow {
    const cell = (field: ModelField): string | undefined => {
      const column = this.columns.get(field);
      const value = column === undefined ? undefined : row.values[column]?.trim();
      return value || undefined;
    };
    const at = (field: ModelField): SourcePosition => ({ line: row.line, field: this.columns.get(field) ?? field });
    const named = (field: ModelField): string => this.columns.get(field) ?? field;

    const asset = this.mapAsset(cell, at, named);
    const finding = this.mapFinding(cell, at, named, asset, row.line);

    const mappedColumns = new Set(this.columns.values());
    for (const [column, value] of Object.entries(row.values)) {
      if (!mappedColumns.has(column) && value.trim() !== '') finding.raw[column] = value;
    }
    return { asset: asset.record, finding };
  }

  private mapAsset(
    cell: (field: ModelField) => string | undefined,
    at: (field: ModelField) => SourcePosition,
    named: (field: ModelField) => string,
  ): { record: AssetRecord; port?: number; scheme?: string; url?: string } {
    const url = cell('asset.url');
    const endpoint = parseEndpoint(url, named('asset.url'), at('asset.url'));
    const ips = splitList(cell('asset.ip'));
    for (const ip of ips) {
      if (!isIpAddress(ip)) throw new ReportError('invalid_field', `${named('asset.ip')} is not an IP address: ${quote(ip)}`, at('asset.ip'));
    }
    if (endpoint && isIpAddress(endpoint.host)) ips.push(endpoint.host);

    // A name without a dot in the FQDN column or the URL is a host name, not an FQDN.
    const endpointName = endpoint && !isIpAddress(endpoint.host) ? endpoint.host : undefined;
    const dnsName = cell('asset.fqdn')?.toLowerCase() ?? endpointName;
    const fqdn = dnsName?.includes('.') ? dnsName : undefined;
    const hostname = cell('asset.hostname') ?? (dnsName && !dnsName.includes('.') ? dnsName : undefined);
    const name = cell('asset.name') ?? fqdn ?? hostname ?? ips[0];
    if (!name) {
      const columns = ['asset.name', 'asset.fqdn', 'asset.hostname', 'asset.ip', 'asset.url'].filter((field) => this.columns.has(field as ModelField)).map((field) => named(field as ModelField));
      if (columns.length === 0) {
        throw new ReportError('invalid_field', 'no column is mapped to an asset field (asset name, FQDN, host name, IP address or URL); map one', { line: at('asset.name').line, field: 'asset' });
      }
      throw new ReportError('invalid_field', `row names no asset: ${columns.map((column) => quote(column)).join(', ')} ${columns.length > 1 ? 'are all' : 'is'} blank`, {
        ...at('asset.name'),
        field: columns[0] ?? 'asset',
      });
    }

    const kindText = cell('asset.kind')?.toLowerCase().replace(/[\s-]+/g, '_');
    let kind = this.settings.defaultAssetKind;
    if (kindText) {
      if (!(ASSET_KINDS as readonly string[]).includes(kindText)) {
        throw new ReportError('invalid_field', `${named('asset.kind')} is not an asset kind: ${quote(kindText)}; expected one of ${ASSET_KINDS.join(', ')}`, at('asset.kind'));
      }
      kind = kindText as AssetRecord['kind'];
    }

    const addresses = splitAddresses(ips);
    const record: AssetRecord = { reportKey: '', name: detachString(name), kind, ...addresses };
    if (fqdn) record.fqdn = detachString(fqdn);
    if (hostname) record.hostname = detachString(hostname);
    const os = cell('asset.os');
    if (os) record.os = detachString(os);
    // Rows with the same asset values share one asset record. Rows that differ get separate
    // records, and the writer's asset matching merges those that name the same asset.
    record.reportKey = JSON.stringify([kind, record.name, record.fqdn ?? '', record.hostname ?? '', record.ipv4 ?? [], record.ipv6 ?? [], record.os ?? '']);
    return { record, port: endpoint?.port, scheme: endpoint?.scheme, url };
  }

  private mapFinding(
    cell: (field: ModelField) => string | undefined,
    at: (field: ModelField) => SourcePosition,
    named: (field: ModelField) => string,
    asset: { record: AssetRecord; port?: number; scheme?: string; url?: string },
    line: number,
  ): FindingRecord {
    const title = cell('finding.title');
    if (!title) throw new ReportError('invalid_field', `${named('finding.title')} is blank; every finding needs a title`, at('finding.title'));

    const raw: Record<string, unknown> = {};
    if (asset.url) raw.url = asset.url;

    const cvss = {
      cvss2Vector: parseCvssVector(cell('finding.cvss2Vector'), 2, named('finding.cvss2Vector'), at('finding.cvss2Vector')),
      cvss2BaseScore: parseCvssScore(cell('finding.cvss2Score'), named('finding.cvss2Score'), at('finding.cvss2Score')),
      cvss3Vector: parseCvssVector(cell('finding.cvss3Vector'), 3, named('finding.cvss3Vector'), at('finding.cvss3Vector')),
      cvss3BaseScore: parseCvssScore(cell('finding.cvss3Score'), named('finding.cvss3Score'), at('finding.cvss3Score')),
      cvss4Vector: parseCvssVector(cell('finding.cvss4Vector'), 4, named('finding.cvss4Vector'), at('finding.cvss4Vector')),
      cvss4BaseScore: parseCvssScore(cell('finding.cvss4Score'), named('finding.cvss4Score'), at('finding.cvss4Score')),
    };
    const severity = this.severity(cell('finding.severity'), cvss, at, named);

    const typeText = cell('finding.type')?.toLowerCase();
    let type: FindingRecord['type'] = 'vulnerability';
    if (typeText === 'misconfiguration' || typeText === 'configuration' || typeText === 'compliance') type = 'misconfiguration';
    else if (typeText && typeText !== 'vulnerability' && typeText !== 'vuln') {
      throw new ReportError('invalid_field', `${named('finding.type')} is not a finding type: ${quote(typeText)}; expected vulnerability or misconfiguration`, at('finding.type'));
    }

    const finding: FindingRecord = { assetKey: asset.record.reportKey, type, title: detachString(title), severity, raw, position: { line } };
    for (const [key, value] of Object.entries(cvss)) if (value !== undefined) Object.assign(finding, { [key]: value });

    const text = (field: ModelField, key: 'description' | 'solution' | 'vendorId' | 'sourceFindingId' | 'resource' | 'fixedVersion') => {
      const value = cell(field);
      if (value) finding[key] = value;
    };
    text('finding.description', 'description');
    text('finding.solution', 'solution');
    text('finding.vendorId', 'vendorId');
    text('finding.sourceFindingId', 'sourceFindingId');
    text('finding.resource', 'resource');
    text('finding.fixedVersion', 'fixedVersion');

    this.mapIds(finding, cell, at, named);

    const port = parsePort(cell('finding.port'), named('finding.port'), at('finding.port')) ?? asset.port;
    if (port !== undefined) finding.port = port;
    const protocol = cell('finding.protocol')?.toLowerCase() ?? (asset.port !== undefined ? 'tcp' : undefined);
    if (protocol) finding.protocol = protocol;
    if (asset.scheme) raw.service = asset.scheme;

    const technology = this.technology(cell, at, named);
    if (technology) finding.technology = technology;

    const references = unique(splitList(cell('finding.references')).filter((item) => /^https?:\/\//i.test(item)));
    if (references.length > 0) finding.references = references;
    const referenceText = cell('finding.references');
    if (referenceText && references.length === 0) raw.references = referenceText;

    const falsePositive = parseFlag(cell('finding.falsePositive'), named('finding.falsePositive'), at('finding.falsePositive'));
    if (falsePositive !== undefined) raw.falsePositive = falsePositive;
    // A false positive is kept, flagged as suppressed, as other formats keep their suppressed results.
    if (falsePositive) raw.suppressed = true;

    const hint = this.settings.csv.dateFormat;
    const firstSeen = parseHintedDate(cell('finding.firstSeen'), hint, named('finding.firstSeen'), at('finding.firstSeen'));
    const lastSeen = parseHintedDate(cell('finding.lastSeen'), hint, named('finding.lastSeen'), at('finding.lastSeen'));
    if (firstSeen) finding.firstSeen = firstSeen;
    if (lastSeen) finding.lastSeen = lastSeen;
    else if (firstSeen) finding.lastSeen = firstSeen;
    return finding;
  }

  /** Sets CVE, CWE and EPSS: CVE cells may list several ids, the first being the primary one. */
  private mapIds(finding: FindingRecord, cell: (field: ModelField) => string | undefined, at: (field: ModelField) => SourcePosition, named: (field: ModelField) => string): void {
    const cveIds: string[] = [];
    const otherIds: string[] = [];
    for (const item of splitList(cell('finding.cve'))) {
      const cve = normalizeCveId(item);
      if (cve) cveIds.push(cve);
      else if (OTHER_VULNERABILITY_ID.test(item) && !/^CVE-/i.test(item)) otherIds.push(item);
      else throw new ReportError('invalid_field', `${named('finding.cve')} lists ${quote(item)}, which is not a CVE id such as CVE-2021-44228`, at('finding.cve'));
    }
    const cves = unique(cveIds);
    if (cves.length > 0) {
      finding.cveId = cves[0];
      finding.cveIds = cves;
    }
    if (otherIds.length > 0) finding.raw.vulnerabilityIds = unique(otherIds);

    const cweIds = splitList(cell('finding.cwe')).map((item) => {
      const cwe = normalizeCweId(item);
      if (!cwe) throw new ReportError('invalid_field', `${named('finding.cwe')} lists ${quote(item)}, which is not a CWE id such as CWE-79 or 79`, at('finding.cwe'));
      return cwe;
    });
    if (cweIds.length > 0) finding.cweIds = unique(cweIds);

    const epss = parseEpss(cell('finding.epss'), named('finding.epss'), at('finding.epss'));
    const [primary] = cves;
    if (!primary) {
      // EPSS rates a CVE, so without one it only stays in raw.
      if (epss !== undefined) finding.raw.epss = epss;
      return;
    }
    // The row's scores go to the vulnerability catalog under its first CVE only, since a row
    // that lists several CVEs does not say which one they rate.
    const facts: VulnerabilityFacts = { cveId: primary };
    for (const key of ['cvss2Vector', 'cvss2BaseScore', 'cvss3Vector', 'cvss3BaseScore', 'cvss4Vector', 'cvss4BaseScore'] as const) {
      if (finding[key] !== undefined) Object.assign(facts, { [key]: finding[key] });
    }
    if (finding.cweIds) facts.cweIds = finding.cweIds;
    if (epss !== undefined) facts.epssScore = epss;
    if (Object.keys(facts).length > 1) finding.vulnerabilities = [facts];
  }

  private severity(
    text: string | undefined,
    cvss: { cvss2BaseScore?: number; cvss3BaseScore?: number; cvss4BaseScore?: number },
    at: (field: ModelField) => SourcePosition,
    named: (field: ModelField) => string,
  ): Severity {
    if (text) {
      const key = text.toLowerCase();
      const mapped = this.severityMap.get(key) ?? SEVERITY_WORDS[key];
      if (mapped !== undefined) return mapped;
      const known = [...this.severityMap.keys()];
      throw new ReportError(
        'invalid_field',
        `${named('finding.severity')} has the unknown severity ${quote(text)}; add it to the profile's severity map${known.length > 0 ? ` (it maps ${known.map((value) => quote(value)).join(', ')})` : ''} or use info, low, medium, high or critical`,
        at('finding.severity'),
      );
    }
    const score = cvss.cvss4BaseScore ?? cvss.cvss3BaseScore ?? cvss.cvss2BaseScore;
    if (score !== undefined) return severityFromCvss(score);
    throw new ReportError('invalid_field', 'row has no severity and no CVSS base score; map a severity or CVSS score column, or fill the blank cell', at('finding.severity'));
  }

  private technology(cell: (field: ModelField) => string | undefined, at: (field: ModelField) => SourcePosition, named: (field: ModelField) => string): TechnologyRecord | undefined {
    const cpe = cell('finding.cpe');
    let cpeParts: string[] | undefined;
    if (cpe) {
      cpeParts = /^cpe:2\.3:[aho]:/i.test(cpe) ? cpe.split(':') : /^cpe:\/[aho]:/i.test(cpe) ? cpe.slice(5).split(':') : undefined;
      if (!cpeParts) throw new ReportError('invalid_field', `${named('finding.cpe')} is not a CPE name: ${quote(cpe)}; expected cpe:2.3:a:vendor:product:version or cpe:/a:vendor:product`, at('finding.cpe'));
    }
    // A CPE 2.3 name is cpe:2.3:part:vendor:product:version, a CPE 2.2 URI /part:vendor:product:version.
    const offset = cpe?.startsWith('cpe:2.3') ? 3 : 1;
    const cpeValue = (index: number) => {
      const value = cpeParts?.[offset + index];
      return value && value !== '*' && value !== '-' ? value : undefined;
    };
    const product = cell('finding.packageName') ?? cpeValue(1);
    if (!product) return undefined;

    const technology: TechnologyRecord = { product };
    const vendor = cpeValue(0);
    if (vendor) technology.vendor = vendor;
    const version = cell('finding.packageVersion') ?? cpeValue(2);
    if (version) technology.version = version;
    const path = cell('finding.packagePath');
    if (path) technology.path = path;
    if (cpe) technology.cpe = cpe;
    return technology;
  }
}

const FLAG_VALUES: Record<string, boolean> = { true: true, yes: true, y: true, '1': true, false: false, no: false, n: false, '0': false };

function parseFlag(value: string | undefined, column: string, position: SourcePosition): boolean | undefined {
  if (value === undefined) return undefined;
  const flag = FLAG_VALUES[value.toLowerCase()];
  if (flag === undefined) throw new ReportError('invalid_field', `${column} is not true or false: ${quote(value)}; expected true, false, yes, no, 1 or 0`, position);
  return flag;
}

/** Returns a parser that reads CSV files with one connector profile. */
export function createGenericCsvParser(settings: GenericCsvSettings): ReportParser {
  return {
    format: 'generic-csv',
    source: settings.sourceName,

    async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
      onMetadata({ format: 'generic-csv', source: settings.sourceName });
      const mapper = new GenericCsvRowMapper(settings);
      const emitted = new Set<string>();
      let rows = 0;
      for await (const row of streamCsv(input, csvReadOptions(settings, (names, line) => mapper.checkHeader(names, line)))) {
        const { asset, finding } = mapper.mapRow(row);
        if (!emitted.has(asset.reportKey)) {
          emitted.add(asset.reportKey);
          yield { kind: 'asset', asset };
        }
        yield { kind: 'finding', finding };
        rows++;
      }
      if (rows === 0) throw new ReportError('empty', 'CSV file has a header but no data rows');
    },
  };
}

/** The registered parser of `generic-csv`, used when an import names no profile; it rejects the file. */
export const genericCsvWithoutProfileParser: ReportParser = {
  format: 'generic-csv',
  source: 'Generic CSV',
  async *parse(): AsyncGenerator<ReportRecord> {
    throw new ReportError('invalid_field', 'a generic CSV import needs a connector profile that maps its columns; pass --profile NAME, or choose a profile on the Imports page', { field: 'profile' });
  },
};
