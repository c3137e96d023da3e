import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('risk acceptance excludes a finding until revoked', async ({ page }) => {
  const name = `e2e acceptance ${Date.now().toString(36)}`;
  await signIn(page);

  // A real finding of the demo estate.
  await page.goto('/findings?q=finding.status:[new, active, reopened]');
  const firstFinding = page.getByRole('main').locator('a[href^="/findings/"]').first();
  const findingId = ((await firstFinding.getAttribute('href')) ?? '').split('/').pop() ?? '';
  expect(findingId).toMatch(/^\d+$/);

  const endDate = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await page.goto('/risk-acceptance/new');
  const form = page.getByRole('form', { name: 'Create a risk acceptance rule' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Reason').selectOption('compensating_control');
  await form.getByLabel('End date').fill(endDate);
  await form.getByLabel('Justification').fill('Reachable only from the management network.');
  await form.getByRole('combobox', { name: 'Findings the rule covers' }).fill(`finding.id:${findingId}`);
  await expect(form.getByTestId('matching-count')).toHaveText('1 finding matches now.');
  await form.getByRole('button', { name: 'Create rule' }).click();

  await expect(page).toHaveURL(/\/risk-acceptance\/\d+$/);
  await expect(page.getByRole('heading', { name })).toContainText('active');
  const rulePath = new URL(page.url()).pathname;

  // Ending within its 14-day notice period, the rule is listed as expiring, and the home page shows a notice.
  await page.goto('/risk-acceptance');
  await expect(page.getByTestId('expiring-rules')).toContainText(name);
  await expect(page.getByTestId('rules-active')).toContainText(name);
  await page.goto('/');
  await expect(page.getByTestId('expiring-acceptances')).toBeVisible();

  // The finding shows the acceptance and keeps its Detection Score; its asset names the exclusion.
  await page.goto(`/findings/${findingId}`);
  const card = page.getByTestId('finding-acceptance');
  await expect(card).toContainText(name);
  await expect(card).toContainText('does not count toward Risk Scores');
  await expect(page.getByText('Detection Score').first()).toBeVisible();
  await page.getByRole('main').locator('header a[href^="/assets/"]').first().click();
  await expect(page.getByTestId('accepted-findings-note')).toContainText(name);

  // Revoking puts the finding back.
  await page.goto(rulePath);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('heading', { name })).toContainText('revoked');
  await page.goto(`/findings/${findingId}`);
  await expect(page.getByTestId('finding-acceptance')).toContainText('counts toward Risk Scores');
});
