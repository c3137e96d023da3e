import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { pluginSeverity } from '../demo/generator/catalog';
import type { NessusHostRecord } from '../demo/generator/nessus-writer';

// The baseline of the import benchmark: the same findings loaded with Postgres COPY FROM STDIN
// into a plain table shaped like `findings`. It measures how fast this Postgres can take the
// rows at all, with no parsing, matching, deduplication, detections or index maintenance.

/** Name of the baseline table, created in the benchmark's own database. */
export const BASELINE_TABLE = 'bench_findings_copy';

/**
 * Columns loaded by COPY: every column of `findings` except `id`, which the identity default
 * fills as it does on import.
 */
const COLUMNS = [
  'type',
  'asset_id',
  'identity_key',
  'cve_id',
  'cve_ids',
  'vendor_id',
  'title',
  'description',
  'solution',
  'severity',
  'status',
  'port',
  'protocol',
  'technology_id',
  'fixed_version',
  'cwe_ids',
  'cvss2_base_score',
  'cvss3_base_score',
  'cvss3_vector',
  'sources',
  'first_found',
  'last_found',
  'fixed_at',
  'detection_score',
  'created_at',
  'updated_at',
] as const;

/**
 * Creates the baseline table with the columns, types, defaults and identity of `findings`, and a
 * primary key on `id` as its only index: no foreign keys, no unique identity index and none of
 * the secondary indexes of `findings`.
 */
export async function createBaselineTable(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`create table ${BASELINE_TABLE} (like findings including defaults including identity)`);
  await sql.unsafe(`alter table ${BASELINE_TABLE} add primary key (id)`);
}

/** Escapes one value for COPY's text format, with `null` as `\N`. */
function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/** Formats values as a Postgres text[] literal with every element quoted, before COPY escaping. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * Formats the COPY lines of one host's findings with the values the importer stores: severity
 * on the 1–5 scale (Nessus severity + 1), the Nessus identity key form, the first CVE as
 * `cve_id`. The detection score is a simple stand-in (the best CVSS score times ten), because
 * the baseline measures loading, not scoring.
 */
function hostLines(record: NessusHostRecord, assetId: number, loadedAt: string): string {
  const found = record.host.end.toISOString();
  let lines = '';
  for (const item of record.items) {
    const { plugin } = item;
    const cves = plugin.cves ?? [];
    const cvss = plugin.cvss3?.score ?? plugin.cvss2?.score;
    const values: (string | number | null)[] = [
      'vulnerability',
      assetId,
      `vendor|nessus|${plugin.id}|${item.port}/${item.protocol}`,
      cves[0] ?? null,
      arrayLiteral(cves),
      String(plugin.id),
      plugin.name,
      plugin.description,
      plugin.solution,
      pluginSeverity(plugin) + 1,
      'new',
      item.port,
      item.protocol,
      null,
      null,
      arrayLiteral((plugin.cwes ?? []).map((cwe) => `CWE-${cwe}`)),
      plugin.cvss2?.score ?? null,
      plugin.cvss3?.score ?? null,
      plugin.cvss3?.vector ?? null,
      arrayLiteral(['Nessus']),
      found,
      found,
      null,
      Math.max(1, Math.round((cvss ?? 0) * 10)),
      loadedAt,
      loadedAt,
    ];
    lines += `${values.map(copyText).join('\t')}\n`;
  }
  return lines;
}

/**
 * Streams the findings of `records` into the baseline table with one COPY and returns the
 * number of rows loaded. Asset ids are the hosts' positions, counted from 1.
 */
export async function copyFindings(sql: postgres.Sql, records: Iterable<NessusHostRecord>): Promise<number> {
  const loadedAt = new Date().toISOString();
  let rows = 0;

  function* chunks(): Generator<string> {
    let assetId = 0;
    for (const record of records) {
      assetId += 1;
      rows += record.items.length;
      yield hostLines(record, assetId, loadedAt);
    }
  }

  const writable = await sql.unsafe(`copy ${BASELINE_TABLE} (${COLUMNS.join(', ')}) from stdin`).writable();
  await pipeline(Readable.from(chunks()), writable);
  return rows;
}

/** Returns the number of rows in the baseline table, to check a COPY after timing it. */
export async function countBaselineRows(sql: postgres.Sql): Promise<number> {
  const [counted] = await sql.unsafe<{ count: string }[]>(`select count(*)::text as count from ${BASELINE_TABLE}`);
  return Number(counted?.count ?? 0);
}
