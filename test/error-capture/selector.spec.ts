// selector_missing: actions and assertions on locators that match nothing.
import { test, expect } from '@playwright/test';
import { randomId } from './fixtures.js';

const PAGE = '<main><h1>Shop</h1><button id="buy">Buy</button><input aria-label="Search"></main>';

test.beforeEach(async ({ page }) => {
  await page.setContent(PAGE);
});

test('selector_missing: click on missing css', async ({ page }) => {
  await page.locator('#checkout-button').click();
});

test('selector_missing: fill on missing getByRole textbox', async ({ page }) => {
  await page.getByRole('textbox', { name: 'Email' }).fill('someone@example.test');
});

test('selector_missing: textContent on missing getByTestId with a random id', async ({ page }) => {
  // The id differs on every run: the signature must mask it.
  await page.getByTestId(`cart-item-${randomId()}`).textContent();
});

test('selector_missing: click on missing getByText', async ({ page }) => {
  await page.getByText('Proceed to payment').click();
});

test('selector_missing: click on missing xpath', async ({ page }) => {
  await page.locator('xpath=//nav//a[@href="/account"]').click();
});

test('selector_missing: toBeVisible on missing element', async ({ page }) => {
  await expect(page.locator('.toast-success')).toBeVisible();
});

test('selector_missing: toHaveText on missing element', async ({ page }) => {
  await expect(page.getByRole('heading', { name: 'Basket' })).toHaveText('Basket');
});

test('selector_missing: waitForSelector on missing element', async ({ page }) => {
  await page.waitForSelector('[data-state="loaded"]', { timeout: 1_000 });
});

test('selector_missing: click without an action timeout runs into the test timeout', async ({ page }) => {
  // With no action timeout (Playwright's default) the click waits until the test times out: the
  // result has two errors, the bare test timeout and the click that was still waiting.
  test.info().annotations.push({ type: 'capture-expected', description: 'timeout, selector_missing' });
  test.setTimeout(2_000);
  await page.locator('#place-order').click({ timeout: 0 });
});
