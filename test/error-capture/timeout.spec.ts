// timeout: the test timeout itself and waits that time out without a locator or a navigation.
import { test } from '@playwright/test';

test('timeout: waitForTimeout beyond the test timeout', async ({ page }) => {
  await page.setContent('<p>waiting</p>');
  await page.waitForTimeout(20_000);
});

test('timeout: a promise that never resolves', async () => {
  await new Promise<void>(() => {});
});

test('timeout: waitForFunction never true', async ({ page }) => {
  await page.setContent('<p>waiting</p>');
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
    timeout: 1_000,
  });
});

test('timeout: waitForEvent download never fires', async ({ page }) => {
  await page.setContent('<p>no download here</p>');
  await page.waitForEvent('download', { timeout: 1_000 });
});

test('timeout: waitForResponse never arrives', async ({ page }) => {
  await page.setContent('<p>no requests</p>');
  await page.waitForResponse('**/api/orders', { timeout: 1_000 });
});

test('timeout: click on a disabled button', async ({ page }) => {
  // The element exists but never becomes actionable: not a missing selector.
  await page.setContent('<button disabled>Pay</button>');
  await page.getByRole('button', { name: 'Pay' }).click();
});
