// The fixture through a real `playwright test` run of a temporary project: a heal shows as an
// annotation, an output line, a screenshot and a stored HealEvent that `medic heals` lists;
// suggest mode fails with the suggestion; failOnHeal fails a test that passed only by healing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { repoRoot, writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

const SPEC = `
  import { test, expect } from 'playwright-medic';
  const v1 = '<button id="save" onclick="document.title=\\'saved\\'">Save changes</button><p id="gone">bye</p>';
  const v2 = '<button id="persist" class="primary" onclick="document.title=\\'saved\\'">Save changes</button>';
  test('saves', async ({ page }) => {
    await page.setContent(v1);
    await expect(page.locator('#save')).toBeVisible();
    await page.setContent(v2);
    await page.locator('#save').click({ timeout: 1000 });
    await expect(page).toHaveTitle('saved');
  });
  test('a removed element still fails', async ({ page }) => {
    await page.setContent(v1);
    await expect(page.locator('#gone')).toBeVisible();
    await page.setContent(v2);
    await expect(page.locator('#gone')).toBeVisible({ timeout: 1000 });
  });`;

function project(medic = '{}'): InlineProject {
  return writeInlineProject({
    'playwright.config.ts': `
      import { defineConfig } from '@playwright/test';
      import { chromiumLaunchOptions, defineMedicConfig, type MedicTestOptions } from 'playwright-medic';
      const medic = defineMedicConfig(${medic});
      export default defineConfig<MedicTestOptions>({
        reporter: [['list'], ['json', { outputFile: 'report.json' }], ['playwright-medic/reporter', medic]],
        use: { medic, launchOptions: chromiumLaunchOptions() },
      });`,
    'a.spec.ts': SPEC,
  });
}

const projects: InlineProject[] = [];
const make = (medic?: string) => {
  const p = project(medic);
  projects.push(p);
  return p;
};
afterEach(() => projects.splice(0).forEach((p) => p.remove()));

type Result = { status: string; annotations: { type: string; description?: string }[]; attachments: { name: string; contentType: string }[]; errors: { message?: string }[] };
function results(p: InlineProject): Map<string, Result> {
  const report = JSON.parse(readFileSync(join(p.dir, 'report.json'), 'utf8')) as {
    suites: { specs: { title: string; tests: { results: Result[] }[] }[] }[];
  };
  return new Map(report.suites.flatMap((s) => s.specs.map((spec) => [spec.title, spec.tests[0]!.results.at(-1)!] as const)));
}

// Each test is a real `playwright test` run with a browser: minutes on a loaded 2-core machine.
describe('the self-healing fixture in a real run', { timeout: 180_000 }, () => {
  it('heals, annotates, attaches, stores the heal, and `medic heals` lists it; a removed element still fails', async () => {
    const p = make();
    const run = await p.run();
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/1 failed[\s\S]*1 passed/);
    const byTitle = results(p);
    const saves = byTitle.get('saves')!;
    expect(saves.status).toBe('passed');
    expect(saves.annotations).toContainEqual({
      type: 'medic-healed',
      description: expect.stringMatching(/^locator\('#save'\) → page\.getByRole\('button', \{ name: 'Save changes' \}\) \(relocate, confidence \d\.\d\d\)$/),
    });
    expect(saves.attachments.map((a) => a.contentType)).toEqual(expect.arrayContaining(['image/png', 'application/vnd.medic.learning+json']));
    expect(run.stdout).toMatch(/medic: healed click locator\('#save'\) → page\.getByRole/);
    expect(byTitle.get('a removed element still fails')!.status).toBe('failed');

    const store = openSqliteStore({ path: join(p.dir, '.medic', 'medic.db'), readonly: true });
    const heals = await store.listHeals();
    const selectors = await store.listSelectors();
    await store.close();
    expect(heals.filter((h) => h.outcome === 'healed')).toHaveLength(1);
    expect(heals.find((h) => h.outcome === 'healed')).toMatchObject({ step: 'click', strategy: 'relocate', review: 'pending', testKey: 'a.spec.ts › saves' });
    expect(selectors.find((s) => s.selector === '#save')).toMatchObject({ timesUsed: 1, failureCount: 1, alternatives: [expect.objectContaining({ selector: 'internal:role=button[name="Save changes"i]' })] });

    const cli = spawnSync(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), 'heals', '--all'], { cwd: p.dir, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/healed +a\.spec\.ts › saves +\(click on about:\)/);
    expect(cli.stdout).toMatch(/locator\('#save'\) {2}→ {2}page\.getByRole\('button', \{ name: 'Save changes' \}\)/);
    expect(cli.stdout).toMatch(/abstained +a\.spec\.ts › a removed element still fails/);
  });

  it('suggest mode fails the step and names the fix', async () => {
    const p = make("{ healing: { mode: 'suggest' } }");
    const run = await p.run();
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const saves = results(p).get('saves')!;
    expect(saves.status).toBe('failed');
    expect(saves.errors[0]!.message).toMatch(/playwright-medic suggests: page\.getByRole\('button', \{ name: 'Save changes' \}\)/);
    expect(saves.annotations.map((a) => a.type)).toContain('medic-suggested');
  });

  it('failOnHeal fails a test that passed only because a step was healed', async () => {
    const p = make('{ healing: { failOnHeal: true } }');
    const run = await p.run();
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const saves = results(p).get('saves')!;
    expect(saves.status).toBe('failed');
    expect(saves.errors.map((e) => e.message).join('\n')).toMatch(/passed only because playwright-medic healed 1 step\(s\): locator\('#save'\) → page\.getByRole/);
  });
});
