import { runFeeds } from './commands/feeds';
import { runImport } from './commands/import';
import { runKeys } from './commands/keys';
import { runScores } from './commands/scores';
import { runServe } from './commands/serve';
import { runUsers } from './commands/users';
import { CliUsageError } from './usage-error';

const HELP = `Usage: riskboard <command> [options]

Commands:
  import FILE... [--format F] [--json]   Import scanner reports; the format is detected from the
                                         content, or set with --format F (ids in the README's
                                         "Supported formats" table)
  import FILE... --profile NAME [--json] Import with a connector profile, e.g. a CSV column mapping
    --asset-name NAME                    Name the asset of a report of one asset (kube-bench, npm audit,
                                         Trivy, SARIF and others named after the file or folder);
                                         1 to 255 characters, and other formats reject it
  users create --email E --password P [--admin | --role R]
                                         Create a user; roles: admin, manager, analyst, reader
  users set-password --email E --password P
                                         Replace a user's password
  users deactivate|reactivate --email E  Stop or restore a user's sign-in and API tokens at once
  keys rotate                            Replace the key that signs API access tokens; the old
                                         public key stays published until its tokens expire
  scores recompute                       Recompute every asset's Risk Scores and today's snapshots
                                         of the organization, business entities and tags
  scores settings [--set JSON]           Print the scoring settings, or store the given fields
                                         (docs/scoring.md) and recompute, e.g. '{"displayedVersion":"v1"}'
  feeds import DIR [--json]              Load CISA KEV, FIRST EPSS (.csv or .csv.gz), NVD API 2.0,
                                         CVE JSON 5, endoflife.date and ATT&CK files found under DIR,
                                         recognized by content
  feeds sync [FEED] [--json]             Download the feeds, only what changed; FEED is nvd, kev,
                                         epss, eol, attack or all (the default)
  feeds status [--json]                  Show each feed's last sync and import, and where the next starts
  serve                                  Prepare the database (migrations, first admin, demo data)
                                         and start the web server on PORT (default 3000)

Environment:
  DATABASE_URL         Postgres connection string; unset, the embedded database in RISKBOARD_DATA_DIR is used
  RISKBOARD_DATA_DIR   Folder of the embedded database (default .data)
  PORT, RISKBOARD_HOST Port (default 3000) and address (default all interfaces) the server listens on
  NVD_API_KEY          NVD API key for feeds sync; raises NVD's limit from 5 to 50 requests per 30 seconds
  RISKBOARD_FEED_NVD_URL, RISKBOARD_FEED_KEV_URL, RISKBOARD_FEED_EPSS_URL
                       Feed download addresses, e.g. a mirror (default: the official sources)
`;

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await runImport(rest);
      case 'users':
        return await runUsers(rest);
      case 'keys':
        return await runKeys(rest);
      case 'feeds':
        return await runFeeds(rest);
      case 'serve':
        return await runServe(rest);
      case 'scores':
        return await runScores(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new CliUsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof CliUsageError || isParseArgsError(error)) {
      process.stderr.write(`riskboard: ${error.message}\n\n${HELP}`);
      return 2;
    }
    process.stderr.write(`riskboard: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** True for the errors node:util parseArgs raises on unknown options or missing option values. */
function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
