// `medic review` end to end: real `playwright test` runs with the medic fixture and a real SQLite
// store, and the built CLI between them. App v1 records the catalog; v2 renames the button and the
// run heals it. A rejected heal is not used again (the next run abstains and the test fails); the
// same heal accepted is the known fix, used first (the next run heals with `known_fix`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../src/review/queue.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { freePort } from './helpers/freePort.js';
import { versionedServer } from './helpers/versionedApp.js';
import { repoRoot, writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

let project: InlineProject;
const VERSIONS = {
  v1: '<main><h1>Settings</h1><button id="save" onclick="document.getElementById(\'status\').textContent=\'saved\'">Save</button><p id="status"></p></main>',
  v2: '<main><h1>Settings</h1><div><button id="save-settings" class="primary" onclick="document.getElementById(\'status\').textContent=\'saved\'">Save</button></div><p id="status"></p></main>',
};

beforeAll(async () => {
  const port = await freePort();
  project = writeInlineProject({
    'server.mjs': versionedServer(VERSIONS, port),
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { chromiumLaunchOptions, defineMedicConfig } from 'playwright-medic';
      const medic = defineMedicConfig({ project: 'settings', report: { summary: false } });
      export default defineConfig({
        testDir: 'tests', workers: 1, retries: 0, timeout: 15_000,
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
      });`,
  });
});
afterAll(() => project?.remove());

/** The built CLI in the project's folder, without the parent's MEDIC_* variables; stdin is not a terminal. */
function medic(...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MEDIC_')));
  return spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd: project.dir, encoding: 'utf8', input: '', env });
}

/** The newest run's heals: [from, strategy, outcome, to]. */
async function lastHeals() {
  const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db'), readonly: true });
  try {
    const [run] = await store.listRuns({ project: 'settings', limit: 1 });
    const heals = await store.listHeals({ runId: run!.id });
    const executions = await store.listStrategyExecutions({ project: 'settings' });
    return { run: run!, heals, executions };
  } finally {
    await store.close();
  }
}

describe('medic review decides what the next run does (real runs, real browser, SQLite, built CLI)', () => {
  it('a rejected heal is not applied again; the same heal accepted is used first, as the known fix', { timeout: 150_000 }, async () => {
    const v1 = await project.run([], { APP: 'v1' });
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);

    const healed = await project.run([], { APP: 'v2' });
    expect(healed.code, healed.stdout + healed.stderr).toBe(0);
    const first = await lastHeals();
    expect(first.heals.map((h) => [h.from.code, h.strategy, h.outcome])).toEqual([["locator('#save')", 'relocate', 'healed']]);
    const to = first.heals[0]!.to!;

    // A confident heal waits only with --all; without a terminal, medic review prints and returns.
    const all = medic('review', '--project', 'settings', '--all');
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/1 item to review in project "settings"/);
    expect(all.stdout).toMatch(/Decide with: medic review --accept ID/);
    const listed = JSON.parse(medic('review', '--project', 'settings', '--all', '--json').stdout) as { items: ReviewItem[] };
    expect(listed.items).toHaveLength(1);
    const item = listed.items[0]!;
    expect(item).toMatchObject({ kind: 'heal', state: 'pending', from: "locator('#save')", to: to.code, strategy: 'relocate', outcome: 'healed' });
    expect(all.stdout).toContain(item.id);

    const unknown = medic('review', '--project', 'settings', '--reject', 'abcdef0');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no review item has the ID "abcdef0"/);

    const rejected = medic('review', '--project', 'settings', '--reject', item.id);
    expect(rejected.status, rejected.stderr).toBe(0);
    expect(rejected.stdout).toContain(`rejected ${item.id}: ${to.code} is never used for locator('#save') on / again`);

    // The next run: no known fix, and relocation finds the same element but will not heal to it.
    const refused = await project.run([], { APP: 'v2' });
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    const second = await lastHeals();
    expect(second.heals.map((h) => [h.from.code, h.strategy, h.outcome, h.to?.code])).toEqual([["locator('#save')", 'relocate', 'abstained', undefined]]);
    expect(second.heals[0]!.reason).toBe(`abstained: the best candidate is ${to.code}, which a review rejected as a heal of locator('#save') on /`);
    // The rejected heal counts as a failure of its strategy.
    expect(second.executions.filter((e) => e.runId === first.run.id).map((e) => `${e.strategy}:${e.success}`)).toEqual(['relocate:false']);

    // The queue now holds the abstention and the failure nothing has fixed.
    const queue = JSON.parse(medic('review', '--project', 'settings', '--json').stdout) as { items: ReviewItem[] };
    expect(queue.items.map((i) => [i.kind, i.outcome ?? i.step, i.state]).sort()).toEqual([
      ['failure', expect.any(String), 'pending'],
      ['heal', 'abstained', 'pending'],
    ]);
    const failure = queue.items.find((i) => i.kind === 'failure')!;

    // A changed mind: the same heal accepted (and the failure acknowledged) in one call.
    const accepted = JSON.parse(medic('review', '--project', 'settings', '--accept', item.id, failure.id, '--json').stdout) as {
      decisions: { id: string; state: string }[];
      items: ReviewItem[];
    };
    expect(accepted.decisions.map((d) => [d.id, d.state])).toEqual([
      [item.id, 'accepted'],
      [failure.id, 'acknowledged'],
    ]);
    expect(accepted.items.map((i) => i.outcome)).toEqual(['abstained']);

    const fixed = await project.run([], { APP: 'v2' });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const third = await lastHeals();
    expect(third.heals.map((h) => [h.from.code, h.strategy, h.outcome, h.to?.code])).toEqual([["locator('#save')", 'known_fix', 'healed', to.code]]);
  });
});
