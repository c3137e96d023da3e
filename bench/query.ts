// Query language benchmark. It fills a fresh Postgres database with generated findings, assets,
// tags and CVEs. Then it times the first page of five typical findings queries written in the
// query language against hand-written SQL for the same question, and prints medians and ratios.
// Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/query.ts [--findings 1000000] [--runs 15]

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb, type Db } from '../db/client';
import { queryRows } from '../db/execute';
import { assets, findings } from '../db/schema';
import { listFindings } from '../lib/findings/list-findings';
import { queryFilter } from '../lib/query/filter';

const USAGE = `Usage: DATABASE_URL=postgres://user@host:port/db npx tsx bench/query.ts [--findings N] [--runs N]

  --findings N   findings to generate, default 1000000; assets are one per 50 findings
  --runs N       timed runs of each query after two warm-up runs, default 15
  --keep         keep the generated database and print its name, to run EXPLAIN in psql

DATABASE_URL must point at a Postgres server where the user may create databases. The benchmark
creates a database named riskboard_bench_query_<random hex>, works only there, and drops it at the end.`;

interface Question {
  name: string;
  query: string;
  /** The fastest SQL we could write by hand for the same first page, ordered like the list. */
  handWritten: SQL;
}

const PAGE = 50;
const PAGE_COLUMNS = sql`f.id, f.title, f.severity, f.status, f.detection_score, f.cve_id, f.last_found, a.id as asset_id, a.name as asset_name`;

const QUESTIONS: Question[] = [
  {
    name: 'severity, tag and date range',
    query: 'finding.severity>=high AND asset.tags.name:production AND finding.lastFoundDate:[2026-01-01 .. 2026-03-31]',
    handWritten: sql`select ${PAGE_COLUMNS} from findings f join assets a on a.id = f.asset_id
      where f.severity >= 4 and f.last_found >= '2026-01-01T00:00:00Z' and f.last_found < '2026-04-01T00:00:00Z'
        and f.asset_id in (select at.asset_id from asset_tags at join tags t on t.id = at.tag_id where t.name = 'production')
      order by f.detection_score desc nulls last, f.id asc limit ${PAGE + 1}`,
  },
  {
    name: 'text contains',
    query: 'finding.title:"remote code execution"',
    handWritten: sql`select ${PAGE_COLUMNS} from findings f join assets a on a.id = f.asset_id
      where f.title ilike '%remote code execution%' order by f.detection_score desc nulls last, f.id asc limit ${PAGE + 1}`,
  },
  {
    name: 'CVE list',
    query: 'finding.cveId:[CVE-2021-00016, CVE-2022-00447, CVE-2023-01238, CVE-2024-05559]',
    handWritten: sql`select ${PAGE_COLUMNS} from findings f join assets a on a.id = f.asset_id
      where f.cve_ids && array['CVE-2021-00016', 'CVE-2022-00447', 'CVE-2023-01238', 'CVE-2024-05559']::text[]
      order by f.detection_score desc nulls last, f.id asc limit ${PAGE + 1}`,
  },
  {
    name: 'KEV on internet-facing assets',
    query: 'finding.isKev:true AND asset.internetFacing:true',
    handWritten: sql`select ${PAGE_COLUMNS} from findings f join assets a on a.id = f.asset_id and a.internet_facing
      join vulnerabilities v on v.cve_id = f.cve_id and v.is_kev
      order by f.detection_score desc nulls last, f.id asc limit ${PAGE + 1}`,
  },
  {
    name: 'open critical findings seen since a date',
    query: 'finding.status:[new, active, reopened] AND finding.severity:critical AND finding.lastFoundDate>=2026-04-01',
    handWritten: sql`select ${PAGE_COLUMNS} from findings f join assets a on a.id = f.asset_id
      where f.status in ('new', 'active', 'reopened') and f.severity = 5 and f.last_found >= '2026-04-01T00:00:00Z'
      order by f.detection_score desc nulls last, f.id asc limit ${PAGE + 1}`,
  },
];

