import { expect, test } from '@playwright/test';
import { signIn, submitSignIn } from './helpers';

interface FindingItem {
  id: number;
  title: string;
}

test('shared finding link survives sign-in', async ({ page, browser }) => {
  await signIn(page);
  const response = await page.request.get('/api/v1/findings?limit=1');
  expect(response.status()).toBe(200);
  const [finding] = ((await response.json()) as { items: FindingItem[] }).items;
  expect(finding).toBeDefined();
  const findingPath = `/findings/${finding?.id}`;

  // A colleague opens the link in a browser that has never signed in.
  const signedOut = await browser.newContext();
  try {
    const colleague = await signedOut.newPage();
    await colleague.goto(findingPath);
    await expect(colleague).toHaveURL(`/signin?callbackUrl=${encodeURIComponent(findingPath)}`);

    await submitSignIn(colleague);
    await expect(colleague).toHaveURL(findingPath);
    await expect(colleague.getByRole('heading', { level: 1 })).toHaveText(finding?.title ?? '');
  } finally {
    await signedOut.close();
  }
});
