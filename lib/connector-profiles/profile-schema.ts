// The shape of a connector profile: which model field each CSV column fills, how the CSV is
// read, and how imports with the profile treat findings a newer report no longer lists. The
// schemas check profiles at every boundary (API, server actions, the database's JSON columns).
// This file has no server-only imports, so the profile editor in the browser uses it too.

import { z } from 'zod';
import { FORMATS } from '../ingest/model';

/** Model fields a column can fill, with the label the profile editor shows. */
export const MODEL_FIELDS = {
  'asset.name': 'Asset: name',
  'asset.fqdn': 'Asset: FQDN',
  'asset.hostname': 'Asset: host name',
  'asset.ip': 'Asset: IP address(es)',
  'asset.url': 'Asset: URL (host, port and protocol)',
  'asset.os': 'Asset: operating system',
  'asset.kind': 'Asset: kind',
  'finding.type': 'Finding: type',
  'finding.title': 'Finding: title',
  'finding.description': 'Finding: description',
  'finding.solution': 'Finding: solution',
  'finding.severity': 'Finding: severity',
  'finding.cve': 'Finding: CVE id(s)',
  'finding.cwe': 'Finding: CWE id(s)',
  'finding.cvss2Vector': 'Finding: CVSS v2 vector',
  'finding.cvss2Score': 'Finding: CVSS v2 base score',
  'finding.cvss3Vector': 'Finding: CVSS v3 vector',
  'finding.cvss3Score': 'Finding: CVSS v3 base score',
  'finding.cvss4Vector': 'Finding: CVSS v4 vector',
  'finding.cvss4Score': 'Finding: CVSS v4 base score',
  'finding.epss': 'Finding: EPSS probability',
  'finding.vendorId': 'Finding: vendor id (plugin id, QID, check id)',
  'finding.sourceFindingId': 'Finding: source finding id',
  'finding.port': 'Finding: port',
  'finding.protocol': 'Finding: protocol',
  'finding.resource': 'Finding: affected resource or file',
  'finding.packageName': 'Finding: package name',
  'finding.packageVersion': 'Finding: package version',
  'finding.packagePath': 'Finding: package path',
  'finding.fixedVersion': 'Finding: fixed version',
  'finding.cpe': 'Finding: CPE',
  'finding.references': 'Finding: references (URLs)',
  'finding.firstSeen': 'Finding: first seen',
  'finding.lastSeen': 'Finding: last seen',
  'finding.falsePositive': 'Finding: false positive (true or false)',
} as const;

export type ModelField = keyof typeof MODEL_FIELDS;
export const MODEL_FIELD_IDS = Object.keys(MODEL_FIELDS) as [ModelField, ...ModelField[]];

/** Fields that name the asset of a row; a mapping needs at least one. */
export const ASSET_IDENTITY_FIELDS: readonly ModelField[] = ['asset.name', 'asset.fqdn', 'asset.hostname', 'asset.ip', 'asset.url'];

