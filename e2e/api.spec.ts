import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

interface ListPage {
  total: number;
  items: { id: number }[];
  nextCursor: string | null;
}

test('signed-out API request gets 401', async ({ request }) => {
  const response = await request.get('/api/v1/findings');
  expect(response.status()).toBe(401);
});

for (const resource of ['findings', 'assets']) {
  test(`${resource} API pages with a cursor`, async ({ page }) => {
    await signIn(page);
    const first = await page.request.get(`/api/v1/${resource}?limit=2`);
    expect(first.status()).toBe(200);
    const body = (await first.json()) as ListPage;

    expect(typeof body.total).toBe('number');
    expect(Array.isArray(body.items)).toBe(true);
    expect(body.items.length).toBe(Math.min(2, body.total));
    // The demo estate has more than two findings and assets, so a second page exists.
    expect(body.total).toBeGreaterThan(2);
    expect(typeof body.nextCursor).toBe('string');

    const second = await page.request.get(`/api/v1/${resource}?limit=2&cursor=${encodeURIComponent(body.nextCursor ?? '')}`);
    expect(second.status()).toBe(200);
    const next = (await second.json()) as ListPage;
    const firstIds = new Set(body.items.map((item) => item.id));
    expect(next.items.length).toBeGreaterThan(0);
    expect(next.items.some((item) => firstIds.has(item.id))).toBe(false);
  });
}
