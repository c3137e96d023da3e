import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../lib/ingest/import-report';
import { testDbKind } from '../helpers/test-db';

// Runs `riskboard import` as a user would, in a child process with its own database: a fresh
// embedded database folder, or a fresh Postgres database when DATABASE_URL is set.

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repositoryRoot, 'bin', 'riskboard.mjs');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One host with two plugins, so the CLI must report one asset and two findings. */
const GOOD_REPORT = `<?xml version="1.0" ?>
<NessusClientData_v2>
<Report name="CLI test">
<ReportHost name="cli-host.integration.test">
<HostProperties>
<tag name="host-ip">192.0.2.90</tag>
<tag name="HOST_START_TIMESTAMP">1741082400</tag>
<tag name="HOST_END_TIMESTAMP">1741082700</tag>
</HostProperties>
<ReportItem port="443" svc_name="www" protocol="tcp" severity="3" pluginID="20001" pluginName="CLI Test High" pluginFamily="General">
<cve>CVE-2022-0778</cve>
</ReportItem>
<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="1" pluginID="20002" pluginName="CLI Test Low" pluginFamily="General">
</ReportItem>
</ReportHost>
</Report>
</NessusClientData_v2>
`;
const GOOD_FINDINGS = (GOOD_REPORT.match(/<ReportItem /g) ?? []).length;

/** Ends inside the start tag of a ReportHost, as a truncated download would. */
const BAD_REPORT = '<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Report name="CLI test">\n<ReportHost name="broken"\n';

describe(`riskboard import on ${testDbKind}`, () => {
  let folder: string;
  let databaseEnv: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'riskboard-cli-'));
    await writeFile(path.join(folder, 'good.nessus'), GOOD_REPORT);
    await writeFile(path.join(folder, 'bad.nessus'), BAD_REPORT);

    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      databaseEnv = { RISKBOARD_DATA_DIR: path.join(folder, 'data') };
      return;
    }
    const name = `riskboard_cli_${randomBytes(6).toString('hex')}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseEnv = { DATABASE_URL: url.toString() };
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
  });

  afterAll(async () => {
    await dropDatabase?.();
    await rm(folder, { recursive: true, force: true });
  });

  /** Runs the CLI with the environment a user's shell has: no test-only log settings. */
  function runCli(args: string[]): Promise<CliResult> {
    const { NODE_ENV: _nodeEnv, LOG_LEVEL: _logLevel, VITEST: _vitest, DATABASE_URL: _databaseUrl, ...inherited } = process.env;
    // Next.js declares NODE_ENV as always set, but a user's shell usually has none.
    const env = { ...inherited, ...databaseEnv } as NodeJS.ProcessEnv;

    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd: folder, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  function summariesOf(result: CliResult): ImportSummary[] {
    try {
      return JSON.parse(result.stdout) as ImportSummary[];
    } catch {
      throw new Error(`stdout of --json is not one JSON document:\n${result.stdout}`);
    }
  }

  it('imports a report and exits 0', async () => {
    const result = await runCli(['import', 'good.nessus', '--json']);

    expect(result.code, result.stderr).toBe(0);
    const [summary, ...others] = summariesOf(result);
    expect(others).toHaveLength(0);
    expect(summary?.status).toBe('succeeded');
    expect(summary?.fileName).toBe('good.nessus');
    expect(summary?.format).toBe('nessus');
    expect(summary?.counts.assetsCreated).toBe(1);
    expect(summary?.counts.findingsNew).toBe(GOOD_FINDINGS);
    expect(summary?.sha256).toBe(createHash('sha256').update(await readFile(path.join(folder, 'good.nessus'))).digest('hex'));
  });

  it('re-import changes nothing', async () => {
    const result = await runCli(['import', 'good.nessus', '--json']);

    expect(result.code, result.stderr).toBe(0);
    const [summary] = summariesOf(result);
    expect(summary?.counts.assetsCreated).toBe(0);
    expect(summary?.counts.findingsNew).toBe(0);
    expect(summary?.counts.findingsUnchanged).toBe(GOOD_FINDINGS);
  });

  it('exits 1 when a report is rejected', async () => {
    const result = await runCli(['import', 'good.nessus', 'bad.nessus', '--json']);

    expect(result.code, result.stderr).toBe(1);
    const [good, bad] = summariesOf(result);
    expect(good?.status).toBe('succeeded');
    expect(bad?.status).toBe('failed');
    expect(bad?.error?.message).toContain('bad.nessus');
    expect(bad?.error?.message).toMatch(/line \d+/);
    expect(result.stderr).toContain('bad.nessus: rejected');
  });

  it('exits 1 on an unknown profile', async () => {
    const result = await runCli(['import', 'good.nessus', '--profile', 'No such profile']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('good.nessus: rejected: good.nessus: connector profile "No such profile" does not exist');
  });

  const usageCases = [
    { name: 'no file', args: ['import'], message: 'import needs at least one FILE' },
    { name: 'missing file', args: ['import', 'absent.nessus'], message: 'file not found: absent.nessus' },
    { name: 'unknown format', args: ['import', 'good.nessus', '--format', 'openvas'], message: 'unknown format "openvas"' },
    { name: '--profile with --format', args: ['import', 'good.nessus', '--profile', 'Tickets', '--format', 'nessus'], message: '--profile needs a connector profile name and replaces --format' },
    { name: 'empty --profile', args: ['import', 'good.nessus', '--profile', ' '], message: '--profile needs a connector profile name' },
  ];

  for (const usage of usageCases) {
    it(`exits 2 on ${usage.name}`, async () => {
      const result = await runCli(usage.args);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(usage.message);
      expect(result.stderr).toContain('Usage: riskboard');
    });
  }
});
