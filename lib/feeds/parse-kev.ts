import { z } from 'zod';
import { formatJsonPath, streamJson } from '../ingest/json-stream';
import { ReportError } from '../ingest/report-error';
import type { FeedFileInfo, KevEntry } from './model';
import { CVE_ID, isoDate, zodDetail } from './validate';

const kevEntrySchema = z.object({
  cveID: CVE_ID,
  dateAdded: isoDate,
  dueDate: isoDate.optional().nullable(),
  knownRansomwareCampaignUse: z.enum(['Known', 'Unknown']).optional().nullable(),
  vendorProject: z.string().optional().nullable(),
  product: z.string().optional().nullable(),
});

/**
 * Streams the entries of the CISA KEV JSON catalog (`known_exploited_vulnerabilities.json`).
 * Each entry is assembled and validated alone, so memory follows one entry, not the catalog.
 * Throws ReportError naming the entry's field path when an entry is invalid.
 */
export async function* parseKev(text: AsyncIterable<string>, info: FeedFileInfo): AsyncGenerator<KevEntry> {
  let sawList = false;
  const events = streamJson(text, (path, type) => {
    if (path.length === 0) return type === 'object' ? 'enter' : 'skip';
    if (path.length === 1 && path[0] === 'vulnerabilities') return type === 'array' ? 'enter' : 'skip';
    if (path.length === 1 && path[0] === 'catalogVersion') return 'assemble';
    if (path.length === 2 && path[0] === 'vulnerabilities') return 'assemble';
    return 'skip';
  });

  for await (const event of events) {
    if (event.kind === 'start' && event.path.length === 1) sawList = true;
    if (event.kind !== 'value') continue;
    if (event.path[0] === 'catalogVersion') {
      if (typeof event.value === 'string') info.catalogVersion = event.value;
      continue;
    }
    const parsed = kevEntrySchema.safeParse(event.value);
    if (!parsed.success) {
      throw new ReportError('invalid_field', `invalid KEV entry: ${zodDetail(parsed.error)}`, { field: formatJsonPath(event.path) });
    }
    const entry = parsed.data;
    yield {
      cveId: entry.cveID,
      dateAdded: entry.dateAdded,
      dueDate: entry.dueDate ?? null,
      ransomwareUse: entry.knownRansomwareCampaignUse === 'Known',
      vendorProject: entry.vendorProject ?? null,
      product: entry.product ?? null,
    };
  }
  if (!sawList) throw new ReportError('invalid_field', 'the KEV catalog has no "vulnerabilities" array', { field: 'vulnerabilities' });
}
