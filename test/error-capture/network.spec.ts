// network: requests that never reach a server (closed local ports, aborted routes, .invalid names).
import { test, expect, closedPortUrl, DISCARD_PORT_URL } from './fixtures.js';

test('network: goto a closed port', async ({ page }) => {
  // The port is random on every run: the signature must mask it.
  await page.goto(await closedPortUrl());
});

test('network: goto the discard port chromium refuses as unsafe', async ({ page }) => {
  await page.goto(DISCARD_PORT_URL);
});

test('network: APIRequestContext get to a closed port', async ({ request }) => {
  await request.get(`${await closedPortUrl()}api/health`);
});

test('network: route.abort makes an awaited fetch fail', async ({ page, server }) => {
  await page.goto(`${server.url}/page/home`);
  await page.route('**/api/**', (route) => route.abort());
  await page.evaluate(async (url) => {
    const response = await fetch(url);
    return response.status;
  }, `${server.url}/api/orders`);
});

test('network: route.abort connectionrefused on goto', async ({ page, server }) => {
  await page.route('**/page/**', (route) => route.abort('connectionrefused'));
  await page.goto(`${server.url}/page/refused`);
});

test('network: DNS failure on an .invalid host', async ({ page }) => {
  await page.goto('http://nothing.invalid/');
});

test('network: APIRequestContext DNS failure on an .invalid host', async ({ request }) => {
  const response = await request.get('http://nothing.invalid/api');
  expect(response.ok()).toBe(true);
});
