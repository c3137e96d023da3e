#!/usr/bin/env node
// `npm test`: type check, lint, unit and integration tests (on PGlite, or on Postgres when
// DATABASE_URL is set), the conformance suite over the shared scanner reports, and the
// end-to-end tests in Chromium. Where a prerequisite is missing outside CI, that part is
// skipped with a notice; under CI=true a missing prerequisite fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inCi = process.env.CI === 'true';
const database = process.env.DATABASE_URL ? 'Postgres' : 'PGlite';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(title, command, args, env = {}) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function fail(message) {
  console.error(`\nnpm test failed: ${message}`);
  console.log(`\ntests: ${totals.passed} passed, ${Math.max(1, totals.failed)} failed, ${totals.skipped} skipped`);
  process.exit(1);
}

function addVitestCounts(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function addPlaywrightCounts(file) {
  if (!existsSync(file)) return;
  const stats = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (!run('Type check (tsc --noEmit)', bin('tsc'), ['--noEmit'])) fail('type errors');
if (!run('Lint (eslint)', bin('eslint'), ['.'])) fail('lint errors');

const shared = path.resolve(root, '..', 'shared', 'fixtures', 'scans');
if (!existsSync(shared)) {
  if (inCi) fail(`the conformance suite needs the shared scanner reports at ${shared}`);
  console.log(`\nNOTICE: ${shared} is absent, so the conformance suite is skipped.`);
}

const vitestReport = path.join(root, 'test-results', 'vitest.json');
rmSync(vitestReport, { force: true });
const unitPassed = run(`Unit, integration and conformance tests on ${database} (vitest)`, bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
addVitestCounts(vitestReport);
if (!unitPassed) fail('vitest reported failures');

if (!existsSync(chromium)) {
  if (inCi) fail(`end-to-end tests need Chromium at ${chromium}`);
  console.log(`\nNOTICE: ${chromium} is absent, so the end-to-end tests are skipped (install Debian's chromium package).`);
} else {
  if (!isBuildFresh() && !run('Build (next build)', bin('next'), ['build'])) fail('next build failed');
  const playwrightReport = path.join(root, 'test-results', 'playwright.json');
  rmSync(playwrightReport, { force: true });
  const e2ePassed = run(`End-to-end tests on ${database} (Playwright, Chromium)`, bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
  });
  addPlaywrightCounts(playwrightReport);
  if (!e2ePassed) fail('end-to-end tests reported failures');
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);

/** True when .next was built after the last change to any source file, so a second run skips the build. */
function isBuildFresh() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  const result = spawnSync('git', ['ls-files', '-m', '-o', '--exclude-standard', 'app', 'components', 'widgets', 'lib', 'db'], { cwd: root, encoding: 'utf8' });
  const changed = (result.stdout ?? '').split('\n').filter(Boolean);
  const tracked = spawnSync('git', ['ls-files', 'app', 'components', 'widgets', 'lib', 'db'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return [...new Set([...changed, ...tracked])].every((file) => !existsSync(path.join(root, file)) || statSync(path.join(root, file)).mtimeMs < builtAt);
}
