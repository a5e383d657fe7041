// navigation: navigations that time out, are aborted, interrupted, or lose their frame.
import { test, expect } from './fixtures.js';

test('navigation: goto a server that never answers', async ({ page, server }) => {
  try {
    await page.goto(`${server.url}/hang`, { timeout: 1_000 });
  } finally {
    server.releaseHanging();
  }
});

test('navigation: waitForURL timeout', async ({ page, server }) => {
  await page.goto(`${server.url}/page/login`);
  await page.waitForURL('**/dashboard', { timeout: 1_000 });
});

test('navigation: goto a 204 response is aborted', async ({ page, server }) => {
  await page.goto(`${server.url}/no-content`);
});

test('navigation: goto interrupted by another navigation', async ({ page, server }) => {
  const first = page.goto(`${server.url}/hang`);
  await page.waitForTimeout(200);
  const second = page.goto(`${server.url}/page/other`);
  try {
    await Promise.all([first, second]);
  } finally {
    server.releaseHanging();
  }
});

test('navigation: frame detached while waiting', async ({ page }) => {
  await page.setContent('<iframe name="child" srcdoc="<p>child</p>"></iframe>');
  const frame = page.frame({ name: 'child' });
  expect(frame).not.toBeNull();
  const waiting = frame!.waitForSelector('#never', { timeout: 3_000 });
  await page.evaluate(() => document.querySelector('iframe')?.remove());
  await waiting;
});
