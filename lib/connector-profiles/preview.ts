// Preview of a connector profile on a sample of a CSV file: the header columns and the first
// rows as the import would map them, each with its validation message. It runs the import's own
// row mapper (GenericCsvRowMapper), so the preview and the import cannot disagree.

import { z } from 'zod';
import { parseOrThrow } from '../http/app-error';
import { csvReadOptions, GenericCsvRowMapper, type MappedRow } from '../ingest/formats/generic-csv';
import { streamCsv } from '../ingest/csv-stream';
import { ReportError } from '../ingest/report-error';
import { ASSET_KINDS, columnMappingSchema, csvOptionsSchema, mappingProblems, SEVERITY_NAMES, type ModelField } from './profile-schema';

/** Rows a preview maps. */
export const PREVIEW_ROWS = 20;

/** Largest sample the preview reads, in characters; the browser sends the start of the file. */
export const MAX_SAMPLE_CHARS = 1024 * 1024;

/** The part of a profile a preview needs; the mapping may still be incomplete. */
export const previewInputSchema = z.object({
  sample: z.string().max(MAX_SAMPLE_CHARS, `the sample is longer than ${MAX_SAMPLE_CHARS} characters; send the start of the file`),
  mapping: columnMappingSchema.default({}),
  csv: csvOptionsSchema.default(csvOptionsSchema.parse({})),
  defaultAssetKind: z.enum(ASSET_KINDS).default('host'),
});

export interface PreviewIssue {
  line?: number;
  column?: string;
  message: string;
}

export interface PreviewRow {
  line: number;
  /** Display value of each mapped field, after conversion. */
  values: Partial<Record<ModelField, string>>;
  /** Unmapped, non-blank cells that go to the finding's raw fields. */
  rawColumns: number;
  error?: PreviewIssue;
}

export interface ProfilePreview {
  columns: string[];
  rows: PreviewRow[];
  /** Problems of the whole file or mapping, such as a missing title column. */
  issues: PreviewIssue[];
}

const SEVERITY_LABELS = Object.fromEntries(Object.entries(SEVERITY_NAMES).map(([name, value]) => [value, name])) as Record<number, string>;

/** Maps the first rows of a sample with a profile's settings; throws AppError `invalid_input` for invalid settings only. */
export async function previewProfile(input: unknown): Promise<ProfilePreview> {
  const { sample, mapping, csv, defaultAssetKind } = parseOrThrow(previewInputSchema, input);
  const settings = { sourceName: 'Preview', mapping, csv, defaultAssetKind };
  const mapper = new GenericCsvRowMapper(settings);
  const preview: ProfilePreview = { columns: [], rows: [], issues: mappingProblems(mapping).map((message) => ({ message })) };

  const onHeader = (names: string[], line: number) => {
    preview.columns = names;
    try {
      mapper.checkHeader(names, line);
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      preview.issues.push(issueOf(error));
    }
  };

  try {
    for await (const row of streamCsv(textOf(sample), csvReadOptions(settings, onHeader))) {
      try {
        const mapped = mapper.mapRow(row);
        preview.rows.push({ line: row.line, values: describe(mapped, mapping), rawColumns: Object.keys(mapped.finding.raw).filter((key) => key in row.values).length });
      } catch (error) {
        if (!(error instanceof ReportError)) throw error;
        preview.rows.push({ line: row.line, values: {}, rawColumns: 0, error: issueOf(error) });
      }
      if (preview.rows.length >= PREVIEW_ROWS) break;
    }
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    preview.issues.push(issueOf(error));
  }
  if (preview.columns.length > 0 && preview.rows.length === 0 && preview.issues.length === 0) preview.issues.push({ message: 'the sample has a header but no data rows' });
  return preview;
}

async function* textOf(sample: string): AsyncGenerator<string> {
  yield sample;
}

function issueOf(error: ReportError): PreviewIssue {
  return { message: error.detail, ...(error.position.line === undefined ? {} : { line: error.position.line }), ...(error.position.field ? { column: error.position.field } : {}) };
}

/** Returns the display value of each mapped field of a mapped row. */
function describe({ asset, finding }: MappedRow, mapping: Record<string, ModelField>): Partial<Record<ModelField, string>> {
  const date = (value: Date | undefined) => value?.toISOString().replace('T00:00:00.000Z', '');
  const list = (values: (string | number)[] | undefined) => (values && values.length > 0 ? values.join(', ') : undefined);
  const technology = finding.technology;
  const all: Record<ModelField, string | undefined> = {
    'asset.name': asset.name,
    'asset.fqdn': asset.fqdn,
    'asset.hostname': asset.hostname,
    'asset.ip': list([...(asset.ipv4 ?? []), ...(asset.ipv6 ?? [])]),
    'asset.url': typeof finding.raw.url === 'string' ? `${asset.fqdn ?? asset.hostname ?? asset.ipv4?.[0] ?? asset.ipv6?.[0] ?? ''}${finding.port === undefined ? '' : `:${finding.port}`}` : undefined,
    'asset.os': asset.os,
    'asset.kind': asset.kind,
    'finding.type': finding.type,
    'finding.title': finding.title,
    'finding.description': finding.description,
    'finding.solution': finding.solution,
    'finding.severity': `${finding.severity} (${SEVERITY_LABELS[finding.severity] ?? ''})`,
    'finding.cve': list(finding.cveIds),
    'finding.cwe': list(finding.cweIds),
    'finding.cvss2Vector': finding.cvss2Vector,
    'finding.cvss2Score': finding.cvss2BaseScore?.toString(),
    'finding.cvss3Vector': finding.cvss3Vector,
    'finding.cvss3Score': finding.cvss3BaseScore?.toString(),
    'finding.cvss4Vector': finding.cvss4Vector,
    'finding.cvss4Score': finding.cvss4BaseScore?.toString(),
    'finding.epss': (finding.vulnerabilities?.[0]?.epssScore ?? finding.raw.epss)?.toString(),
    'finding.vendorId': finding.vendorId,
    'finding.sourceFindingId': finding.sourceFindingId,
    'finding.port': finding.port?.toString(),
    'finding.protocol': finding.protocol,
    'finding.resource': finding.resource,
    'finding.packageName': technology?.product,
    'finding.packageVersion': technology?.version,
    'finding.packagePath': technology?.path,
    'finding.fixedVersion': finding.fixedVersion,
    'finding.cpe': technology?.cpe,
    'finding.references': list(finding.references) ?? (typeof finding.raw.references === 'string' ? finding.raw.references : undefined),
    'finding.firstSeen': date(finding.firstSeen),
    'finding.lastSeen': date(finding.lastSeen),
    'finding.falsePositive': typeof finding.raw.falsePositive === 'boolean' ? String(finding.raw.falsePositive) : undefined,
  };
  const values: Partial<Record<ModelField, string>> = {};
  for (const field of Object.values(mapping)) {
    const value = all[field];
    if (value !== undefined) values[field] = value;
  }
  return values;
}
