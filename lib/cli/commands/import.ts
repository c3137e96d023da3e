import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importReport, type ImportSummary } from '../../ingest/import-report';
import { FORMATS, type ReportFormat } from '../../ingest/model';
import type { z } from 'zod';
import type { Db } from '../../../db/client';
import { importItemSchema } from '../../imports/import-schema';
import { parseAssetName } from '../../ingest/asset-name-schema';
import { openCliDatabase } from '../open-cli-db';
import { ProgressLine } from '../progress-line';
import { CliUsageError } from '../usage-error';

/** Options of `riskboard import`, as parsed from its arguments. */
export interface ImportArgs {
  files: string[];
  format?: ReportFormat;
  profile?: string;
  /** Name of each report's only asset (importReport's `assetName`). */
  assetName?: string;
  json: boolean;
}

/** Parses the arguments of `riskboard import`; throws CliUsageError for an invalid combination or value. */
export function parseImportArgs(argv: string[]): ImportArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, profile: { type: 'string' }, 'asset-name': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new CliUsageError('import needs at least one FILE');
  const format = parseFormat(values.format);
  const profile = values.profile?.trim();
  if (profile !== undefined && (profile === '' || format !== undefined)) throw new CliUsageError('--profile needs a connector profile name and replaces --format; pass one of them');

  const args: ImportArgs = { files: positionals, json: values.json };
  if (format !== undefined) args.format = format;
  if (profile !== undefined) args.profile = profile;
  const assetName = values['asset-name'];
  if (assetName !== undefined) {
    const parsed = parseAssetName(assetName);
    if (parsed.error !== undefined) throw new CliUsageError(`--asset-name: ${parsed.error}`);
    args.assetName = parsed.name;
  }
  return args;
}

/**
 * `riskboard import FILE... [--format F | --profile NAME] [--asset-name NAME] [--json]`: imports each file in turn
 * and prints its counts. With --json the summary array goes to stdout and the per-file lines to stderr, so the
 * output can be piped into jq. Exits 1 when any file was rejected.
 */
export async function runImport(argv: string[]): Promise<number> {
  const { files: positionals, format, profile, assetName, json } = parseImportArgs(argv);
  const options: ImportOptions = { format, profile, assetName };
  const human = json ? process.stderr : process.stdout;

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
          ? await importDirect(database.handle.db, file, options, human)
          : await importThroughServer(database.url, database.localToken, file, options, human);
      summaries.push(summary);
      human.write(`${describe(file, summary)}\n`);
    }
  } finally {
    if (database.kind === 'direct') await database.handle.close();
  }

  if (json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
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
    `findings ${counts.findingsNew} new, ${counts.findingsUpdated} updated, ${counts.findingsUnchanged} unchanged, ${counts.findingsFixed ?? 0} fixed, ` +
    `${counts.findingsReopened ?? 0} reopened, ${counts.findingsMerged ?? 0} merged, ${counts.findingsSkipped ?? 0} skipped` +
    (counts.endOfLifeFindings === undefined ? '' : `; ${counts.endOfLifeFindings} end-of-life findings derived`) +
    Object.entries(counts.skipped ?? {})
      .map(([reason, count]) => `\n  skipped ${count}: ${reason}`)
      .join('')
  );
}

/** Import options that `riskboard import` passes on to each file's import. */
export interface ImportOptions {
  format?: ReportFormat;
  profile?: string;
  assetName?: string;
}

async function importDirect(db: Db, file: string, options: ImportOptions, human: NodeJS.WritableStream): Promise<ImportSummary> {
  const progress = new ProgressLine(human, file);
  let summary: ImportSummary | undefined;
  try {
    summary = await importReport(db, {
      fileName: path.basename(file),
      path: file,
      format: options.format,
      profile: options.profile,
      assetName: options.assetName,
      onProgress: ({ bytesRead, bytesTotal, findings }) => progress.update({ bytesDone: bytesRead, bytesTotal, records: findings }),
    });
    return summary;
  } finally {
    progress.finish(summary && findingsOf(summary));
  }
}

