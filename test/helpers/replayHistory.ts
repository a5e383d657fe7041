// A replayed history: real `playwright test` runs of a generated suite against the demo shop
// (e2e/apps, e2e/server.mjs), run after run, with faults injected the way they happen to a team:
// a slow script (flaky timing), a deploy that changes markup (changed selectors, v2), a backend
// endpoint answering 500, and a regression in the app (v3). Every failure it causes carries the
// label of the one fault that caused it, the ground truth the learning is checked against
// (test/learning.integration.test.ts) and the labelled corpus of `npm run bench:cluster`.
import { join } from 'node:path';
import { patternOfFailure } from '../../src/learning/patternLearner.js';
import type { KnowledgeStore } from '../../src/store/KnowledgeStore.js';
import type { AttemptRecord } from '../../src/store/records.js';
import { freePort } from './freePort.js';
import { repoRoot, writeInlineProject, type InlineProject } from './inlineProject.js';

/** The faults: what the runs inject, as the label their failures carry. */
export const FAULTS = ['flaky:slow-script', 'selector:clear-filters', 'selector:cart-badge', 'selector:signin-heading', 'endpoint:cart-500', 'regression:in-stock'] as const;
export type Fault = (typeof FAULTS)[number];

export type ReplayRun = {
  app: 'v1' | 'v2' | 'v3';
  /** The fixture's healing mode in this run. */
  mode: 'heal' | 'suggest';
  /** The product script answers late on each test's first attempt. */
  flaky: boolean;
  /** Endpoints that answer 500. */
  fail: string[];
};

/**
 * Five runs, as a week of a team's CI: v1 on a slow morning, the v2 deploy seen first in suggest
 * mode (its changed selectors fail, medic suggests), then v3 healed, whose regression and broken
 * cart endpoint fail three runs in a row; the slow mornings come back now and then.
 */
export const REPLAY_RUNS: readonly ReplayRun[] = [
  { app: 'v1', mode: 'heal', flaky: true, fail: [] },
  { app: 'v2', mode: 'suggest', flaky: true, fail: [] },
  { app: 'v3', mode: 'heal', flaky: true, fail: ['/cart'] },
  { app: 'v3', mode: 'heal', flaky: false, fail: ['/cart'] },
  { app: 'v3', mode: 'heal', flaky: false, fail: ['/cart'] },
];

/** Which faults reach a test, in the order it meets them: its first active one fails it. */
type Exposure = { fault: Fault; active: (run: ReplayRun, retry: number) => boolean };
const slowScript: Exposure = { fault: 'flaky:slow-script', active: (run, retry) => run.flaky && retry === 0 };
const brokenCart: Exposure = { fault: 'endpoint:cart-500', active: (run) => run.fail.includes('/cart') };
/** A v1 locator that v2 changed fails only when medic does not heal it (suggest mode). */
const changed = (fault: Fault): Exposure => ({ fault, active: (run) => run.app !== 'v1' && run.mode === 'suggest' });
const regression: Exposure = { fault: 'regression:in-stock', active: (run) => run.app === 'v3' };

/** The suite: file → describe → test title → the faults it is exposed to. */
const SUITE: Record<string, Record<string, Exposure[]>> = {
  'catalog.spec.ts': {
    'lists every product': [slowScript],
    'counts the in-stock products': [regression],
    'clear filters shows everything again': [changed('selector:clear-filters')],
  },
  'search.spec.ts': {
    'finds the lamp': [slowScript],
    'clear filters resets the search': [changed('selector:clear-filters')],
  },
  'cart.spec.ts': {
    'opens the cart': [brokenCart],
    'the badge counts the cart': [brokenCart, changed('selector:cart-badge')],
  },
  'header.spec.ts': {
    'the badge shows on the product list': [changed('selector:cart-badge')],
    'the sign-in page has its title': [changed('selector:signin-heading')],
  },
  'product.spec.ts': {
    'shows a product': [],
    'keeps the query in the URL': [],
  },
};

/** The describe of every file is its name without `.spec.ts`. */
export const REPLAY_TESTS: ReadonlyArray<{ file: string; title: string }> = Object.entries(SUITE).flatMap(([file, tests]) => Object.keys(tests).map((title) => ({ file, title })));

