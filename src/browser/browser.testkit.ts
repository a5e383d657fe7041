// Shared set-up of the real-Chromium tests: one browser per file, a fresh page per test.
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { chromiumLaunchOptions } from './chromium.js';

/** A test page from src/browser/testdata. */
export const testdata = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

/** Registers the hooks; `onPage` receives each test's fresh page before the test runs. */
export function useBrowserPage(onPage: (page: Page) => void, options: BrowserContextOptions = {}): void {
  let browser: Browser;
  let current: Page | undefined;
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    current = await browser.newPage(options);
    onPage(current);
  });
  afterEach(async () => {
    await current?.close();
  });
}