export async function importThroughServer(
  baseUrl: string,
  localToken: string,
  file: string,
  options: ImportOptions,
  human: NodeJS.WritableStream,
): Promise<ImportSummary> {
  // The server reads these fields only when they come before the file.
  const form = new FormData();
  if (options.format) form.append('format', options.format);
  if (options.profile) form.append('profile', options.profile);
  if (options.assetName !== undefined) form.append('assetName', options.assetName);
  form.append('file', await openAsBlob(file), path.basename(file));

  const response = await fetch(`${baseUrl}/api/v1/imports`, {
    method: 'POST',
    headers: { 'x-riskboard-local-token': localToken },
    body: form,
  });
  const body = (await response.json().catch(() => undefined)) as ImportSummary | { error?: { code?: string; message?: string } } | undefined;
  if (response.status === 202 && body && 'importId' in body) return waitForImport(baseUrl, localToken, file, body.importId, human);
  // Responses 201, 422, 413 and 500 carry a summary. Any other response becomes a failed summary, so
  // the batch goes on with the next file, as it does without a server.
  if (body && 'status' in body && (body.status === 'succeeded' || body.status === 'failed')) return body;
  return rejectedByServer(baseUrl, file, response.status, body && 'error' in body ? body.error : undefined);
}

/** Returns the import error code that matches an HTTP status without a summary. */
function errorCodeForStatus(status: number): string {
  if (status === 413) return 'too_large';
  if (status >= 500) return 'internal';
  return 'rejected';
}

/** Builds a failed summary, with the HTTP status and message, for a server response without one. */
export function rejectedByServer(baseUrl: string, file: string, status: number, error: { code?: string; message?: string } | undefined): ImportSummary {
  const code = error?.code ?? errorCodeForStatus(status);
  return {
    importId: 0,
    fileName: path.basename(file),
    status: 'failed',
    counts: { assetsCreated: 0, assetsUpdated: 0, assetsUnchanged: 0, findingsNew: 0, findingsUpdated: 0, findingsUnchanged: 0, findingsFixed: 0, detections: 0 },
    error: { code, message: `the server at ${baseUrl} did not accept ${file}: HTTP ${status}${error?.message ? `: ${error.message}` : ''}` },
    durationMs: 0,
    sha256: '',
  };
}

const POLL_INTERVAL_MS = 1000;

/** Follows a background import on the server until it ends, showing its progress. */
async function waitForImport(baseUrl: string, localToken: string, file: string, importId: number, human: NodeJS.WritableStream): Promise<ImportSummary> {
  const progress = new ProgressLine(human, file);
  try {
    for (;;) {
      const response = await fetch(`${baseUrl}/api/v1/imports/${importId}`, { headers: { 'x-riskboard-local-token': localToken } });
      if (!response.ok) throw new Error(`the server at ${baseUrl} did not report import ${importId} of ${file}: HTTP ${response.status}`);
      const item = importItemSchema.parse(await response.json());
      if (item.status === 'succeeded' || item.status === 'failed') {
        const summary = summaryOf(item);
        progress.finish(findingsOf(summary));
        return summary;
      }
      if (item.progress) progress.update(item.progress);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } finally {
    progress.finish();
  }
}

/** The findings an imported report listed, for the last progress line; none for a rejected one. */
function findingsOf(summary: ImportSummary): number | undefined {
  if (summary.status !== 'succeeded') return undefined;
  const { findingsNew, findingsUpdated, findingsUnchanged } = summary.counts;
  return findingsNew + findingsUpdated + findingsUnchanged;
}

function summaryOf(item: z.infer<typeof importItemSchema>): ImportSummary {
  const emptyCounts = { assetsCreated: 0, assetsUpdated: 0, assetsUnchanged: 0, findingsNew: 0, findingsUpdated: 0, findingsUnchanged: 0, findingsFixed: 0, detections: 0 };
  return {
    importId: item.id,
    fileName: item.fileName,
    format: (item.format ?? undefined) as ReportFormat | undefined,
    source: item.source ?? undefined,
    status: item.status === 'succeeded' ? 'succeeded' : 'failed',
    counts: item.counts ?? emptyCounts,
    error: item.status === 'failed' ? { code: 'rejected', message: item.error ?? 'the import failed', position: item.errorPosition ?? undefined } : undefined,
    durationMs: item.durationMs ?? 0,
    sha256: item.sha256 ?? '',
  };
}