/** The fault that failed this attempt (by its test's file and title, its run and retry), or undefined when none should have. */
export function faultOf(file: string, title: string, run: ReplayRun, retry: number): Fault | undefined {
  return SUITE[file]?.[title]?.find((e) => e.active(run, retry))?.fault;
}

const config = `
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, defineMedicConfig } from 'playwright-medic';
const medic = defineMedicConfig({ project: 'shop' });
const port = Number(process.env.REPLAY_PORT);
const fail = (process.env.REPLAY_FAIL ?? '').split(',').filter(Boolean).flatMap((path) => ['--fail', path + '=500']).join(' ');
export default defineConfig({
  workers: 2, retries: 1, fullyParallel: true, timeout: 20_000,
  expect: { timeout: 2_000 },
  reporter: [['dot'], ['playwright-medic/reporter', medic]],
  use: { medic, baseURL: 'http://127.0.0.1:' + port, actionTimeout: 2_000, launchOptions: chromiumLaunchOptions() },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: 'node ' + JSON.stringify(process.env.REPLAY_SERVER) + ' --app ' + process.env.REPLAY_APP + ' --port ' + port + ' ' + fail,
    url: 'http://127.0.0.1:' + port + '/healthz',
    reuseExistingServer: false,
  },
});
`;

// Page objects, as a team writes them: the shared waits and checks live here.
const pages = `
import { expect, type Page } from '@playwright/test';

export class Shop {
  constructor(readonly page: Page) {}
  /** The product list, and its count once the product script has rendered it. */
  async products(query = '') {
    await this.page.goto('/products' + query, { waitUntil: 'commit' });
    await expect(this.count).not.toBeEmpty({ timeout: 3_000 });
  }
  get count() {
    return this.page.locator('p[aria-live="polite"]');
  }
  /** The cart page; a page the server could not render is a failure right here. */
  async cart() {
    const response = await this.page.goto('/cart');
    expect(response?.status(), 'GET ' + response?.url()).toBeLessThan(400);
  }
  /** Starts with p2 × 2 and p7 × 1 in the cart. */
  async fillCart() {
    await this.page.addInitScript(() => localStorage.setItem('shop.cart', JSON.stringify([{ id: 'p2', qty: 2 }, { id: 'p7', qty: 1 }])));
  }
}

/** REPLAY_FLAKY: the product script answers 6 s late on a test's first attempt (a slow CDN). */
export async function slowScriptOnFirstTry(page: Page, retry: number) {
  if (!process.env.REPLAY_FLAKY || retry > 0) return;
  await page.route('**/data.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await route.continue();
  });
}
`;

const header = (describe: string) => `import { test, expect } from 'playwright-medic';\nimport { Shop, slowScriptOnFirstTry } from './shop.js';\n\ntest.describe('${describe}', () => {\n`;

