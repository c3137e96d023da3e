import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('tag with criticality groups assets into a business entity', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const tagName = `e2e tag ${suffix}`;
  const entityName = `e2e entity ${suffix}`;
  await signIn(page);

  // Take a real asset name from the demo estate, so the search has something to find.
  await page.goto('/assets');
  const firstAsset = page.getByRole('main').locator('a[href^="/assets/"]').first();
  const assetName = ((await firstAsset.textContent()) ?? '').trim();
  expect(assetName).not.toBe('');

  await page.goto('/tags');
  const createForm = page.getByRole('form', { name: 'Create a tag' });
  await createForm.getByLabel('Name').fill(tagName);
  await createForm.getByLabel('Asset Criticality Score').selectOption('5');
  await createForm.getByRole('button', { name: 'Create tag' }).click();
  const row = page.getByTestId('tags-table').getByRole('row', { name: new RegExp(tagName) });
  await expect(row).toContainText('5');
  await expect(row).toContainText('0');

  await row.getByRole('link', { name: tagName }).click();
  await expect(page.getByRole('heading', { name: tagName })).toBeVisible();
  await page.getByLabel('Find assets by name').fill(assetName);
  await page.getByRole('button', { name: 'Search' }).click();
  const match = page.getByTestId('tag-asset-matches').getByRole('listitem').filter({ hasText: assetName }).first();
  await match.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('tag-members')).toContainText(assetName);
  await expect(page.getByText('1 asset · Asset Criticality Score 5')).toBeVisible();

  await page.getByTestId('tag-members').getByRole('link', { name: assetName }).click();
  const editor = page.getByTestId('asset-tag-editor');
  await expect(editor).toContainText(tagName);
  await expect(editor).toContainText('ACS 5');

  await page.goto('/business-entities/new');
  await page.getByLabel('Name').fill(entityName);
  await page.getByRole('checkbox', { name: new RegExp(tagName) }).check();
  await page.getByRole('button', { name: 'Create business entity' }).click();
  await expect(page).toHaveURL(/\/business-entities\/\d+$/);
  await expect(page.getByRole('heading', { name: entityName })).toBeVisible();

  await page.goto(`${new URL(page.url()).pathname}/edit`);
  await expect(page.getByRole('heading', { name: `Edit ${entityName}` })).toBeVisible();
  await expect(page.getByText('1 asset from 1 tag')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: new RegExp(tagName) })).toBeChecked();

  await page.goto('/business-entities');
  const entityRow = page.getByTestId('business-entities-table').getByRole('row', { name: new RegExp(entityName) });
  await expect(entityRow.locator('td').last()).toHaveText('1');
});
