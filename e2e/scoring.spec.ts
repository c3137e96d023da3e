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

test('risk page caps contributions and links to every asset', async ({ page }) => {
  await signIn(page);
  await page.goto('/risk');

  // The demo estate has more assets than the 25 rows each table names; the last row sums the rest.
  const v2Rows = page.getByRole('table', { name: "Each asset's contribution to v2" }).locator('tbody tr');
  await expect(v2Rows).toHaveCount(26);
  await expect(v2Rows.last()).toContainText(/^\d+ more, each contributing at most/);
  await expect(page.getByRole('table', { name: "Each asset's contribution to v1" }).locator('tbody tr')).toHaveCount(26);

  const note = page.getByTestId('contributions-shown');
  const memberCount = (await note.textContent())?.match(/of (\d+) assets/)?.[1];
  expect(memberCount).toBeDefined();
  await note.getByRole('link').click();
  await expect(page).toHaveURL('/assets?sort=riskScore&direction=desc');
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toContainText(`of ${memberCount} assets`);
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
