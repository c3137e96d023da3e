import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { signIn } from './helpers';
import { ADMIN_EMAIL } from './test-env';

const API_ACCESS_DENIED = 'The user does not have permission to access the API module.';

async function obtainToken(request: APIRequestContext, clientId: string, clientSecret: string): Promise<string> {
  const response = await request.post('/oauth/token', {
    form: { grant_type: 'client_credentials' },
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function setApiAccess(page: Page, on: boolean): Promise<void> {
  await page.goto('/admin/users');
  const row = page.getByTestId(`user-row-${ADMIN_EMAIL}`);
  await row.getByRole('button', { name: on ? 'Turn on API access' : 'Turn off API access' }).click();
  await expect(row.getByRole('button', { name: on ? 'Turn off API access' : 'Turn on API access' })).toBeVisible();
}

test('client created in the UI reads findings', async ({ page, request }) => {
  await signIn(page);

  await page.getByRole('button', { name: new RegExp(ADMIN_EMAIL) }).click();
  await page.getByRole('menuitem', { name: 'View Profile' }).click();
  await page.getByRole('link', { name: 'Auth ID Client Management' }).click();
  await expect(page).toHaveURL(/\/profile\?tab=clients$/);

  await page.getByRole('button', { name: 'New Client' }).click();
  const name = `e2e findings reader ${Date.now()}`;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill('Reads findings for the end-to-end test');
  await page.getByRole('button', { name: 'Create client' }).click();

  const clientId = (await page.getByTestId('client-id').textContent()) ?? '';
  const clientSecret = (await page.getByTestId('client-secret').textContent()) ?? '';
  expect(clientId).toMatch(/^rbc_/);
  expect(clientSecret).toMatch(/^rbs_/);
  await page.getByRole('button', { name: 'I have stored the secret' }).click();
  await expect(page.getByTestId(`client-row-${clientId}`)).toContainText(name);
  await expect(page.getByTestId('client-secret')).toHaveCount(0);

  const token = await obtainToken(request, clientId, clientSecret);
  const findings = await request.get('/api/v1/findings?limit=1', { headers: { authorization: `Bearer ${token}` } });
  expect(findings.status()).toBe(200);

  // With API access turned off for the user, the same token gets the exact 403 message.
  await setApiAccess(page, false);
  try {
    const denied = await request.get('/api/v1/findings?limit=1', { headers: { authorization: `Bearer ${token}` } });
    expect(denied.status()).toBe(403);
    expect(((await denied.json()) as { error: { message: string } }).error.message).toBe(API_ACCESS_DENIED);
  } finally {
    await setApiAccess(page, true);
  }

  // Revoking the client in the list ends its token at once.
  await page.goto('/profile?tab=clients');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId(`client-row-${clientId}`).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId(`client-row-${clientId}`)).toContainText('revoked');
  const revoked = await request.get('/api/v1/findings?limit=1', { headers: { authorization: `Bearer ${token}` } });
  expect(revoked.status()).toBe(401);
});
