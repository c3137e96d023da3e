import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importReport, type ImportSummary } from '../../ingest/import-report';
import { FORMATS, type ReportFormat } from '../../ingest/model';
import { openCliDatabase } from '../open-cli-db';
import { CliUsageError } from '../usage-error';

/**
 * `riskboard import FILE... [--format F | --profile NAME] [--json]`: imports each file in turn and prints its
 * counts. With --json the summary array goes to stdout and the per-file lines to stderr, so the
 * output can be piped into jq. Exits 1 when any file was rejected.
 */
export async function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new CliUsageError('import needs at least one FILE');
  const format = parseFormat(values.format);
  const profile = values.profile?.trim();
  if (profile !== undefined && (profile === '' || format !== undefined)) throw new CliUsageError('--profile needs a connector profile name and replaces --format; pass one of them');
  const human = values.json ? process.stderr : process.stdout;

  for (const file of positionals) {
    let info;
    try {
      info = await stat(file);
    } catch {
      throw new CliUsageError(`file not found: ${file}`);
    }
    if (!info.isFile()) throw new CliUsageError(`not a file: ${file}; name the report files, e.g. reports/*.nessus`);
  }

  const database = await openCliDatabase({ viaServer: true });
  const summaries: ImportSummary[] = [];
  try {
    if (database.kind === 'server') human.write(`The Riskboard server (pid ${database.pid}) has the database open; importing through ${database.url}\n`);

    for (const file of positionals) {
      const summary =
        database.kind === 'direct'
          ? await importReport(database.handle.db, { fileName: path.basename(file), path: file, format, profile })
          : await importThroughServer(database.url, database.localToken, file, format, profile);
      summaries.push(summary);
      human.write(`${describe(file, summary)}\n`);
    }
  } finally {
    if (database.kind === 'direct') await database.handle.close();
  }

  if (values.json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
  return summaries.every((summary) => summary.status === 'succeeded') ? 0 : 1;
}

function parseFormat(value: string | undefined): ReportFormat | undefined {
  if (value === undefined) return undefined;
  if ((FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new CliUsageError(`unknown format "${value}"; use one of ${FORMATS.join(', ')}`);
}

function describe(file: string, summary: ImportSummary): string {
  if (summary.status === 'failed') return `${file}: rejected: ${summary.error?.message ?? 'unknown error'}`;
  const { counts } = summary;
  const seconds = (summary.durationMs / 1000).toFixed(1);
  return (
    `${file}: ${summary.format} (import ${summary.importId}, ${seconds} s): ` +
    `assets ${counts.assetsCreated} created, ${counts.assetsUpdated} updated, ${counts.assetsUnchanged} unchanged; ` +
    `findings ${counts.findingsNew} new, ${counts.findingsUpdated} updated, ${counts.findingsUnchanged} unchanged, ${counts.findingsFixed ?? 0} fixed`
  );
}

async function importThroughServer(baseUrl: string, localToken: string, file: string, format: ReportFormat | undefined, profile: string | undefined): Promise<ImportSummary> {
  const form = new FormData();
  if (format) form.append('format', format);
  if (profile) form.append('profile', profile);
  form.append('file', await openAsBlob(file), path.basename(file));

  const response = await fetch(`${baseUrl}/api/v1/imports`, {
    method: 'POST',
    headers: { 'x-riskboard-local-token': localToken },
    body: form,
  });
  const body = (await response.json().catch(() => undefined)) as ImportSummary | { error?: { message?: string } } | undefined;
  if ((response.status === 201 || response.status === 422) && body && 'status' in body) return body;

  const message = body && 'error' in body ? body.error?.message : undefined;
  throw new Error(`the server at ${baseUrl} did not accept ${file}: HTTP ${response.status}${message ? `: ${message}` : ''}`);
}
