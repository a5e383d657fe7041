// js_error: exceptions thrown by page scripts or by the test code itself.
import { test, expect } from '@playwright/test';

test('js_error: page.evaluate throws', async ({ page }) => {
  await page.setContent('<p>app</p>');
  await page.evaluate(() => {
    throw new Error('cart service is not initialised');
  });
});

test('js_error: page.evaluate ReferenceError', async ({ page }) => {
  await page.setContent('<p>app</p>');
  await page.evaluate('window.store.getState().cart.items.length + missingGlobal');
});

test('js_error: uncaught page error re-thrown', async ({ page }) => {
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.setContent('<button onclick="renderCheckout()">Checkout</button>');
  await page.getByRole('button').click();
  await expect.poll(() => errors.length).toBeGreaterThan(0);
  throw errors[0];
});

test('js_error: TypeError in the test code', async ({ page }) => {
  await page.setContent('<p>app</p>');
  const config = JSON.parse('null') as { retries: { max: number } };
  expect(config.retries.max).toBe(3);
});

test('js_error: locator.evaluate TypeError', async ({ page }) => {
  await page.setContent('<div id="root"></div>');
  await page.locator('#root').evaluate((el) => (el.firstElementChild as HTMLElement).click());
});
