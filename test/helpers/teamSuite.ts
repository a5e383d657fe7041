// The suite the team-backend tests run (test/team.integration.test.ts, test/resilience.integration.test.ts).
import type { KnowledgeStore } from '../../src/store/KnowledgeStore.js';
/**
 * A suite of 14 tests in 4 files (project "shop", 2 workers, 1 retry, fully parallel): a heal
 * and a role locator in real Chromium, and in each of 3 plain files a pass, two failures of one
 * shared check (one pattern per file) and a test that passes on its retry. `stepMs` slows every
 * plain test down, for a test that breaks a server mid-run.
 */
export function teamSuite(stepMs = 0): Record<string, string> {
  const wait = stepMs ? `await new Promise((r) => setTimeout(r, ${stepMs})); ` : '';
  return {
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { chromiumLaunchOptions, defineMedicConfig, type MedicTestOptions } from 'playwright-medic';
      const medic = defineMedicConfig({ project: 'shop' });
      export default defineConfig<MedicTestOptions>({
        retries: 1,
        workers: 2,
        fullyParallel: true, // shards split files: one file's failures reach several shards
        reporter: [['line'], ['playwright-medic/reporter', medic]],
        use: { medic, launchOptions: chromiumLaunchOptions() },
      });`,
    // One failure in shared code, so each file's failing tests fail alike.
    'checks.ts': `
      import { expect } from 'playwright-medic';
      export function expectTotal(total: number) { expect(total, 'cart total').toBe(42); }`,
    'ui.spec.ts': `
      import { test, expect } from 'playwright-medic';
      const v1 = '<button id="save" onclick="document.title=\\'saved\\'">Save changes</button>';
      const v2 = '<button id="persist" class="primary" onclick="document.title=\\'saved\\'">Save changes</button>';
      test('saves after the button changed', async ({ page }) => {
        await page.setContent(v1);
        await expect(page.locator('#save')).toBeVisible();
        await page.setContent(v2);
        // The healed click gets this timeout again: 2 s, so a loaded 2-core machine does not fail it.
        await page.locator('#save').click({ timeout: 2000 });
        await expect(page).toHaveTitle('saved');
      });
      test('reads the heading', async ({ page }) => {
        await page.setContent('<h1>Orders</h1>');
        await expect(page.getByRole('heading', { name: 'Orders' })).toBeVisible();
      });`,
    ...Object.fromEntries(
      ['cart', 'checkout', 'search'].map((name) => [
        `${name}.spec.ts`,
        `
        import { test, expect } from 'playwright-medic';
        import { expectTotal } from './checks';
        test('${name} works', async () => { ${wait}expect(1 + 1).toBe(2); });
        test('${name} total', async () => { ${wait}expectTotal(41); });
        test('${name} total with a coupon', async () => { ${wait}expectTotal(40); });
        test('${name} is flaky', async ({}, info) => { ${wait}expect(info.retry, 'first attempt fails').toBeGreaterThan(0); });`,
      ]),
    ),
  };
}

/**
 * What a store learned from the suite, in a form two stores can be compared by: every
 * attempt (test, retry, status), the failure patterns (counts, tests, known fixes), the
 * selector catalog (uses, failures, confidence) and the heals; timestamps and run ids left out.
 */
export async function learnedBy(store: KnowledgeStore, project = 'shop') {
  const attempts = (await store.listAttempts()).map((a) => `${a.testKey} #${a.retry} ${a.status}`).sort();
  const patterns = (await store.listFailurePatterns({ project }))
    .map((p) => ({ id: p.id, category: p.category, count: p.count, tests: [...p.tests].sort(), fixes: p.knownFixes.map((f) => [f.strategy, f.to, f.from, f.successes, f.tries]) }))
    .sort((x, y) => x.id.localeCompare(y.id));
  const catalog = (await store.listSelectors({ project })).map((r) => [r.pageKey, r.code, r.timesUsed, r.failureCount, r.confidence]).sort();
  const heals = (await store.listHeals({ project })).map((h) => `${h.from.code} → ${h.to?.code} ${h.outcome}`).sort();
  const successes = (await store.listSuccessPatterns({ project })).map((p) => `${p.feature} ${p.passes}/${p.failures}`).sort();
  return { attempts, patterns, catalog, heals, successes };
}
