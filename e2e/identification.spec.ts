import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('identification rules reorder, preview and re-identify', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin/identification');
  await expect(page.getByRole('heading', { name: 'Identification rules' })).toBeVisible();

  const vulnerabilities = page.getByRole('list', { name: 'Vulnerabilities rules in order' });
  await expect(vulnerabilities.getByRole('listitem')).toHaveCount(9);
  await expect(vulnerabilities.getByRole('listitem').first()).toContainText('[CVE, CPE]');

  // Keyboard users move a rule with its buttons: [Title] goes above [Vendor ID].
  await vulnerabilities.getByRole('button', { name: 'Move rule [Title] up' }).click();
  await expect(vulnerabilities.getByRole('listitem').nth(6)).toContainText('[Title]');

  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('status', { name: 'Preview' });
  await expect(preview).toContainText('would merge into another finding');

  // Put the defaults back, so the estate other tests read stays as it was, and save.
  await vulnerabilities.getByRole('button', { name: 'Move rule [Title] down' }).click();
  await expect(vulnerabilities.getByRole('listitem').nth(7)).toContainText('[Title]');

  // Dragging works too: [Source Finding ID] dropped on [CVE] goes first, then back with its buttons.
  const handle = vulnerabilities.getByLabel('Drag rule 9');
  const target = vulnerabilities.getByRole('listitem').first();
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('the rule rows have no position');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
  await page.mouse.move(to.x + 40, to.y + to.height / 2, { steps: 20 });
  await page.mouse.up();
  await expect(vulnerabilities.getByRole('listitem').first()).toContainText('[Source Finding ID]');
  // NOTE: the first click after the drop was sometimes lost on Postgres runs (dnd-kit's pointer
  // sensor is the likely cause, not confirmed), so a click on the heading takes it first.
  await page.getByRole('heading', { name: 'Identification rules' }).click();
  // Wait for each move to render before the next click, so no click lands on a row about to move.
  for (let step = 1; step <= 8; step++) {
    await vulnerabilities.getByRole('button', { name: 'Move rule [Source Finding ID] down' }).click();
    await expect(vulnerabilities.getByRole('listitem').nth(step)).toContainText('[Source Finding ID]');
  }
  await expect(vulnerabilities.getByRole('listitem').last()).toContainText('[Source Finding ID]');

  await page.getByLabel('IP address window (days)').fill('45');
  await page.getByRole('button', { name: 'Save and re-identify' }).click();
  await expect(page.getByText('Saved. The rules did not change, so nothing is re-identified.')).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('IP address window (days)')).toHaveValue('45');

  // The asset page shows how the latest import identified the asset.
  await page.goto('/assets');
  await page.getByRole('main').locator('a[href^="/assets/"]').first().click();
  await expect(page.getByText('Identified by')).toBeVisible();
  await expect(page.getByText(/created as a new asset|matched by /).first()).toBeVisible();
});

test('vendor alias is added, resolved and removed', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin/identification');
  const section = page.getByRole('region', { name: 'Vendor and product aliases' });
  const aliases = section.getByRole('table', { name: 'Organization aliases' });
  const spellingTest = section.getByRole('form', { name: 'Test a spelling' });
  const resolution = spellingTest.getByRole('status', { name: 'Spelling resolution' });

  await spellingTest.getByLabel('Spelling').fill('Initech Software Group');
  await spellingTest.getByRole('button', { name: 'Resolve' }).click();
  await expect(resolution).toContainText('resolves to initech_software_group, by normalization only');

  const addForm = section.getByRole('form', { name: 'Add an alias' });
  await addForm.getByLabel('Alias (the other spelling)').fill('Initech Software Group');
  await addForm.getByLabel('Canonical name').fill('Initech');
  await addForm.getByRole('button', { name: 'Add alias' }).click();
  await expect(section.getByText(/^Saved: vendor "initech software group" = "initech"\. Re-identification job \d+ is queued\.$/)).toBeVisible();
  await expect(aliases.getByRole('row', { name: /initech software group/ })).toContainText('initech');
  // The settings form above shows the job the alias change queued.
  await expect(page.getByRole('status', { name: 'Re-identification' })).toContainText(/Re-identification job \d+/);

  await spellingTest.getByRole('button', { name: 'Resolve' }).click();
  await expect(resolution).toContainText('resolves to initech, by an organization alias');

  // Remove it again, so the estate other tests read stays as it was.
  await aliases.getByRole('button', { name: 'Remove the vendor alias initech software group' }).click();
  await expect(section.getByText(/^Removed the vendor alias "initech software group"\. Re-identification job \d+ is queued\.$/)).toBeVisible();
  await expect(aliases).toContainText('The organization has no aliases of its own');
});
