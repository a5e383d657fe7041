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
const VERSIONS = {
  v1: '<main><h1>Settings</h1><p data-testid="greeting">Hello, Ada</p><button id="save" onclick="document.getElementById(\'status\').textContent=\'saved\'">Save</button><p id="status"></p></main>',
  v2: '<main><h1>Settings</h1><p data-testid="welcome">Hello, Ada</p><div><button id="save-settings" class="primary" onclick="document.getElementById(\'status\').textContent=\'saved\'">Save</button></div><p id="status"></p></main>',
};

beforeAll(async () => {
  const port = await freePort();
  project = writeInlineProject({
    'server.mjs': versionedServer(VERSIONS, port),
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { chromiumLaunchOptions, defineMedicConfig } from 'playwright-medic';
      const medic = defineMedicConfig({ project: 'settings', risk: { preflight: (process.env.PREFLIGHT ?? 'auto') as 'auto' | 'always' } });
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
      });`,
  });
});
afterAll(() => project?.remove());

describe('pre-flight before the suite (real runs, real browser, SQLite)', () => {
  it('re-heals the catalogued selectors of a changed app before any test, so the suite only uses known fixes', { timeout: 120_000 }, async () => {
    const v1 = await project.run([], { APP: 'v1' });
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);
    expect(v1.stdout).not.toMatch(/medic pre-flight/); // auto: nothing is risky or stale yet

    const v2 = await project.run([], { APP: 'v2', PREFLIGHT: 'always' });
    expect(v2.code, v2.stdout + v2.stderr).toBe(0);
    expect(v2.stdout).toMatch(/medic pre-flight: \d+ selectors on 1 pages in [\d.]+ s: \d+ still there, 2 healed before the suite, 0 not found/);
    expect(v2.stdout).toMatch(/#save.* → page\.getByRole\('button', \{ name: 'Save' \}\)/);
    expect(v2.stdout).toMatch(/getByTestId\('greeting'\).* → page\.getByTestId\('welcome'\)/);

    const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db'), readonly: true });
    try {
      const [run] = await store.listRuns({ project: 'settings', limit: 1 });
      const heals = await store.listHeals({ runId: run!.id });
      expect(heals.map((h) => [h.from.code, h.strategy, h.outcome]).sort()).toEqual([
        ["getByTestId('greeting')", 'known_fix', 'healed'],
        ["locator('#save')", 'known_fix', 'healed'],
      ]);
    } finally {
      await store.close();
    }
    expect(JSON.parse(readFileSync(join(project.dir, '.medic', 'risk.json'), 'utf8')).tests).toHaveLength(2);
  });
});