export const ASSET_KINDS = ['host', 'container_image', 'repository', 'application', 'cloud_resource'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Severity names a severity map points at, with their value on the product's 1–5 scale. */
export const SEVERITY_NAMES = { info: 1, low: 2, medium: 3, high: 4, critical: 5 } as const;
export type SeverityName = keyof typeof SEVERITY_NAMES;

/**
 * Formats of connector profiles. A `generic-csv` profile maps columns to fields. A profile of
 * another format uses that format's parser with the profile's source name and lifecycle option,
 * and has no mapping.
 */
export const PROFILE_FORMATS = FORMATS;

/** The delimiters a profile may name; `auto` picks the one that occurs most in the header line. */
export const DELIMITERS = { auto: 'Detect from the header line', ',': 'Comma', ';': 'Semicolon', '\t': 'Tab', '|': 'Vertical bar' } as const;
export type Delimiter = keyof typeof DELIMITERS;

/** Most lines a profile may skip before the header: report titles take a handful. */
export const MAX_SKIP_LINES = 1000;

const MAX_COLUMNS = 500;

/**
 * Date format hint: `iso` for ISO 8601, `epoch` for Unix seconds, or a pattern of the tokens
 * YYYY, MM, DD, HH, mm and ss with literal separators, e.g. `DD/MM/YYYY` or `MM-DD-YYYY HH:mm`.
 */
export const dateFormatSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((value) => value === 'iso' || value === 'epoch' || (/YYYY/.test(value) && /MM/.test(value) && /DD/.test(value)), {
    message: 'use iso, epoch, or a pattern with YYYY, MM and DD such as DD/MM/YYYY',
  });

export const csvOptionsSchema = z.object({
  delimiter: z.enum(Object.keys(DELIMITERS) as [Delimiter, ...Delimiter[]]).default('auto'),
  /** Lines before the header (or before the first data row without a header), such as a report title. */
  skipLines: z.number().int().min(0).max(MAX_SKIP_LINES).default(0),
  /** Without a header row, columns are named `column 1`, `column 2`, … by position. */
  hasHeaderRow: z.boolean().default(true),
  dateFormat: dateFormatSchema.default('iso'),
  /**
   * Source severity values (matched case-insensitively after trimming) and the severity each one
   * means, e.g. `{ "Sev 4": "high" }`. Values not in the map fall back to the usual names.
   */
  severityMap: z
    .record(z.string().trim().min(1).max(100), z.enum(Object.keys(SEVERITY_NAMES) as [SeverityName, ...SeverityName[]]))
    .refine((map) => Object.keys(map).length <= 100, { message: 'a severity map takes at most 100 values' })
    .default({}),
});
export type CsvProfileOptions = z.infer<typeof csvOptionsSchema>;

/** Column name → model field. Columns left out stay in each finding's raw fields. */
export const columnMappingSchema = z
  .record(z.string().min(1).max(200), z.enum(MODEL_FIELD_IDS))
  .superRefine((mapping, context) => {
    const columns = Object.keys(mapping);
    if (columns.length > MAX_COLUMNS) context.addIssue({ code: 'custom', message: `a mapping takes at most ${MAX_COLUMNS} columns` });
    const byField = new Map<ModelField, string>();
    for (const [column, field] of Object.entries(mapping)) {
      const previous = byField.get(field);
      if (previous !== undefined) context.addIssue({ code: 'custom', path: [column], message: `columns "${previous}" and "${column}" both map to ${MODEL_FIELDS[field]}; map each field once` });
      byField.set(field, column);
    }
  });
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** Checks what a generic CSV mapping needs: a title column and a column that names the asset. */
export function mappingProblems(mapping: ColumnMapping): string[] {
  const fields = new Set(Object.values(mapping));
  const problems: string[] = [];
  if (!fields.has('finding.title')) problems.push('map a column to Finding: title');
  if (!ASSET_IDENTITY_FIELDS.some((field) => fields.has(field))) problems.push('map a column to the asset name, FQDN, host name, IP address or URL');
  return problems;
}

/** Settings a client sends to create or replace a profile. */
export const profileInputSchema = z
  .object({
    name: z.string().trim().min(1, 'the profile needs a name').max(100),
    format: z.enum(PROFILE_FORMATS).default('generic-csv'),
    /** Scanner name stored as the findings' source; imports with the same source fix each other's absent findings. */
    sourceName: z.string().trim().min(1, 'the profile needs a source name').max(100),
    mapping: columnMappingSchema,
    csv: csvOptionsSchema.default(csvOptionsSchema.parse({})),
    /** Keep findings that a newer report of this source no longer lists open, instead of marking them fixed. */
    keepAbsentFindings: z.boolean().default(false),
    defaultAssetKind: z.enum(ASSET_KINDS).default('host'),
  })
  .superRefine((profile, context) => {
    if (profile.format !== 'generic-csv') {
      if (Object.keys(profile.mapping).length > 0) context.addIssue({ code: 'custom', path: ['mapping'], message: `a ${profile.format} profile reads no column mapping; leave it empty` });
      return;
    }
    for (const problem of mappingProblems(profile.mapping)) context.addIssue({ code: 'custom', path: ['mapping'], message: problem });
  });
export type ProfileInput = z.input<typeof profileInputSchema>;
export type ProfileSettings = z.output<typeof profileInputSchema>;

/** The settings the generic CSV parser reads, a stored profile without its bookkeeping. */
export type GenericCsvSettings = Pick<ProfileSettings, 'sourceName' | 'mapping' | 'csv' | 'defaultAssetKind'>;
