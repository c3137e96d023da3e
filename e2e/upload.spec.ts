import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'upload-host.nessus');
const FIXTURE_HOST = 'e2e-upload-host.riskboard.test';

/**
 * Returns the fixture with a host name no other run has used and with scan times of now, so the
 * new asset is the most recently seen one.
 */
async function uniqueReport(): Promise<{ host: string; text: string; findings: number }> {
  const host = `e2e-upload-${randomBytes(4).toString('hex')}.riskboard.test`;
  const now = Math.floor(Date.now() / 1000);
  const text = (await readFile(FIXTURE, 'utf8'))
    .replaceAll(FIXTURE_HOST, host)
    .replace(/(<tag name="HOST_START_TIMESTAMP">)\d+/, `$1${now - 60}`)
    .replace(/(<tag name="HOST_END_TIMESTAMP">)\d+/, `$1${now}`);
  // Findings of the report: one per plugin, port and protocol.
  const items = [...text.matchAll(/<ReportItem port="(\d+)"[^>]*protocol="(\w+)"[^>]*pluginID="(\d+)"/g)];
  const findings = new Set(items.map(([, port, protocol, plugin]) => `${plugin}|${port}/${protocol}`)).size;
  return { host, text, findings };
}

/** Follows the "Next" links of a paginated list until the link appears; fails on the last page. */
async function openLinkOnSomePage(page: Page, name: string): Promise<void> {
  const link = page.getByRole('main').getByRole('link', { name, exact: true });
  const next = page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /Next/ });
  for (;;) {
    await expect(page.getByRole('navigation', { name: 'Pagination' })).toBeVisible();
    if ((await link.count()) > 0) break;
    expect(await next.count(), `${name} is on no page of the list`).toBe(1);
    await page.goto((await next.getAttribute('href')) ?? '');
  }
  await link.click();
}

test('uploaded report appears as an asset', async ({ page }) => {
  const report = await uniqueReport();
  const fileName = `${report.host}.nessus`;
  await signIn(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Imports' }).click();
  await expect(page.getByRole('heading', { name: 'Upload a scanner report' })).toBeVisible();
  await page.getByLabel('Report file').setInputFiles({ name: fileName, mimeType: 'application/xml', buffer: Buffer.from(report.text) });
  await page.getByRole('button', { name: 'Upload and import' }).click();

  const summary = page.getByRole('main').getByRole('status');
  await expect(summary).toContainText(`Imported ${fileName} (Nessus)`);
  await expect(summary).toContainText('1 asset created');
  await expect(summary).toContainText(`${report.findings} new findings`);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assets' }).click();
  await expect(page.getByRole('heading', { name: 'Assets', level: 1 })).toBeVisible();
  // Newest first: the host was seen just now.
  await page.getByRole('link', { name: 'Last seen' }).click();
  await expect(page).toHaveURL(/sort=lastSeen/);
  await openLinkOnSomePage(page, report.host);

  await expect(page).toHaveURL(/\/assets\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(report.host);
  await expect(page.getByRole('main')).toContainText('192.0.2.77');
  await expect(page.getByRole('main').getByRole('link', { name: 'E2E OpenSSL Buffer Overflow' })).toBeVisible();
});
