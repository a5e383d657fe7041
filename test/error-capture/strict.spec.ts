// strict_mode: actions and assertions on locators that match several elements.
import { test, expect } from '@playwright/test';

const PAGE = `
  <ul><li>Apple</li><li>Banana</li><li>Cherry</li></ul>
  <button>Save</button><button>Save draft</button>
  <input name="a"><input name="b">
  <p class="note">Item one</p><p class="note">Item two</p>`;

test.beforeEach(async ({ page }) => {
  await page.setContent(PAGE);
});

test('strict_mode: click on a css locator matching several items', async ({ page }) => {
  await page.locator('li').click();
});

test('strict_mode: fill on several inputs', async ({ page }) => {
  await page.locator('input').fill('hello');
});

test('strict_mode: toHaveText on several getByRole buttons', async ({ page }) => {
  await expect(page.getByRole('button', { name: 'Save' })).toHaveText('Save');
});

test('strict_mode: textContent on several getByText matches', async ({ page }) => {
  await page.getByText('Item').textContent();
});
