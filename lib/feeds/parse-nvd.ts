import { z } from 'zod';
import { formatJsonPath, streamJson } from '../ingest/json-stream';
import { ReportError } from '../ingest/report-error';
import { cvssDataSchema, cweIds, emptyCveEntry, englishText, referencesSchema } from './cve-fields';
import type { CveEntry, FeedFileInfo } from './model';
import { CVE_ID, zodDetail } from './validate';

const metricSchema = z.object({ type: z.string().optional(), cvssData: cvssDataSchema }).loose();
const metricListSchema = z.array(metricSchema).optional();

const nvdItemSchema = z.object({
  cve: z
    .object({
      id: CVE_ID,
      published: z.string().optional(),
      lastModified: z.string().optional(),
      cisaExploitAdd: z.string().optional(),
      descriptions: z.array(z.object({ lang: z.string().optional(), value: z.string().optional() }).loose()).optional(),
      metrics: z
        .object({
          cvssMetricV2: metricListSchema,
          cvssMetricV30: metricListSchema,
          cvssMetricV31: metricListSchema,
          cvssMetricV40: metricListSchema,
        })
        .loose()
        .optional(),
      weaknesses: z
        .array(z.object({ description: z.array(z.object({ value: z.string().optional() }).loose()).optional() }).loose())
        .optional(),
      references: referencesSchema,
    })
    .loose(),
});

type NvdMetric = z.infer<typeof metricSchema>;

/**
 * Streams the CVE items of one NVD CVE API 2.0 response (`format: NVD_CVE`), one item assembled
 * at a time, so a 2,000-item page is never held whole. Records `totalResults` in `info`.
 * Throws ReportError naming the item's field path when an item is invalid.
 */
export async function* parseNvd(text: AsyncIterable<string>, info: FeedFileInfo): AsyncGenerator<CveEntry> {
  const events = streamJson(text, (path, type) => {
    if (path.length === 0) return type === 'object' ? 'enter' : 'skip';
    if (path.length === 1 && path[0] === 'vulnerabilities') return type === 'array' ? 'enter' : 'skip';
    if (path.length === 1 && path[0] === 'totalResults') return 'assemble';
    if (path.length === 2 && path[0] === 'vulnerabilities') return 'assemble';
    return 'skip';
  });

  for await (const event of events) {
    if (event.kind !== 'value') continue;
    if (event.path[0] === 'totalResults') {
      if (typeof event.value === 'number') info.totalResults = event.value;
      continue;
    }
    const parsed = nvdItemSchema.safeParse(event.value);
    if (!parsed.success) {
      throw new ReportError('invalid_field', `invalid NVD CVE item: ${zodDetail(parsed.error)}`, { field: formatJsonPath(event.path) });
    }
    yield toEntry(parsed.data.cve);
  }
}

function toEntry(cve: z.infer<typeof nvdItemSchema>['cve']): CveEntry {
  const entry = emptyCveEntry(cve.id);
  entry.description = englishText(cve.descriptions);
  entry.publishedAt = nvdTimestamp(cve.published);
  entry.lastModified = nvdTimestamp(cve.lastModified);
  entry.kevDateAdded = cve.cisaExploitAdd ?? null;

  const v2 = primary(cve.metrics?.cvssMetricV2);
  const v3 = primary(cve.metrics?.cvssMetricV31) ?? primary(cve.metrics?.cvssMetricV30);
  const v4 = primary(cve.metrics?.cvssMetricV40);
  entry.cvss2Vector = v2?.cvssData.vectorString ?? null;
  entry.cvss2BaseScore = v2?.cvssData.baseScore ?? null;
  entry.cvss3Vector = v3?.cvssData.vectorString ?? null;
  entry.cvss3BaseScore = v3?.cvssData.baseScore ?? null;
  entry.cvss4Vector = v4?.cvssData.vectorString ?? null;
  entry.cvss4BaseScore = v4?.cvssData.baseScore ?? null;

  entry.cweIds = cweIds((cve.weaknesses ?? []).flatMap((weakness) => (weakness.description ?? []).map((description) => description.value)));
  entry.references = (cve.references ?? []).map((reference) => (reference.tags ? { url: reference.url, tags: reference.tags } : { url: reference.url }));
  return entry;
}

/** NVD lists its own analysis as `Primary` and the CNA's as `Secondary`; the primary one wins. */
function primary(metrics: NvdMetric[] | undefined): NvdMetric | undefined {
  if (!metrics || metrics.length === 0) return undefined;
  return metrics.find((metric) => metric.type === 'Primary') ?? metrics[0];
}

/** NVD timestamps have no zone and are UTC, e.g. `2023-02-08T18:15:11.523`. */
function nvdTimestamp(value: string | undefined): string | null {
  if (!value) return null;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
