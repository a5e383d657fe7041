// Pre-flight end to end: a real `playwright test` run with the medic fixture records the
// selector catalog on app v1; v2 renames the elements; the global setup's pre-flight opens the
// pages, relocates the missing selectors and records them as known fixes, so the v2 run heals
// from the catalog at once (no relocation, no waiting out a timeout).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { freePort } from './helpers/freePort.js';
import { versionedServer } from './helpers/versionedApp.js';
import { writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

let project: InlineProject;
// An order's cancel button shows only with an order in localStorage and `?order=open`: a page
// state the tests reach by their own steps, which pre-flight restores (risk.preflightState
// 'storage'). v2 renames the button and changes its text too.
const ORDER = (button: string) =>
  `<div id="order"></div><script>if (localStorage.getItem('order') && new URLSearchParams(location.search).get('order') === 'open') document.getElementById('order').innerHTML = '${button}';</script>`;
const VERSIONS = {
  v1: '<main><h1>Settings</h1><p data-testid="greeting">Hello, Ada</p><button id="save" onclick="document.getElementById(\'status\').textContent=\'saved\'">Save</button><p id="status"></p>' + ORDER('<button id="cancel-order">Cancel order</button>') + '</main>',
  v2: '<main><h1>Settings</h1><p data-testid="welcome">Hello, Ada</p><div><button id="save-settings" class="primary" onclick="document.getElementById(\'status\').textContent=\'saved\'">Save</button></div><p id="status"></p>' + ORDER('<button class="danger">Cancel this order</button>') + '</main>',
};

beforeAll(async () => {
  const port = await freePort();
  project = writeInlineProject({
    'server.mjs': versionedServer(VERSIONS, port),
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { chromiumLaunchOptions, defineMedicConfig } from 'playwright-medic';
      const medic = defineMedicConfig({ project: 'settings', risk: { preflight: (process.env.PREFLIGHT ?? 'auto') as 'auto' | 'always', preflightState: 'storage' } });
      export default defineConfig({
        testDir: 'tests', workers: 1, retries: 0, timeout: 15_000,
        globalSetup: 'playwright-medic/global-setup',
        reporter: [['list'], ['playwright-medic/reporter', medic]],
        use: { medic, baseURL: 'http://127.0.0.1:${port}', launchOptions: chromiumLaunchOptions(), actionTimeout: 3_000 },
        webServer: { command: 'node server.mjs', url: 'http://127.0.0.1:${port}/healthz', reuseExistingServer: false },
      });`,
    'tests/settings.spec.ts': `
      import { test, expect } from 'playwright-medic';
      test('saves', async ({ page }) => {
        await page.goto('/');
        await page.locator('#save').click();
        await expect(page.locator('#status')).toHaveText('saved');
      });
      test('greets', async ({ page }) => {
        await page.goto('/');
        await expect(page.getByTestId('greeting')).toHaveText('Hello, Ada');
      });
      test('cancels an open order', async ({ page }) => {
        await page.goto('/');
        await page.evaluate(() => localStorage.setItem('order', 'ORD-1'));
        await page.goto('/?order=open');
        await expect(page.locator('#order').getByRole('button', { name: 'Cancel order' })).toBeVisible();
        await page.locator('#cancel-order').click();
      });`,
  });
});
afterAll(() => project?.remove());

/** The heals of the store's latest run: locator, strategy and outcome, sorted. */
async function lastRunHeals(path: string): Promise<string[][]> {
  const store = openSqliteStore({ path, readonly: true });
  try {
    const [run] = await store.listRuns({ project: 'settings', limit: 1 });
    return (await store.listHeals({ runId: run!.id })).map((h) => [h.from.code, h.strategy, h.outcome]).sort();
  } finally {
    await store.close();
  }
}

describe('pre-flight before the suite (real runs, real browser, SQLite)', () => {
  it('re-heals the catalogued selectors of a changed app before any test, so the suite only uses known fixes', { timeout: 120_000 }, async () => {
    const v1 = await project.run([], { APP: 'v1' });
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);
    expect(v1.stdout).not.toMatch(/medic pre-flight/); // auto: nothing is risky or stale yet

    const v2 = await project.run([], { APP: 'v2', PREFLIGHT: 'always' });
    expect(v2.code, v2.stdout + v2.stderr).toBe(0);
    // The cancel button's page is opened at its address with its storage put back, where the
    // button shows: its text changed too, and it is healed all the same (the page is in the state
    // the test saw it in).
    expect(v2.stdout).toMatch(/medic pre-flight: \d+ selectors on 2 pages in [\d.]+ s: \d+ still there, 4 healed before the suite, 0 not found\n/);
    expect(v2.stdout).toMatch(/#save.* → page\.getByRole\('button', \{ name: 'Save' \}\)/);
    expect(v2.stdout).toMatch(/getByTestId\('greeting'\).* → page\.getByTestId\('welcome'\)/);
    expect(v2.stdout).toMatch(/#cancel-order.* → page\.getByRole\('button', \{ name: 'Cancel this order' \}\)/);
    // A chain heals at its broken link, inside the part that still finds its element.
    expect(v2.stdout).toMatch(/locator\('#order'\)\.getByRole\('button', \{ name: 'Cancel order' \}\) → page\.locator\('#order'\)\.getByRole\('button', \{ name: 'Cancel this order' \}\)/);

    expect(await lastRunHeals(join(project.dir, '.medic', 'medic.db'))).toEqual([
      ["getByTestId('greeting')", 'known_fix', 'healed'],
      ["locator('#cancel-order')", 'known_fix', 'healed'],
      ["locator('#order').getByRole('button', { name: 'Cancel order' })", 'known_fix', 'healed'],
      ["locator('#save')", 'known_fix', 'healed'],
    ]);
    expect(JSON.parse(readFileSync(join(project.dir, '.medic', 'risk.json'), 'utf8')).tests).toHaveLength(3);
  });

  it("with only the page's address (preflightState 'url'), heals what shows the same content, and leaves to the test what needs the storage", { timeout: 120_000 }, async () => {
    const env = { MEDIC_RISK_PREFLIGHT_STATE: 'url', MEDIC_STORE_PATH: join(project.dir, '.medic', 'url.db'), MEDIC_RISK_FILE: join(project.dir, '.medic', 'url-risk.json') };
    const v1 = await project.run([], { ...env, APP: 'v1' });
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);
    const v2 = await project.run([], { ...env, APP: 'v2', PREFLIGHT: 'always' });
    expect(v2.code, v2.stdout + v2.stderr).toBe(0);
    // The cancel button does not show without the order in storage (not found), and its chain is not checked.
    expect(v2.stdout).toMatch(/medic pre-flight: \d+ selectors on 2 pages in [\d.]+ s: \d+ still there, 2 healed before the suite, 1 not found\n/);
    expect(await lastRunHeals(env.MEDIC_STORE_PATH)).toEqual([
      ["getByTestId('greeting')", 'known_fix', 'healed'],
      ["locator('#cancel-order')", 'relocate', 'healed'],
      ["locator('#order').getByRole('button', { name: 'Cancel order' })", 'relocate', 'healed'],
      ["locator('#save')", 'known_fix', 'healed'],
    ]);
  });
});
