import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'ingest');

/** Submits a report with the given asset name in the upload form of the Imports page. */
async function upload(page: Page, fileName: string, text: string, assetName: string): Promise<void> {
  await page.goto('/imports');
  await page.getByLabel('Report file').setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByLabel('Asset name').fill(assetName);
  await page.getByRole('button', { name: 'Upload and import' }).click();
}

test('asset name names the kube-bench host', async ({ page }) => {
  const report = await readFile(path.join(FIXTURES, 'asset-name', 'kube-bench.json'), 'utf8');
  const assetName = `e2e-cluster-${randomBytes(4).toString('hex')}`;
  await signIn(page);

  await upload(page, 'kube-bench.json', report, `  ${assetName}  `);
  const summary = page.getByRole('main').getByRole('status');
  await expect(summary).toContainText('Imported kube-bench.json (kube-bench)');
  await expect(summary).toContainText('1 asset created');
  // A kept name would put the next upload into the same asset.
  await expect(page.getByLabel('Asset name')).toHaveValue('');

  // The import log lists the name under the newest import's file name.
  await page.reload();
  const newest = page.getByRole('main').getByRole('row').nth(1);
  await expect(newest).toContainText('kube-bench.json');
  await expect(newest).toContainText(`Asset name: ${assetName}`);

  await page.goto(`/assets?sort=lastSeen`);
  await expect(page.getByRole('main').getByRole('link', { name: assetName, exact: true })).toBeVisible();
});

test('asset name is rejected for Nessus', async ({ page }) => {
  const report = await readFile(path.join(FIXTURES, 'nessus-two-hosts.nessus'), 'utf8');
  await signIn(page);

  await upload(page, 'two-hosts.nessus', report, 'e2e-cluster');
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toContainText(/Import \d+ failed/);
  await expect(alert).toContainText('Reports of format "Nessus (.nessus v2 XML)" name their own assets');
  // After a failed import the name stays, so it can be corrected or cleared.
  await expect(page.getByLabel('Asset name')).toHaveValue('e2e-cluster');
});

test('asset name with a tab is rejected', async ({ page }) => {
  await signIn(page);
  await page.goto('/imports');
  await page.getByLabel('Report file').setInputFiles({ name: 'kube-bench.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await page.getByLabel('Asset name').fill('e2e\tcluster');
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('Check the asset name: the asset name contains a control character');
});
