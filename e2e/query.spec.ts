import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('findings search box completes and filters', async ({ page }) => {
  await signIn(page);
  await page.goto('/findings');
  const box = page.getByRole('combobox', { name: 'Search findings' });

  await box.fill('finding.sev');
  await expect(page.getByRole('option', { name: /finding\.severity/ })).toBeVisible();
  await box.press('Tab');
  await expect(box).toHaveValue('finding.severity:');

  await box.pressSequentially('cri');
  await expect(page.getByRole('option', { name: /^critical/ })).toBeVisible();
  await box.press('Enter');
  await expect(box).toHaveValue('finding.severity:critical');

  await box.press('Enter');
  await expect(page).toHaveURL(/\/findings\?q=finding\.severity%3Acritical$/);

  // Every row of the filtered list is critical, and the API agrees on the count.
  const api = await page.request.get('/api/v1/findings?limit=1&q=finding.severity%3Acritical');
  const { total } = (await api.json()) as { total: number };
  expect(total).toBeGreaterThan(0);
  await expect(page.getByText(`of ${total} findings`)).toBeVisible();

  await page.getByRole('button', { name: 'Saved searches' }).click();
  await page.getByLabel('Name of the current search').fill('Critical findings');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Critical findings', exact: true })).toBeVisible();
});

test('invalid search shows the position', async ({ page }) => {
  await signIn(page);
  await page.goto('/findings?q=finding.severity%3Aurgent');
  await expect(page.locator('#query-error')).toContainText("'urgent' at character 18 is not one");

  const box = page.getByRole('combobox', { name: 'Search findings' });
  await box.fill('finding.severty:high');
  await expect(page.locator('#query-error')).toContainText('did you mean finding.severity?');
  await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeDisabled();
});

test('assets search filters by finding conditions', async ({ page }) => {
  await signIn(page);
  await page.goto(`/assets?q=${encodeURIComponent('finding.severity:critical')}`);
  await expect(page.getByRole('combobox', { name: 'Search assets' })).toHaveValue('finding.severity:critical');
  await page.screenshot({ path: 'test-results/query-assets.png', fullPage: true });
  await page.goto('/help/query');
  await expect(page.getByRole('cell', { name: 'finding.severity', exact: true })).toBeVisible();
});
