#!/usr/bin/env node
// Entry point of the `riskboard` command. The CLI is TypeScript run through tsx, so it works in a
// fresh clone without a build step; RISKBOARD_ROOT lets it find migrations and demo reports
// whatever the current folder is.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.RISKBOARD_ROOT ??= root;
// Commands print their own results; the log carries only warnings and errors unless asked.
if (process.argv[2] !== 'serve') process.env.LOG_LEVEL ??= 'warn';
register();

const { main } = await import(pathToFileURL(path.join(root, 'lib', 'cli', 'main.ts')).href);
process.exitCode = await main(process.argv.slice(2));