function readOptions(): { findings: number; runs: number; keep: boolean; databaseUrl: string } {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '15' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const findingCount = Number(values.findings);
  const runs = Number(values.runs);
  if (!Number.isInteger(findingCount) || findingCount < 1000) fail(`--findings must be a whole number of at least 1000, not ${values.findings}`);
  if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive whole number, not ${values.runs}`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail('DATABASE_URL is not set; the benchmark measures Postgres, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  return { findings: findingCount, runs, keep: values.keep, databaseUrl };
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Generates the estate with set-based SQL, seeded so every run gets the same data (one connection, see main). */
async function generate(db: Db, findingCount: number): Promise<void> {
  const assetCount = Math.max(20, Math.floor(findingCount / 50));
  const cveCount = 20_000;
  await db.execute(sql`select setseed(0.42)`);
  await db.execute(sql`insert into tags (name) select 'tag-' || g from generate_series(1, 50) g`);
  await db.execute(sql`insert into tags (name) values ('production')`);
  await db.execute(sql`insert into assets (name, ipv4, os, internet_facing, first_seen, last_seen, risk_score, criticality_score)
    select 'host-' || g, array['10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256], (array['Windows Server 2019', 'Ubuntu 22.04', 'RHEL 9'])[1 + g % 3],
      random() < 0.1, timestamptz '2025-06-01', timestamptz '2026-01-01' + random() * interval '120 days', random() * 1000, 1 + g % 5
    from generate_series(1, ${assetCount}) g`);
  await db.execute(sql`insert into asset_tags (asset_id, tag_id) select a.id, t.id from assets a join tags t on t.name = 'tag-' || (1 + a.id % 50)`);
  await db.execute(sql`insert into asset_tags (asset_id, tag_id) select a.id, t.id from assets a join tags t on t.name = 'production' where a.id % 5 = 0`);
  await db.execute(sql`insert into vulnerabilities (cve_id, epss_score, is_kev, cvss3_base_score)
    select 'CVE-' || (2015 + g % 10) || '-' || lpad(g::text, 5, '0'), random(), random() < 0.02, round((random() * 10)::numeric, 1)
    from generate_series(1, ${cveCount}) g`);
  // Each finding's CVE is drawn from the catalog; titles combine a few phrases so that text
  // searches match some findings, not all.
  await db.execute(sql`insert into findings (type, asset_id, identity_key, cve_id, cve_ids, title, severity, status, detection_score, first_found, last_found, sources, port, protocol)
    select 'vulnerability', 1 + floor(random() * ${assetCount})::integer, 'k' || g, cve, array[cve],
      (array['Remote code execution in', 'SQL injection in', 'Weak TLS cipher on', 'Outdated', 'Cross-site scripting in', 'Denial of service in'])[1 + (g * 13) % 6]
        || ' ' || (array['OpenSSL', 'Apache httpd', 'nginx', 'log4j', 'OpenSSH', 'Windows SMB', 'PHP', 'Tomcat'])[1 + (g * 17) % 8],
      1 + floor(random() * 5)::integer, (array['new', 'active', 'reopened', 'fixed'])[1 + floor(random() * 4)::integer]::finding_status, 1 + floor(random() * 100)::integer,
      found, found + random() * interval '60 days', array['Nessus'], (array[22, 80, 443, 3389])[1 + g % 4], 'tcp'
    from (select g, 'CVE-' || (2015 + c % 10) || '-' || lpad(c::text, 5, '0') as cve, timestamptz '2025-10-01' + random() * interval '200 days' as found
          from (select g, 1 + floor(random() * ${cveCount})::integer as c from generate_series(1, ${findingCount}) g) numbered) source`);
  await db.execute(sql`analyze`);
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Reads the first page as listFindings does, with the compiled filter and sorted by Detection Score. */
async function compiledPage(db: Db, query: string): Promise<number> {
  const where = await queryFilter(db, 'finding', query);
  const rows = await db
    .select({ id: findings.id, title: findings.title, severity: findings.severity, assetName: assets.name })
    .from(findings)
    .innerJoin(assets, eq(assets.id, findings.assetId))
    .where(where)
    .orderBy(sql`${findings.detectionScore} desc nulls last`, asc(findings.id))
    .limit(PAGE + 1);
  return rows.length;
}

async function main(): Promise<void> {
  const options = readOptions();
  const name = `riskboard_bench_query_${randomBytes(6).toString('hex')}`;
  const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(options.databaseUrl);
  url.pathname = `/${name}`;
  // One connection, so setseed and the inserts share a session and every run gets the same data.
  const handle = await openDb({ databaseUrl: url.toString(), maxConnections: 1 });

  try {
    const generateMs = await time(() => generate(handle.db, options.findings));
    console.log(`generated ${options.findings} findings in ${(generateMs / 1000).toFixed(1)} s`);

    const lines = ['| Question | Query | Rows on page | Compiled p50 | Hand-written p50 | Ratio | listFindings with total p50 |', '| --- | --- | --- | --- | --- | --- | --- |'];
    for (const question of QUESTIONS) {
      const compiled: number[] = [];
      const hand: number[] = [];
      const full: number[] = [];
      let rowsOnPage = 0;
      for (let run = 0; run < options.runs + 2; run++) {
        const compiledMs = await time(async () => {
          rowsOnPage = await compiledPage(handle.db, question.query);
        });
        const handMs = await time(() => queryRows(handle.db, question.handWritten));
        const fullMs = await time(() => listFindings(handle.db, { q: question.query, limit: PAGE }));
        // The first two runs warm the caches and are not counted.
        if (run < 2) continue;
        compiled.push(compiledMs);
        hand.push(handMs);
        full.push(fullMs);
      }
      const ratio = median(compiled) / median(hand);
      lines.push(
        `| ${question.name} | \`${question.query}\` | ${Math.min(rowsOnPage, PAGE)} | ${median(compiled).toFixed(1)} ms | ${median(hand).toFixed(1)} ms | ${ratio.toFixed(2)} | ${median(full).toFixed(1)} ms |`,
      );
    }

    const [version] = await queryRows<{ version: string }>(handle.db, sql`select version()`);
    console.log(`\nnpx tsx bench/query.ts --findings ${options.findings} --runs ${options.runs}`);
    console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${version?.version.split(',')[0] ?? 'Postgres'}, load average ${os.loadavg()[0]?.toFixed(1)}\n`);
    console.log(lines.join('\n'));
  } finally {
    await handle.close();
    if (options.keep) console.log(`\nkept database ${name}; drop it with: drop database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

await main();
