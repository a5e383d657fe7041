import { test, expect } from 'playwright-medic';
import { DEMO_USER, SignInPage } from './pages/SignInPage.js';

test.describe('sign in', () => {
  test('signs in with valid credentials', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
    await signIn.signIn(DEMO_USER.email, DEMO_USER.password);

    await expect(page).toHaveURL(/\/products$/);
    await expect(page.getByTestId('user-menu')).toHaveText('Signed in as demo@example.com');
    await expect(page.getByRole('link', { name: 'Sign in' })).not.toBeVisible();
  });

  test('rejects a wrong password', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(DEMO_USER.email, 'wrong-password');

    await expect(signIn.error).toHaveText('Invalid email or password.');
    await expect(page).toHaveURL(/\/signin$/);
    await expect(signIn.password).toHaveValue('');
    await expect(page.getByTestId('user-menu')).toHaveCount(0);
  });

  test('returns to the requested page and signs out again', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto('/cart');
    await signIn.signIn(DEMO_USER.email, DEMO_USER.password);
    await expect(page).toHaveURL(/\/cart$/);

    await page.locator('header nav').getByRole('button', { name: 'Sign out' }).click();
    await expect(page.locator('#site-header').getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(/Signed in as/)).toHaveCount(0);
  });
});
