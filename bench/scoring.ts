// Scoring benchmark. It generates an estate of N findings over H assets, with tags and business
// entities, in a fresh Postgres database. Then it times the full recompute that
// `riskboard scores recompute` runs, one SQL aggregation pass over the same findings, and the
// incremental recompute after an import-sized change of C findings.
// Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/scoring.ts [--findings 1000000] [--assets 50000] [--change 1000]

import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { failWithUsage, positiveInteger, withDatabase } from './cli';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

const USAGE = `Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/scoring.ts [--findings N] [--assets N] [--change N]

  --findings N   open findings in the generated estate, default 1000000
  --assets N     assets they are spread over, default 50000
  --change N     findings changed before the incremental recompute, default 1000

DATABASE_URL must point at a Postgres server where the user may create databases. The benchmark
creates a database named riskboard_bench_<random hex>, works only there, and drops it at the end.`;

/** Tags and business entities in the generated estate; each asset carries one or two tags. */
const TAG_COUNT = 200;
const ENTITY_COUNT = 40;

interface BenchOptions {
  findings: number;
  assets: number;
  change: number;
  databaseUrl: string;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string', default: '1000000' },
      assets: { type: 'string', default: '50000' },
      change: { type: 'string', default: '1000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail('DATABASE_URL is not set; the benchmark needs a Postgres server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  return { findings: positiveInteger('--findings', values.findings, USAGE), assets: positiveInteger('--assets', values.assets, USAGE), change: positiveInteger('--change', values.change, USAGE), databaseUrl };
}


function fail(message: string): never {
  return failWithUsage(message, USAGE);
}


function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

/**
 * Fills the estate with set-based SQL, so generation takes seconds. Detection Scores follow a
 * skewed distribution (most findings low or medium, about 5% critical), as real scans do.
 */
async function generateEstate(sql: postgres.Sql, options: BenchOptions): Promise<void> {
  await sql`
    insert into assets (name, internet_facing, first_seen, last_seen)
    select 'bench-host-' || g, g % 10 = 0, now(), now() from generate_series(1, ${options.assets}) g`;
  await sql`
    insert into tags (name, criticality_score)
    select 'bench-tag-' || g, case when g % 4 = 0 then null else 1 + g % 5 end from generate_series(1, ${TAG_COUNT}) g`;
  await sql`
    insert into asset_tags (asset_id, tag_id)
    select a.id, t.id from assets a join tags t on t.name = 'bench-tag-' || (1 + a.id % ${TAG_COUNT})
    union
    select a.id, t.id from assets a join tags t on t.name = 'bench-tag-' || (1 + (a.id * 7) % ${TAG_COUNT}) where a.id % 3 = 0`;
  await sql`
    insert into business_entities (name) select 'bench-entity-' || g from generate_series(1, ${ENTITY_COUNT}) g`;
  await sql`
    insert into business_entity_tags (business_entity_id, tag_id)
    select e.id, t.id from business_entities e join tags t on (t.id % ${ENTITY_COUNT}) = (e.id % ${ENTITY_COUNT})`;
  await sql`
    insert into findings (type, asset_id, identity_key, cve_id, title, severity, status, first_found, last_found, detection_score)
    select 'vulnerability', 1 + (g % ${options.assets}), 'bench-' || g, 'CVE-2024-' || (10000 + g % 5000), 'bench finding ' || g, 3,
      'active', now(), now(), greatest(1, least(100, round(100 * power(random(), 1.8))))::int
    from generate_series(1, ${options.findings}) g`;
  // Autovacuum would set the visibility map of a long-lived estate; the recompute's index-only
  // reads of findings depend on it.
  await sql`vacuum analyze`;
}

async function main(): Promise<void> {
  const options = readOptions();
  process.env.LOG_LEVEL ??= 'warn';
  process.env.RISKBOARD_ROOT ??= REPO_ROOT;
  const { openDb } = await import('../db/client');
  const { recomputeAllRiskScores, recomputeAssetRiskScores } = await import('../lib/scoring/recompute');
  const { snapshotRiskScores } = await import('../lib/scoring/snapshots');

  const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const database = `riskboard_bench_${randomBytes(4).toString('hex')}`;
  const benchUrl = withDatabase(options.databaseUrl, database);
  const [server] = await admin<{ server_version: string }[]>`show server_version`;
  await admin.unsafe(`create database ${database}`);
  console.log(`database     PostgreSQL ${server?.server_version ?? 'unknown version'}, database ${database} (dropped at the end)`);

  try {
    const handle = await openDb({ databaseUrl: benchUrl });
    const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
    try {
      const generation = await timed(() => generateEstate(sql, options));
      console.log(`estate       ${options.findings} findings over ${options.assets} assets, ${TAG_COUNT} tags, ${ENTITY_COUNT} business entities, generated in ${seconds(generation.ms)}`);

      // (a) Everything: criticality, v1 and v2 of every asset, and the snapshot of every subject.
      const full = await timed(() => handle.db.transaction((tx) => recomputeAllRiskScores(tx)));
      console.log(`full         ${full.value.assetCount} assets recomputed in ${seconds(full.ms)}`);

      // (b) The floor: one grouped pass over the same findings, as the recompute's own query reads them.
      const baseline = await timed(
        () => sql`select asset_id, count(*), sum(detection_score), max(detection_score) from findings where status <> 'fixed' group by asset_id`,
      );
      console.log(`aggregation  one grouped SQL pass over the findings in ${seconds(baseline.ms)} (${baseline.value.length} groups)`);
      console.log(`ratio        ${(full.ms / baseline.ms).toFixed(1)} (full recompute / aggregation pass)`);

      // (c) A spread change, the worst case for the groups: C findings on about C different assets
      // change score or get fixed, then only those assets recompute.
      const changed = await sql<{ asset_id: number }[]>`
        update findings set detection_score = greatest(1, 101 - detection_score), status = case when id % 4 = 0 then 'fixed'::finding_status else status end
        where id in (select id from findings order by random() limit ${options.change})
        returning asset_id`;
      const touched = [...new Set(changed.map((row) => Number(row.asset_id)))];
      const incremental = await timed(() => handle.db.transaction((tx) => recomputeAssetRiskScores(tx, touched)));
      const verdict = incremental.ms < 1000 ? 'under' : 'OVER';
      console.log(`incremental  ${options.change} findings on ${touched.length} assets recomputed in ${seconds(incremental.ms)} (${verdict} the 1 s budget)`);
      // The same call's snapshot step alone, to show where the incremental time goes.
      const snapshots = await timed(() => handle.db.transaction((tx) => snapshotRiskScores(tx, { assetIds: touched })));
      console.log(`  snapshots  ${snapshots.value} subjects (organization and the touched assets' tags and entities) upserted in ${seconds(snapshots.ms)}`);

      // (d) An import-shaped change: every finding of as many assets as hold C findings, as a
      // re-scan of those hosts would write.
      const perAsset = Math.max(1, Math.round(options.findings / options.assets));
      const assetCount = Math.max(1, Math.ceil(options.change / perAsset));
      const imported = await sql<{ asset_id: number }[]>`
        update findings set detection_score = greatest(1, 101 - detection_score)
        where asset_id in (select id from assets order by random() limit ${assetCount})
        returning asset_id`;
      const importedAssets = [...new Set(imported.map((row) => Number(row.asset_id)))];
      const importShaped = await timed(() => handle.db.transaction((tx) => recomputeAssetRiskScores(tx, importedAssets)));
      const importVerdict = importShaped.ms < 1000 ? 'under' : 'OVER';
      console.log(`import-like  ${imported.length} findings on ${importedAssets.length} assets recomputed in ${seconds(importShaped.ms)} (${importVerdict} the 1 s budget)`);
    } finally {
      await sql.end({ timeout: 5 });
      await handle.close();
    }
  } finally {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
