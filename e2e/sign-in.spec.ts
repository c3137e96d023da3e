import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { submitSignIn } from './helpers';
import { ADMIN_EMAIL } from './test-env';

const DEMO_REPORTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo', 'reports');

/** Names of the demo estate's assets, read from the demo reports: Nessus hosts and Trivy artifacts. */
async function demoAssetNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of await readdir(DEMO_REPORTS)) {
    const text = await readFile(path.join(DEMO_REPORTS, file), 'utf8');
    if (file.endsWith('.nessus')) {
      // Hosts are shown by FQDN when the report has one, else by the name Nessus gives them.
      for (const host of text.split('<ReportHost ').slice(1)) {
        const fqdn = /<tag name="host-fqdn">([^<]+)<\/tag>/.exec(host)?.[1];
        const name = /^name="([^"]+)"/.exec(host)?.[1];
        names.add(fqdn ?? name ?? '');
      }
    } else if (file.endsWith('.json')) {
      const artifact = (JSON.parse(text) as { ArtifactName?: string }).ArtifactName;
      if (artifact) names.add(artifact);
    }
  }
  return names;
}

test('wrong password shows an error', async ({ page }) => {
  await page.goto('/signin');
  await submitSignIn(page, ADMIN_EMAIL, 'not-the-password-at-all');

  await expect(page.getByRole('main').getByRole('alert')).toContainText('The email or password is wrong');
  await expect(page).toHaveURL(/\/signin/);
});

test('sign-in lands on the risk overview', async ({ page }) => {
  await page.goto('/signin');
  await submitSignIn(page);

  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { name: 'Risk overview' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Risk Score' })).toBeVisible();
  await expect(page.getByTestId('risk-score-value')).toHaveText(/^\d+$/);
  await expect(page.getByRole('heading', { name: 'Open findings by severity' })).toBeVisible();

  // The demo estate was imported, so the riskiest assets are demo assets.
  await expect(page.getByRole('heading', { name: 'Riskiest assets' })).toBeVisible();
  const assetLinks = page.getByRole('main').locator('a[href^="/assets/"]');
  await expect(assetLinks.first()).toBeVisible();
  const shown = (await assetLinks.allTextContents()).map((text) => text.trim());
  const demo = await demoAssetNames();
  expect(shown.filter((name) => demo.has(name)).length, `riskiest assets: ${shown.join(', ')}`).toBeGreaterThan(0);
});
