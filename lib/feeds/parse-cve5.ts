import { z } from 'zod';
import { streamJson } from '../ingest/json-stream';
import { ReportError } from '../ingest/report-error';
import { cvssDataSchema, cweIds, emptyCveEntry, englishText, referencesSchema } from './cve-fields';
import type { CveEntry } from './model';
import { CVE_ID, zodDetail } from './validate';

const metricSchema = z
  .object({
    cvssV2_0: cvssDataSchema.optional(),
    cvssV3_0: cvssDataSchema.optional(),
    cvssV3_1: cvssDataSchema.optional(),
    cvssV4_0: cvssDataSchema.optional(),
    other: z.object({ type: z.string().optional(), content: z.unknown() }).loose().optional(),
  })
  .loose();

const containerSchema = z
  .object({
    providerMetadata: z.object({ shortName: z.string().optional() }).loose().optional(),
    descriptions: z.array(z.object({ lang: z.string().optional(), value: z.string().optional() }).loose()).optional(),
    metrics: z.array(metricSchema).optional(),
    problemTypes: z
      .array(z.object({ descriptions: z.array(z.object({ cweId: z.string().optional() }).loose()).optional() }).loose())
      .optional(),
    references: referencesSchema,
  })
  .loose();

const recordSchema = z.object({
  dataType: z.literal('CVE_RECORD'),
  cveMetadata: z
    .object({ cveId: CVE_ID, state: z.string().optional(), datePublished: z.string().optional(), dateUpdated: z.string().optional() })
    .loose(),
  containers: z.object({ cna: containerSchema.optional(), adp: z.array(containerSchema).optional() }).loose(),
});

const ssvcSchema = z.object({ options: z.array(z.record(z.string(), z.string())) }).loose();
const kevSchema = z.object({ dateAdded: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).loose();

type Container = z.infer<typeof containerSchema>;
type Metric = z.infer<typeof metricSchema>;

/**
 * Parses one CVE JSON 5 record (`dataType: CVE_RECORD`, as in cvelistV5 and CISA vulnrichment).
 * The CNA container gives the description, CVSS, CWE and references; the ADP containers fill
 * what the CNA left out, and CISA's ADP adds the SSVC decision points and the KEV date.
 * Throws ReportError naming the field when the record is invalid.
 */
export async function parseCve5(text: AsyncIterable<string>): Promise<CveEntry> {
  let root: unknown;
  for await (const event of streamJson(text, () => 'assemble')) {
    if (event.kind === 'value') root = event.value;
  }
  const parsed = recordSchema.safeParse(root);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ReportError('invalid_field', `invalid CVE record: ${zodDetail(parsed.error)}`, first ? { field: first.path.map(String).join('.') } : {});
  }

  const record = parsed.data;
  const entry = emptyCveEntry(record.cveMetadata.cveId);
  entry.publishedAt = timestamp(record.cveMetadata.datePublished);
  entry.lastModified = timestamp(record.cveMetadata.dateUpdated);

  const cna = record.containers.cna;
  const adp = record.containers.adp ?? [];
  const containers = [...(cna ? [cna] : []), ...adp];
  entry.description = englishText(cna?.descriptions);
  entry.references = (cna?.references ?? []).map((reference) => (reference.tags ? { url: reference.url, tags: reference.tags } : { url: reference.url }));
  // The CNA's own CWEs win; ADP CWEs count only when the CNA gave none.
  const cnaCwes = cweIds(cna ? problemTypeIds(cna) : []);
  entry.cweIds = cnaCwes.length > 0 ? cnaCwes : cweIds(adp.flatMap(problemTypeIds));

  const metrics = containers.flatMap((container) => container.metrics ?? []);
  const v2 = firstMetric(metrics, 'cvssV2_0');
  const v3 = firstMetric(metrics, 'cvssV3_1') ?? firstMetric(metrics, 'cvssV3_0');
  const v4 = firstMetric(metrics, 'cvssV4_0');
  entry.cvss2Vector = v2?.vectorString ?? null;
  entry.cvss2BaseScore = v2?.baseScore ?? null;
  entry.cvss3Vector = v3?.vectorString ?? null;
  entry.cvss3BaseScore = v3?.baseScore ?? null;
  entry.cvss4Vector = v4?.vectorString ?? null;
  entry.cvss4BaseScore = v4?.baseScore ?? null;

  for (const metric of metrics) readCisaOther(metric, entry);
  return entry;
}

function problemTypeIds(container: Container): (string | undefined)[] {
  return (container.problemTypes ?? []).flatMap((problemType) => (problemType.descriptions ?? []).map((description) => description.cweId));
}

function firstMetric(metrics: Metric[], key: 'cvssV2_0' | 'cvssV3_0' | 'cvssV3_1' | 'cvssV4_0') {
  return metrics.find((metric) => metric[key] !== undefined)?.[key];
}

/** Reads CISA ADP's `other` metrics: `ssvc` options such as `{ Exploitation: 'active' }`, and `kev`. */
function readCisaOther(metric: Metric, entry: CveEntry): void {
  const other = metric.other;
  if (!other) return;
  if (other.type === 'ssvc') {
    const ssvc = ssvcSchema.safeParse(other.content);
    if (!ssvc.success) return;
    const options = Object.assign({}, ...ssvc.data.options) as Record<string, string>;
    entry.ssvc = {
      ...(options.Exploitation ? { exploitation: options.Exploitation.toLowerCase() } : {}),
      ...(options.Automatable ? { automatable: options.Automatable.toLowerCase() } : {}),
      ...(options['Technical Impact'] ? { technicalImpact: options['Technical Impact'].toLowerCase() } : {}),
    };
  }
  if (other.type === 'kev') {
    const kev = kevSchema.safeParse(other.content);
    if (kev.success) entry.kevDateAdded = kev.data.dateAdded;
  }
}

function timestamp(value: string | undefined): string | null {
  if (!value) return null;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
