// Settings shared by playwright.config.ts (which passes them to e2e/start-server.mjs) and the
// tests, so both sides agree on the port and the admin account of the run.

/** Port of the server the run starts. Set E2E_PORT when 3210 is taken. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

/** Admin account that `riskboard serve` creates in the run's fresh database. */
export const ADMIN_EMAIL = 'e2e-admin@riskboard.test';
export const ADMIN_PASSWORD = 'e2e-password-not-secret';
