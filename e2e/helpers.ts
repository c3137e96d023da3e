import { expect, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-env';

/** Fills in and submits the sign-in form of the page that is open, which must be /signin. */
export async function submitSignIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in as the run's admin and waits for the home page. */
export async function signIn(page: Page): Promise<void> {
  await page.goto('/signin');
  await submitSignIn(page);
  await expect(page).toHaveURL('/');
}
