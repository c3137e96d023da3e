import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Text from a report is stored as text and always rendered escaped: a finding whose title and
// description hold HTML and script shows them as characters and runs nothing. The finding page
// also shows the status history that the import wrote.

test('report text with HTML and script is shown as text on the finding page', async ({ page }) => {
  const tag = randomBytes(4).toString('hex');
  const title = `<script>window.__riskboardXss = 1</script><b>${tag}</b>`;
  const description = `<img src=x onerror="window.__riskboardXss = 2"> & <iframe src="javascript:alert(1)"></iframe> ${tag}`;
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const now = Math.floor(Date.now() / 1000);
  const report = [
    '<?xml version="1.0" ?>',
    '<NessusClientData_v2><Report name="escaping">',
    `<ReportHost name="e2e-escape-${tag}.riskboard.test"><HostProperties><tag name="host-fqdn">e2e-escape-${tag}.riskboard.test</tag><tag name="HOST_END_TIMESTAMP">${now}</tag></HostProperties>`,
    `<ReportItem port="443" svc_name="www" protocol="tcp" severity="3" pluginID="990001" pluginName="${escape(title)}" pluginFamily="General"><description>${escape(description)}</description></ReportItem>`,
    '</ReportHost></Report></NessusClientData_v2>',
  ].join('\n');

  await signIn(page);
  await page.goto('/imports');
  await page.getByLabel('Report file').setInputFiles({ name: `escape-${tag}.nessus`, mimeType: 'application/xml', buffer: Buffer.from(report) });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText(`Imported escape-${tag}.nessus`);

  const response = await page.request.get('/api/v1/findings?limit=50&sort=lastFound');
  expect(response.ok()).toBe(true);
  const { items } = (await response.json()) as { items: { id: number; title: string }[] };
  const finding = items.find((item) => item.title === title);
  expect(finding, 'the imported finding is listed with its title unchanged').toBeDefined();

  await page.goto(`/findings/${finding?.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('main')).toContainText(description);
  expect(await page.evaluate(() => (window as unknown as { __riskboardXss?: number }).__riskboardXss)).toBeUndefined();
  await expect(page.locator('main script', { hasText: '__riskboardXss' })).toHaveCount(0);
  await expect(page.locator('main img[src="x"]')).toHaveCount(0);

  const history = page.getByTestId('finding-status-history');
  await expect(history).toContainText('Status history');
  await expect(history).toContainText('first found by Nessus');
  await expect(history).toContainText(`escape-${tag}.nessus`);
});
