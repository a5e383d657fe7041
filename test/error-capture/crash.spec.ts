// page_crash: a renderer crash and pages, contexts or browsers that are gone.
// Navigating to chrome://crash kills the renderer; Playwright reports that navigation itself as
// `net::ERR_ABORTED at chrome://crash`, and every later call on the page as "Target crashed".
import { test, expect } from '@playwright/test';

test('page_crash: goto chrome://crash', async ({ page }) => {
  await page.setContent('<p>about to crash</p>');
  await page.goto('chrome://crash');
});

test('page_crash: click after the renderer crashed', async ({ page }) => {
  await page.setContent('<button>Go</button>');
  await page.goto('chrome://crash').catch(() => {});
  await page.getByRole('button').click();
});

test('page_crash: reload after the renderer crashed', async ({ page }) => {
  await page.setContent('<p>hi</p>');
  await page.goto('chrome://crash').catch(() => {});
  await page.reload();
});

test('page_crash: expect after the renderer crashed', async ({ page }) => {
  await page.setContent('<p>hi</p>');
  await page.goto('chrome://crash').catch(() => {});
  await expect(page.locator('p')).toBeVisible();
});

test('page_crash: renderer crashes while waiting for a selector', async ({ page, context }) => {
  await page.setContent('<p>hi</p>');
  const waiting = page.waitForSelector('#spinner', { timeout: 3_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.crash').catch(() => {});
  await waiting;
});

test('page_crash: click on a closed page', async ({ page }) => {
  await page.setContent('<button>Go</button>');
  await page.close();
  await page.getByRole('button').click();
});

test('page_crash: evaluate after the context was closed', async ({ page, context }) => {
  await page.setContent('<p>hi</p>');
  await context.close();
  await page.evaluate(() => document.title);
});

test('page_crash: newPage on a closed browser', async ({ browser }) => {
  const context = await browser.newContext();
  await browser.close();
  await context.newPage();
});
