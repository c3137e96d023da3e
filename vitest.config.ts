import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/database-template.ts'],
    environment: 'node',
    // Each test file opens its own database (PGlite in memory, or a fresh Postgres database when
    // DATABASE_URL is set), so files may run in parallel; PGlite start-up needs a longer timeout.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  },
});
