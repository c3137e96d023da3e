import { defineConfig } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, E2E_PORT } from './e2e/test-env';

/** Debian's Chromium; Playwright's own browser download is not used. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  // Every test shares one server and its database, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: process.env.CI === 'true',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // scripts/test.mjs names the JSON report with PLAYWRIGHT_JSON_OUTPUT_NAME and reads its counts.
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }]],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: 'node e2e/start-server.mjs',
    // /signin returns 200 without a session once the server is up.
    url: `${BASE_URL}/signin`,
    // A server already on the port would have its own database, not the fresh one of this run.
    reuseExistingServer: false,
    // First start migrates the database and imports the demo estate before Next.js listens.
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets start-server.mjs stop the server and drop the run's database.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      PORT: String(E2E_PORT),
      NEXTAUTH_URL: BASE_URL,
      RISKBOARD_ADMIN_EMAIL: ADMIN_EMAIL,
      RISKBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
  },
});
