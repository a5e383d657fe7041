// The LLM layer in real `playwright test` runs: the ranker abstains on a redesigned button, the
// model (a local server speaking the Chat Completions API through the real `openai` SDK) picks
// it, the heal waits for review; a removed element stays a failure when the model says none;
// the failure pattern gets a summary; the next run answers from the decision cache (no call).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect as pwExpect } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../src/browser/chromium.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { repoRoot, writeInlineProject, type InlineProject } from './helpers/inlineProject.js';
import { shownCandidates, startLlmServer, type ChatCompletionsRequest, type LlmServer } from './helpers/openaiServer.js';

// v2 adds a gift order: two alike "Place order" buttons, and the ranker's best (the card order's)
// falls just under its threshold; the model confirms it by what surrounds it (a pick the ranker
// gives little probability would be refused: llm.minSupport). v3 removes ordering.
const SPEC = `
  import { test, expect } from 'playwright-medic';
  const v1 = '<h1>Cart</h1><section><h2>Your order</h2><p>3 items, paid by card</p><button data-testid="submit-order">Place order</button></section><button>Keep shopping</button>';
  const v2 = '<h1>Cart</h1><section><h2>Your order</h2><p>3 items, paid by card</p><button data-testid="order-standard" onclick="document.title=\\'bought\\'">Place order</button></section>' +
    '<section><h2>Gift order</h2><p>wrapped, paid by voucher</p><button data-testid="order-gift">Place order</button></section><button>Keep shopping</button>';
  const v3 = '<h1>Cart</h1><section><h2>Your order</h2><p>3 items, paid by card</p></section><button>Keep shopping</button>';
  test('buys', async ({ page }) => {
    await page.setContent(v1);
    await expect(page.getByTestId('submit-order')).toBeVisible();
    await page.setContent(v2);
    await page.getByTestId('submit-order').click({ timeout: 1000 });
    await expect(page).toHaveTitle('bought');
  });
  test('the removed button still fails', async ({ page }) => {
    await page.setContent(v1);
    await expect(page.getByTestId('submit-order')).toBeVisible();
    await page.setContent(v3);
    await page.getByTestId('submit-order').click({ timeout: 1000 });
  });`;

/** Like a model: the order button of the card order when it is shown, else none; a summary for a failure pattern. */
function model(request: ChatCompletionsRequest) {
  if (JSON.stringify(request.responseFormat ?? '').includes('failure_summary')) {
    return { json: { hypothesis: 'The order button was removed from the cart page.', suggestedFix: 'Restore the button or update the test.' } };
  }
  const index = shownCandidates(request).findIndex((c) => c.text === 'Place order' && JSON.stringify(c).includes('paid by card'));
  return { json: { index: index < 0 ? null : index, reason: index < 0 ? 'no candidate places an order' : 'the order button of the card order, as before' } };
}

