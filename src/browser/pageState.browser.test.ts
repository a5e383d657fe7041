// The page state pre-flight restores, read and put back in real Chromium.
import type { Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { MAX_STORAGE_CHARS } from '../learning/catalog.js';
import { useBrowserPage } from './browser.testkit.js';
import { pageStateOf, restoreStorage } from './pageState.js';

let page: Page;
useBrowserPage((p) => (page = p));

/** Serves `body` at every address of http://app.test, so pages there have an origin and storage. */
async function serve(body = '<p>shop</p>') {
  await page.route('http://app.test/**', (route) => route.fulfill({ contentType: 'text/html', body }));
}

describe('pageStateOf', () => {
  it('reads the address, and with storage the localStorage and sessionStorage of the page', async () => {
    await serve();
    await page.goto('http://app.test/cart?coupon=1#summary');
    await page.evaluate(() => {
      localStorage.setItem('shop.cart', '[{"id":"p1","qty":2}]');
      sessionStorage.setItem('tab', 'shipping');
    });
    expect(await pageStateOf(page, 'url')).toEqual({ url: '/cart?coupon=1#summary' });
    expect(await pageStateOf(page, 'storage')).toEqual({ url: '/cart?coupon=1#summary', storage: { local: { 'shop.cart': '[{"id":"p1","qty":2}]' }, session: { tab: 'shipping' } } });
    expect(await pageStateOf(page, 'off')).toBeUndefined();
  });

  it('leaves out a storage larger than it keeps, and has nothing for a page without an address', async () => {
    await serve();
    await page.goto('http://app.test/big');
    await page.evaluate((n) => localStorage.setItem('blob', 'x'.repeat(n)), MAX_STORAGE_CHARS);
    expect(await pageStateOf(page, 'storage')).toEqual({ url: '/big' });
    await page.goto('about:blank');
    expect(await pageStateOf(page, 'storage')).toBeUndefined();
  });
});

describe('restoreStorage', () => {
  it("puts the recorded storage back before the page's scripts run, replacing what was there", async () => {
    await serve(`<p id="seen"></p><script>document.getElementById('seen').textContent = localStorage.getItem('shop.cart') + '|' + sessionStorage.getItem('tab') + '|' + localStorage.getItem('stale');</script>`);
    await page.goto('http://app.test/');
    await page.evaluate(() => localStorage.setItem('stale', 'yes'));
    await restoreStorage(page, { local: { 'shop.cart': '[{"id":"p1"}]' }, session: { tab: 'shipping' } }, 'http://app.test');
    await page.goto('http://app.test/cart');
    await expect.poll(() => page.locator('#seen').textContent()).toBe('[{"id":"p1"}]|shipping|null');
  });

  it("leaves another origin's storage alone (a sign-in provider the app redirects to)", async () => {
    await serve(`<p id="seen"></p><script>document.getElementById('seen').textContent = String(localStorage.getItem('shop.cart'));</script>`);
    await restoreStorage(page, { local: { 'shop.cart': '[{"id":"p1"}]' }, session: {} }, 'http://other.test');
    await page.goto('http://app.test/cart');
    await expect.poll(() => page.locator('#seen').textContent()).toBe('null');
  });
});
