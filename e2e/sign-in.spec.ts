import { expect, test } from '@playwright/test';
import { submitSignIn } from './helpers';
import { ADMIN_EMAIL } from './test-env';

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

  // The demo estate was imported, so the riskiest assets list links to assets.
  await expect(page.getByRole('heading', { name: 'Riskiest assets' })).toBeVisible();
  await expect(page.getByRole('main').locator('a[href^="/assets/"]').first()).toBeVisible();
});
