import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('home score links to its explanation', async ({ page }) => {
  await signIn(page);
  await page.goto('/');

  const panel = page.getByTestId('organization-risk-panel');
  const score = panel.getByTestId('organization-risk-score');
  await expect(score).toHaveText(/^\d+$/);
  const shown = (await score.textContent()) ?? '';
  await expect(panel.getByRole('heading', { name: 'Top contributing assets' })).toBeVisible();

  await panel.getByRole('link', { name: 'Why this score' }).click();
  await expect(page).toHaveURL('/risk');
  await expect(page.getByRole('heading', { name: 'Organization Risk Score' })).toBeVisible();
  await expect(page.getByTestId('group-risk-score')).toHaveText(shown);
  await expect(page.getByRole('heading', { name: 'Contributions to v2' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Contributions to v1' })).toBeVisible();
});

test('asset and finding explain scores', async ({ page }) => {
  await signIn(page);
  await page.goto('/');
  await page.getByTestId('organization-risk-panel').locator('a[href^="/assets/"]').first().click();
  await expect(page.getByRole('heading', { name: 'Why this Risk Score' })).toBeVisible();
  await expect(page.getByTestId('asset-risk-v2')).toContainText('Risk Score v2');

  await page.getByRole('main').locator('a[href^="/findings/"]').first().click();
  await expect(page.getByRole('heading', { name: /Why this Detection Score/ })).toBeVisible();
  await expect(page.getByTestId('detection-score-factors')).toContainText('CVSS base score');
});

test('prioritization ranks fixes by drop', async ({ page }) => {
  await signIn(page);
  await page.goto('/prioritization');
  await expect(page.getByRole('heading', { name: 'What to fix first' })).toBeVisible();
  const drops = await page.getByTestId('remediation-plan').locator('tbody tr td:last-child').allTextContents();
  expect(drops.length).toBeGreaterThan(0);
  const values = drops.map((text) => Number(text.replace('−', '')));
  for (let index = 1; index < values.length; index++) expect(values[index]!).toBeLessThanOrEqual(values[index - 1]!);
});
