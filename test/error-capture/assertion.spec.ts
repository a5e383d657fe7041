// assertion: expectations that fail on values and on elements that exist.
import { test, expect } from '@playwright/test';
import { randomInt } from './fixtures.js';

test('assertion: toBe mismatch', async () => {
  const total = 2 + 2;
  expect(total).toBe(5);
});

test('assertion: toEqual mismatch on an object', async () => {
  const user = { name: 'Ada', role: 'viewer', visits: randomInt(1, 999) };
  expect(user).toEqual({ name: 'Ada', role: 'admin', visits: 0 });
});

test('assertion: toHaveText different text on an existing element', async ({ page }) => {
  // The order number differs on every run: the signature must mask it.
  await page.setContent(`<h1 id="status">Order #${randomInt(1000, 99999)} pending</h1>`);
  await expect(page.locator('#status')).toHaveText('Order confirmed');
});

test('assertion: toHaveCount mismatch', async ({ page }) => {
  await page.setContent('<ul><li>a</li><li>b</li><li>c</li></ul>');
  await expect(page.locator('li')).toHaveCount(5);
});

test('assertion: toHaveURL mismatch', async ({ page }) => {
  await page.goto('data:text/html,<title>home</title><p>home</p>');
  await expect(page).toHaveURL(/\/dashboard/);
});

test('assertion: toBeChecked on an unchecked box', async ({ page }) => {
  await page.setContent('<label><input type="checkbox" id="terms"> I agree</label>');
  await expect(page.getByLabel('I agree')).toBeChecked();
});

test('assertion: soft assertions', async ({ page }) => {
  await page.setContent('<h2>Cart</h2><span class="count">1</span>');
  await expect.soft(page.locator('h2')).toHaveText('Basket');
  expect.soft(await page.locator('.count').textContent()).toBe('3');
});

test('assertion: toBeVisible on a hidden element', async ({ page }) => {
  await page.setContent('<div id="banner" style="display:none">Sale</div>');
  await expect(page.locator('#banner')).toBeVisible();
});