let server: LlmServer;
let p: InlineProject;
beforeAll(async () => {
  server = await startLlmServer(model);
  p = writeInlineProject({
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { chromiumLaunchOptions, defineMedicConfig, type MedicTestOptions } from 'playwright-medic';
      const medic = defineMedicConfig({ llm: { baseURL: '${server.baseURL}', models: ['small'] } });
      export default defineConfig<MedicTestOptions>({
        workers: 2,
        reporter: [['list'], ['json', { outputFile: 'report.json' }], ['playwright-medic/reporter', medic]],
        use: { medic, launchOptions: chromiumLaunchOptions() },
      });`,
    'a.spec.ts': SPEC,
  });
});
afterAll(async () => {
  p?.remove();
  await server?.close();
});

type Result = { status: string; annotations: { type: string; description?: string }[] };
const results = () =>
  new Map(
    (JSON.parse(readFileSync(join(p.dir, 'report.json'), 'utf8')) as { suites: { specs: { title: string; tests: { results: Result[] }[] }[] }[] }).suites.flatMap((s) =>
      s.specs.map((spec) => [spec.title, spec.tests[0]!.results.at(-1)!] as const),
    ),
  );

describe('the LLM layer in a real run', { timeout: 180_000 }, () => {
  it('heals what the ranker abstains on, keeps a removed element failing, summarises the failure, and answers the next run from its cache', async () => {
    // No API key anywhere: the local endpoint needs none.
    const run = await p.run([], { OPENAI_API_KEY: '' });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const byTitle = results();
    expect(byTitle.get('buys')!.status, run.stdout + run.stderr).toBe('passed');
    expect(byTitle.get('buys')!.annotations).toContainEqual({ type: 'medic-healed', description: "getByTestId('submit-order') → page.getByTestId('order-standard') (llm, confidence 0.50)" });
    expect(byTitle.get('the removed button still fails')!.status).toBe('failed');
    expect(run.stdout).toMatch(/^ {2}LLM: 3 calls \(small 3, 3 answered\), \$0\.0000; 1 failure pattern summarised \(see the report\)$/m);

    const repairs = server.requests.filter((r) => !JSON.stringify(r.responseFormat ?? '').includes('failure_summary'));
    expect(repairs.length).toBe(2); // one per broken step: the ranker abstained on both
    expect(server.requests.filter((r) => JSON.stringify(r.responseFormat ?? '').includes('failure_summary')).length).toBe(1);

    const store = openSqliteStore({ path: join(p.dir, '.medic', 'medic.db'), readonly: true });
    const heals = await store.listHeals();
    const executions = await store.listStrategyExecutions();
    const summaries = await store.getModel('default', 'llm-summaries');
    await store.close();
    const healed = heals.find((h) => h.testKey === 'a.spec.ts › buys')!;
    expect(healed).toMatchObject({ strategy: 'llm', outcome: 'healed', review: 'pending', llm: { model: 'small', cached: false, calls: [expect.objectContaining({ answer: 'pick' })] } });
    expect(healed.reason).toMatch(/small chose this candidate.*the card order/);
    const removed = heals.find((h) => h.testKey === 'a.spec.ts › the removed button still fails')!;
    expect(removed).toMatchObject({ strategy: 'relocate', outcome: 'abstained', llm: { model: 'small', calls: [expect.objectContaining({ answer: 'none' })] } });
    expect(executions).toContainEqual(expect.objectContaining({ strategy: 'llm:small', taskType: 'llm_repair', success: true }));
    expect(JSON.stringify(summaries?.data)).toContain('The order button was removed');

    // The learning report the reporter wrote: the model's calls, its heal, and the pattern's summary.
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${join(p.dir, '.medic', 'report', 'index.html')}`);
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
      expect(await page.evaluate(() => document.documentElement.dataset.error)).toBeUndefined();
      expect(await page.locator('section#llm [data-empty]').count()).toBe(0);
      expect(await page.locator('#llm-table tbody tr').first().textContent()).toMatch(/^small/);
      await page.locator('#patterns-table tbody tr:not(.details)').first().click();
      await pwExpect(page.locator('#patterns-table tr.details [data-summary]')).toContainText('The order button was removed from the cart page.');
      await page.locator('#heals-table tbody tr:not(.details)', { hasText: 'order-standard' }).first().click();
      await pwExpect(page.locator('#heals-table tr.details')).toContainText('small');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }

    // The heal waits for a human, with the model named.
    const review = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), 'review', '--json'], { cwd: p.dir, encoding: 'utf8' });
    expect(review.status, review.stderr).toBe(0);
    expect(review.stdout).toMatch(/healed by the LLM layer \(small\)/);

    // The next run: the same element and candidates, so the cached decision heals without a call; the summary is kept.
    const before = server.requests.length;
    const again = await p.run([], { OPENAI_API_KEY: '' });
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(results().get('buys')!.status).toBe('passed');
    expect(server.requests.length).toBe(before);
    const second = openSqliteStore({ path: join(p.dir, '.medic', 'medic.db'), readonly: true });
    const runs = await second.listRuns();
    const latest = await second.listHeals({ runId: runs[0]!.id });
    await second.close();
    // Not the catalog's known fix while it waits for review: the model's cached decision heals it again.
    expect(latest.find((h) => h.testKey === 'a.spec.ts › buys')).toMatchObject({ strategy: 'llm', outcome: 'healed', llm: { cached: true, calls: [] } });
  });
});
