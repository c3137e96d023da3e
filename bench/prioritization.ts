// Prioritization benchmark. It generates an estate of N open findings over H assets in a fresh
// Postgres database, recomputes every Risk Score, then times `remediationPlan`, the computation
// behind the /prioritization page, over several runs.
// Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/prioritization.ts [--findings 122000] [--assets 911] [--cves 3000] [--runs 7] [--reference] [--database-prefix riskboard_bench_]

import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { failWithUsage, positiveInteger, withDatabase } from './cli';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

const USAGE = `Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/prioritization.ts [--findings N] [--assets N] [--cves N] [--runs N] [--reference] [--database-prefix P]

  --findings N   open findings in the generated estate, default 122000
  --assets N     assets they are spread over, default 911
  --cves N       distinct CVEs, drawn so that a few sit on most assets, default 3000
  --runs N       timed runs of remediationPlan after one warm-up run, default 7
  --reference    also time the previous algorithm (tests/scoring/remediation-reference.ts) in
                 alternating runs, and report whether both plans list the same fixes
  --database-prefix P
                 start of the generated database's name (lowercase letters, digits and
                 underscores), default riskboard_bench_

DATABASE_URL must point at a Postgres server where the user may create databases. The benchmark
creates a database named <prefix><random hex>, works only there, and drops it at the end.`;

interface BenchOptions {
  findings: number;
  assets: number;
  cves: number;
  runs: number;
  reference: boolean;
  databasePrefix: string;
  databaseUrl: string;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string', default: '122000' },
      assets: { type: 'string', default: '911' },
      cves: { type: 'string', default: '3000' },
      runs: { type: 'string', default: '7' },
      reference: { type: 'boolean', default: false },
      'database-prefix': { type: 'string', default: 'riskboard_bench_' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) failWithUsage('DATABASE_URL is not set; the benchmark needs a Postgres server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres', USAGE);
  const databasePrefix = values['database-prefix'];
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(databasePrefix)) failWithUsage(`invalid --database-prefix "${databasePrefix}": expected lowercase letters, digits and underscores`, USAGE);
  return {
    findings: positiveInteger('--findings', values.findings, USAGE),
    assets: positiveInteger('--assets', values.assets, USAGE),
    cves: positiveInteger('--cves', values.cves, USAGE),
    runs: positiveInteger('--runs', values.runs, USAGE),
    reference: values.reference,
    databasePrefix,
    databaseUrl,
  };
}

/**
 * Fills the estate with set-based SQL. The CVE index is the cube of a uniform draw, so the first
 * few CVEs sit on most assets and most CVEs on a handful, as in scanner reports. A fifth of the
 * findings have no CVE. Detection Scores are skewed toward low values, as in bench/scoring.ts.
 */
async function generateEstate(sql: postgres.Sql, options: BenchOptions): Promise<void> {
  await sql`
    insert into assets (name, internet_facing, first_seen, last_seen)
    select 'bench-host-' || g, g % 10 = 0, now(), now() from generate_series(1, ${options.assets}) g`;
  await sql`
    insert into findings (type, asset_id, identity_key, cve_id, title, severity, status, first_found, last_found, detection_score)
    select 'vulnerability', 1 + (g % ${options.assets}), 'bench-' || g,
      case when random() < 0.2 then null else 'CVE-2024-' || (10000 + floor(${options.cves} * power(random(), 3))::int) end,
      'bench finding ' || g, 3, 'active', now(), now(), greatest(1, least(100, round(100 * power(random(), 1.8))))::int
    from generate_series(1, ${options.findings}) g`;
  await sql`vacuum analyze`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const options = readOptions();
  process.env.LOG_LEVEL ??= 'warn';
  process.env.RISKBOARD_ROOT ??= REPO_ROOT;
  const { openDb } = await import('../db/client');
  const { recomputeAllRiskScores } = await import('../lib/scoring/recompute');
  const { remediationPlan } = await import('../lib/scoring/prioritization');
  const { referenceRemediationPlan } = await import('../tests/scoring/remediation-reference');

  const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const database = `${options.databasePrefix}${randomBytes(4).toString('hex')}`;
  const benchUrl = withDatabase(options.databaseUrl, database);
  const [server] = await admin<{ server_version: string }[]>`show server_version`;
  await admin.unsafe(`create database ${database}`);
  console.log(`database  PostgreSQL ${server?.server_version ?? 'unknown version'}, database ${database} (dropped at the end)`);

  try {
    const handle = await openDb({ databaseUrl: benchUrl });
    const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
    try {
      await generateEstate(sql, options);
      await handle.db.transaction((tx) => recomputeAllRiskScores(tx));
      const [shape] = await sql<{ cves: number; open: number }[]>`select count(distinct cve_id)::int as cves, count(*)::int as open from findings where status <> 'fixed'`;
      console.log(`estate    ${shape?.open ?? 0} open findings over ${options.assets} assets, ${shape?.cves ?? 0} distinct CVEs`);

      type Planner = typeof remediationPlan;
      const planners: [string, Planner][] = [['current', remediationPlan]];
      if (options.reference) planners.push(['reference', referenceRemediationPlan]);
      const durations = new Map<string, number[]>(planners.map(([name]) => [name, []]));
      const plans = new Map<string, Awaited<ReturnType<Planner>>>();
      for (const [, planner] of planners) await planner(handle.db);
      // The planners take turns, so a change in machine load affects both alike.
      for (let run = 0; run < options.runs; run++) {
        for (const [name, planner] of planners) {
          const start = performance.now();
          const plan = await planner(handle.db);
          durations.get(name)!.push(performance.now() - start);
          plans.set(name, plan);
        }
      }

      for (const [name] of planners) {
        const times = durations.get(name)!;
        const plan = plans.get(name)!;
        console.log(`${name.padEnd(9)} median ${Math.round(median(times))} ms over ${options.runs} runs (${times.map((ms) => Math.round(ms)).join(', ')} ms); ${plan.items.length} fixes, organization v2 ${plan.score.toFixed(1)}`);
      }
      const reference = plans.get('reference');
      if (reference) {
        const describe = (plan: Awaited<ReturnType<Planner>>) => plan.items.map((item) => (item.kind === 'finding' ? `finding ${item.findingId}` : `cve ${item.cveId}`)).join(',');
        const same = describe(reference) === describe(plans.get('current')!);
        console.log(`same      ${same ? 'yes' : 'NO'}: both plans list ${same ? 'the same fixes in the same order' : 'different fixes'}`);
      }
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
