// Import benchmark. It writes a Nessus v2 report of N findings over H hosts to bench/out/ and
// imports it with the product's importReport into a fresh Postgres database. Then it loads the
// same rows with a raw COPY into a plain table, and prints both rates, their ratio and peak RSS.
// During the import it samples RSS and V8 heap once a second and writes the series to bench/out/.
// Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/import.ts [--findings 100000] [--hosts 5000]

import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { writeNessusFile } from '../demo/generator/nessus-writer';
import { SeededRandom } from '../demo/generator/random';
import { BASELINE_TABLE, copyFindings, countBaselineRows, createBaselineTable } from './copy-baseline';
import { BENCH_SCAN_START, benchHostRecords } from './input';
import { failWithUsage, positiveInteger, withDatabase } from './cli';
import { MemorySampler, samplesSummary, writeSamplesCsv } from './memory-samples';

const BENCH_SEED = 5000;
const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT_DIR = join(REPO_ROOT, 'bench', 'out');

const USAGE = `Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/import.ts [--findings N] [--hosts N]

  --findings N   findings (Nessus ReportItems) in the generated report, default 100000
  --hosts N      hosts (ReportHosts) they are spread over, default 5000

DATABASE_URL must point at a Postgres server where the user may create databases. The benchmark
creates a database named riskboard_bench_<random hex>, works only there, and drops it at the end.`;

interface BenchOptions {
  findings: number;
  hosts: number;
  databaseUrl: string;
}

/** Parses the command line, and prints usage and exits on --help or invalid input. */
function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string', default: '100000' },
      hosts: { type: 'string', default: '5000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }

  const findings = positiveInteger('--findings', values.findings, USAGE);
  const hosts = positiveInteger('--hosts', values.hosts, USAGE);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    fail('DATABASE_URL is not set. The benchmark compares the import with Postgres COPY, so it needs a Postgres server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  }
  return { findings, hosts, databaseUrl };
}


function fail(message: string): never {
  return failWithUsage(message, USAGE);
}


/** Returns host and port of a connection string, without credentials, for printing. */
function serverLabel(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '5432'}`;
}

/** Peak resident set size of this process so far, in MiB. */
function peakRssMiB(): number {
  // resourceUsage().maxRSS is in kibibytes.
  return process.resourceUsage().maxRSS / 1024;
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}

function perSecond(count: number, milliseconds: number): number {
  return count / (milliseconds / 1000);
}

async function main(): Promise<void> {
  const options = readOptions();
  // The product logs every import at info level; the benchmark prints its own summary.
  process.env.LOG_LEVEL ??= 'warn';
  // db/migrations is found relative to RISKBOARD_ROOT, or the working folder when unset.
  process.env.RISKBOARD_ROOT ??= REPO_ROOT;
  const { openDb } = await import('../db/client');
  const { importReport } = await import('../lib/ingest/import-report');

  await mkdir(OUT_DIR, { recursive: true });
  const fileName = `nessus-${options.findings}-findings-${options.hosts}-hosts.nessus`;
  const reportPath = join(OUT_DIR, fileName);
  const generationStart = performance.now();
  const reportBytes = await writeNessusFile(
    reportPath,
    { policyName: 'Riskboard import benchmark', reportName: 'Riskboard import benchmark', scanStart: BENCH_SCAN_START, targets: ['10.64.0.0/10'] },
    benchHostRecords(options.findings, options.hosts, new SeededRandom(BENCH_SEED)),
  );
  const generationMs = performance.now() - generationStart;
  console.log(`input     ${relative(process.cwd(), reportPath)}: ${options.findings} findings on ${options.hosts} hosts, ${(reportBytes / 1024 ** 2).toFixed(1)} MiB, written in ${seconds(generationMs)}`);

  const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const database = `riskboard_bench_${randomBytes(4).toString('hex')}`;
  const benchUrl = withDatabase(options.databaseUrl, database);
  const [server] = await admin<{ server_version: string }[]>`show server_version`;
  await admin.unsafe(`create database ${database}`);
  console.log(`database  PostgreSQL ${server?.server_version ?? 'unknown version'} at ${serverLabel(options.databaseUrl)}, database ${database} (dropped at the end)`);

  try {
    // (a) The product's import, from a file stream, into a freshly migrated database.
    const handle = await openDb({ databaseUrl: benchUrl });
    let importMs: number;
    let summary: Awaited<ReturnType<typeof importReport>>;
    // RSS and V8 heap once a second, against the bytes of the report read so far.
    const sampler = new MemorySampler();
    try {
      const importStart = performance.now();
      summary = await importReport(handle.db, {
        fileName,
        bytes: createReadStream(reportPath),
        onProgress: (progress) => sampler.progress(progress.bytesRead, progress.findings),
      });
      importMs = performance.now() - importStart;
    } finally {
      sampler.stop();
      await handle.close();
    }
    if (summary.status !== 'succeeded') throw new Error(`import of ${fileName} failed: ${summary.error?.message ?? 'no error message'}`);
    if (summary.counts.findingsNew !== options.findings) {
      console.warn(`warning   the import created ${summary.counts.findingsNew} findings, expected ${options.findings}; the rate below uses the expected count`);
    }
    const importRate = perSecond(options.findings, importMs);
    const rssAfterImport = peakRssMiB();
    console.log(`import    ${options.findings} findings in ${seconds(importMs)} = ${Math.round(importRate)} findings/s (importReport reported ${summary.durationMs} ms; counts ${JSON.stringify(summary.counts)})`);
    const samplesPath = join(OUT_DIR, `memory-${options.findings}-findings-${options.hosts}-hosts-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`);
    await writeSamplesCsv(samplesPath, sampler.samples);
    console.log(`memory    during the import, by tenth of the report read (full series: ${relative(process.cwd(), samplesPath)})`);
    for (const line of samplesSummary(sampler.samples, reportBytes)) console.log(line);

    // (b) The same rows with COPY FROM STDIN into a plain table shaped like findings.
    const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
    let copyMs: number;
    let copiedRows: number;
    try {
      await createBaselineTable(sql);
      const copyStart = performance.now();
      copiedRows = await copyFindings(sql, benchHostRecords(options.findings, options.hosts, new SeededRandom(BENCH_SEED)));
      copyMs = performance.now() - copyStart;
      const counted = await countBaselineRows(sql);
      if (counted !== copiedRows) throw new Error(`COPY loaded ${counted} rows into ${BASELINE_TABLE}, expected ${copiedRows}`);
    } finally {
      await sql.end({ timeout: 5 });
    }
    const copyRate = perSecond(copiedRows, copyMs);
    console.log(`copy      ${copiedRows} rows in ${seconds(copyMs)} = ${Math.round(copyRate)} rows/s into ${BASELINE_TABLE} (findings' columns, primary key only)`);

    console.log(`ratio     ${(importRate / copyRate).toFixed(3)} (import rate / COPY rate)`);
    console.log(`peak RSS  ${rssAfterImport.toFixed(0)} MiB after the import, ${peakRssMiB().toFixed(0)} MiB at the end`);
  } finally {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