const specs: Record<string, string> = {
  'catalog.spec.ts': `${header('catalog')}
  test('lists every product', async ({ page }, testInfo) => {
    await slowScriptOnFirstTry(page, testInfo.retry);
    const shop = new Shop(page);
    await shop.products();
    await expect(shop.count).toHaveText('12 products');
  });

  test('counts the in-stock products', async ({ page }) => {
    const shop = new Shop(page);
    await shop.products('?inStock=1');
    await expect(shop.count).toHaveText('9 products');
  });

  test('clear filters shows everything again', async ({ page }) => {
    const shop = new Shop(page);
    await shop.products('?category=audio');
    await expect(shop.count).toHaveText('3 products');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(shop.count).toHaveText('12 products');
  });
});
`,
  'search.spec.ts': `${header('search')}
  test('finds the lamp', async ({ page }, testInfo) => {
    await slowScriptOnFirstTry(page, testInfo.retry);
    const shop = new Shop(page);
    await shop.products('?q=lamp');
    await expect(shop.count).toHaveText('1 product');
  });

  test('clear filters resets the search', async ({ page }) => {
    const shop = new Shop(page);
    await shop.products('?q=lamp');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(shop.count).toHaveText('12 products');
    await expect(page).not.toHaveURL(/q=lamp/);
  });
});
`,
  'cart.spec.ts': `${header('cart')}
  test('opens the cart', async ({ page }) => {
    const shop = new Shop(page);
    await shop.cart();
    await expect(page.locator('h1')).toHaveText(/Your (cart|bag)/);
  });

  test('the badge counts the cart', async ({ page }) => {
    const shop = new Shop(page);
    await shop.fillCart();
    await shop.cart();
    await expect(page.locator('#cart-count')).toHaveText('3');
  });
});
`,
  'header.spec.ts': `${header('header')}
  test('the badge shows on the product list', async ({ page }) => {
    const shop = new Shop(page);
    await shop.fillCart();
    await shop.products();
    await expect(page.locator('#cart-count')).toHaveText('3');
  });

  test('the sign-in page has its title', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  });
});
`,
  'product.spec.ts': `${header('product')}
  test('shows a product', async ({ page }) => {
    await page.goto('/product?id=p2');
    await expect(page.locator('h1')).toHaveText('Pulse Bluetooth Speaker');
  });

  test('keeps the query in the URL', async ({ page }) => {
    const shop = new Shop(page);
    await shop.products('?q=lamp');
    await expect(shop.count).toHaveText('1 product');
    await expect(page).toHaveURL(/q=lamp/);
  });
});
`,
};

export type ReplayedRun = { index: number; run: ReplayRun; code: number | null; stdout: string; stderr: string };

/**
 * Writes the suite into a temporary project and runs it once per entry of `runs`, in order, each
 * against a fresh demo server of that run's app version and faults. The knowledge lands in the
 * project's `.medic/medic.db`.
 */
export async function replayHistory(runs: readonly ReplayRun[] = REPLAY_RUNS, onRun?: (r: ReplayedRun) => void): Promise<{ project: InlineProject; store: string; runs: ReplayedRun[] }> {
  const project = writeInlineProject({ 'playwright.config.ts': config, 'shop.ts': pages, ...specs });
  const done: ReplayedRun[] = [];
  for (const [index, run] of runs.entries()) {
    const port = await freePort();
    const result = await project.run([], {
      REPLAY_PORT: String(port),
      REPLAY_APP: run.app,
      REPLAY_FAIL: run.fail.join(','),
      REPLAY_SERVER: join(repoRoot, 'e2e', 'server.mjs'),
      ...(run.flaky ? { REPLAY_FLAKY: '1' } : {}),
      MEDIC_HEALING_MODE: run.mode,
      MEDIC_REPORT_SUMMARY: 'false',
    });
    const replayed = { index, run, ...result };
    done.push(replayed);
    onRun?.(replayed);
  }
  return { project, store: join(project.dir, '.medic', 'medic.db'), runs: done };
}

/** A failing attempt of the replay, with the fault that caused it and the pattern it joined. */
export type LabelledFailure = { run: number; attempt: AttemptRecord; fault: Fault | undefined; pattern: string | undefined };

/**
 * Every failing attempt in the store, oldest run first, labelled with its injected fault (from
 * its file, title, run and retry) and the failure pattern it joined (the one holding its
 * signature, or its outage's).
 */
export async function labelledFailures(store: KnowledgeStore, runs: readonly ReplayRun[] = REPLAY_RUNS): Promise<LabelledFailure[]> {
  const records = (await store.listRuns({ project: 'shop' })).reverse();
  if (records.length !== runs.length) throw new Error(`the store has ${records.length} runs of the replay's ${runs.length}`);
  const patternOf = patternOfFailure(await store.listFailurePatterns({ project: 'shop' }));
  const out: LabelledFailure[] = [];
  for (const [run, record] of records.entries()) {
    for (const attempt of await store.listAttempts({ runId: record.id })) {
      if (!attempt.error || attempt.status === attempt.expectedStatus) continue;
      const file = attempt.file.split('/').pop()!;
      const fault = faultOf(file, attempt.title, runs[run]!, attempt.retry);
      out.push({ run, attempt, fault, pattern: patternOf(attempt)?.id });
    }
  }
  return out;
}
