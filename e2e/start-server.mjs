#!/usr/bin/env node
// Starts Riskboard for one end-to-end run on a database of its own: a new temporary folder for
// the embedded database (PGlite), or, when DATABASE_URL is set, a new Postgres database
// `riskboard_e2e_<random>` created through that URL. Then runs `riskboard serve`, which migrates,
// creates the admin from RISKBOARD_ADMIN_EMAIL/RISKBOARD_ADMIN_PASSWORD and imports the demo
// estate. On SIGTERM or SIGINT it stops the server and removes the folder or drops the database.
// playwright.config.ts runs this as its webServer; it also works by hand for debugging.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env.DATABASE_URL || undefined;
const port = process.env.PORT ?? '3210';

const database = adminUrl ? await createPostgresDatabase(adminUrl) : createDataDir();
console.log(`e2e: ${database.description}`);

// The tests reach the server on loopback only, so it listens nowhere else.
const env = { ...process.env, ...database.env, PORT: port, RISKBOARD_HOST: process.env.RISKBOARD_HOST ?? '127.0.0.1', RISKBOARD_ROOT: root };
delete env.RISKBOARD_DEMO;

const server = spawn(process.execPath, [path.join(root, 'bin', 'riskboard.mjs'), 'serve'], { cwd: root, env, stdio: 'inherit' });

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    server.kill(signal);
  });
}

server.on('exit', (code, signal) => {
  void finish(code, signal);
});

async function finish(code, signal) {
  try {
    await database.remove();
  } catch (error) {
    console.error(`e2e: could not remove the run's database: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!stopping) console.error(`e2e: riskboard serve stopped before the tests ended (exit code ${code}, signal ${signal}); its output is above`);
  process.exit(stopping ? 0 : code || 1);
}

function createDataDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'riskboard-e2e-'));
  return {
    description: `embedded database in ${dir}`,
    env: { RISKBOARD_DATA_DIR: dir },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgresDatabase(url) {
  const name = `riskboard_e2e_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);

  const runUrl = new URL(url);
  runUrl.pathname = `/${name}`;
  return {
    description: `Postgres database ${name}`,
    env: { DATABASE_URL: runUrl.toString() },
    remove: async () => {
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}
