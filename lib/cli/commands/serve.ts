import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { count } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { findings } from '../../../db/schema';
import { countUsers, createUser, ensureInitialAdmin } from '../../auth/users';
import { projectRoot } from '../../config/paths';
import { importReport } from '../../ingest/import-report';
import { failInterruptedImports } from '../../ingest/import-owner';
import { logger } from '../../log';
import { openCliDatabase } from '../open-cli-db';

const log = logger.child({ module: 'serve' });

/** Account created on first start when RISKBOARD_ADMIN_EMAIL is unset, so the demo can be signed in to. */
const DEMO_ADMIN_EMAIL = 'admin@riskboard.local';

/**
 * `riskboard serve`: prepares the database (migrations, interrupted imports, the first admin, the
 * demo estate on an empty database), releases it, and starts the built Next.js server, which then
 * owns the embedded database for as long as it runs.
 */
export async function runServe(_argv: string[]): Promise<number> {
  const root = projectRoot();
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('the web app is not built; run `npm run build` first');
  }

  const port = Number(process.env.PORT ?? 3000);
  const signIn = await prepareDatabase();

  const url = `http://localhost:${port}`;
  process.stdout.write(`\nRiskboard is starting at ${url}\n${signIn}\n\n`);

  const localToken = process.env.RISKBOARD_LOCAL_TOKEN ?? randomBytes(32).toString('hex');
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  // RISKBOARD_HOST limits the listening address, e.g. 127.0.0.1 for a single-user laptop;
  // unset, the server listens on all interfaces as Next.js does by default.
  const host = process.env.RISKBOARD_HOST;
  const args = [nextBin, 'start', '--port', String(port), ...(host ? ['--hostname', host] : [])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      RISKBOARD_PROCESS_ROLE: 'server',
      RISKBOARD_LOCAL_TOKEN: localToken,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? url,
      NODE_ENV: 'production',
    },
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

/** Returns the sign-in hint to print. */
async function prepareDatabase(): Promise<string> {
  const database = await openCliDatabase({ viaServer: false });
  if (database.kind !== 'direct') throw new Error('unreachable: serve never goes through a server');
  const { db } = database.handle;
  try {
    // On Postgres another live server may be running an import, so only imports whose owner stopped are failed.
    const interrupted = await failInterruptedImports(db, { allRunning: database.handle.kind === 'pglite' });
    if (interrupted.length > 0) log.warn({ interrupted }, 'marked imports whose process stopped as failed');

    const signIn = await ensureAdmin(db);
    await importDemoIfEmpty(db);
    return signIn;
  } finally {
    await database.handle.close();
  }
}

async function ensureAdmin(db: Db): Promise<string> {
  if (process.env.RISKBOARD_ADMIN_EMAIL && process.env.RISKBOARD_ADMIN_PASSWORD) {
    const fromEnv = await ensureInitialAdmin(db, process.env);
    if (fromEnv.created) return `Sign in as ${fromEnv.user.email} with the password in RISKBOARD_ADMIN_PASSWORD.`;
  }
  if ((await countUsers(db)) > 0) {
    return 'Sign in with an existing account (create one with `npx riskboard users create --admin --email E --password P`).';
  }

  // No account and none configured: create one with a random password and show it once, the way
  // a fresh install of most self-hosted tools does. It is printed to the terminal, never logged.
  const password = randomBytes(12).toString('base64url');
  await createUser(db, { email: DEMO_ADMIN_EMAIL, password, role: 'admin' });
  return `Sign in as ${DEMO_ADMIN_EMAIL} with password ${password} (shown once; change it with \`npx riskboard users set-password\`).`;
}

async function importDemoIfEmpty(db: Db): Promise<void> {
  if (process.env.RISKBOARD_DEMO === 'off') return;
  const [row] = await db.select({ value: count() }).from(findings);
  if ((row?.value ?? 0) > 0) return;

  const folder = path.join(projectRoot(), 'demo', 'reports');
  const files = existsSync(folder) ? (await readdir(folder)).sort() : [];
  for (const file of files) {
    process.stdout.write(`Importing the demo estate: ${file}\n`);
    const summary = await importReport(db, { fileName: file, path: path.join(folder, file) });
    if (summary.status === 'failed') log.error({ file, error: summary.error?.message }, 'demo report was rejected');
  }
}
