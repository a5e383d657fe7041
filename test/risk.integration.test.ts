// Risk scoring end to end: real `playwright test` runs with the global setup and the reporter
// in a real git repository, a commit that breaks one test through its page object, and the
// built `medic plan` whose test list Playwright itself reads back.
import { spawnSync } from 'node:child_process';
import { gitAs } from './helpers/git.js';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskReportSchema, type RiskReport } from '../src/risk/riskReport.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { repoRoot, writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

const config = (extra = '') => `
  import { defineConfig } from '@playwright/test';
  const medic = { project: 'shop'${extra} };
  export default defineConfig({
    testDir: 'tests', workers: 2, retries: 0,
    globalSetup: 'playwright-medic/global-setup',
    reporter: [['list'], ['playwright-medic/reporter', medic]],
  });`;

let project: InlineProject;
const git = (args: string[], author?: string) => gitAs(project.dir, args, author);
const commit = (author: string) => git(['add', '-A']) + git(['commit', '-q', '-m', `${author}'s change`], author);
const risk = () => riskReportSchema.parse(JSON.parse(readFileSync(join(project.dir, '.medic', 'risk.json'), 'utf8')));
const scoreOf = (report: RiskReport, title: string) => report.tests.find((t) => t.title === title)!;
const medic = (args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, MEDIC_PROJECT: 'shop' } });

beforeAll(() => {
  project = writeInlineProject({
    'playwright.config.ts': config(),
    'playwright.broken.config.ts': config(", risk: { file: 'package-lock.json/risk.json' }"),
    '.gitignore': 'node_modules\n.medic\ntest-results\n',
    'package-lock.json': '{"lockfileVersion":3}\n',
    'tests/pages/cart.ts': 'export const price = () => 5;\n',
    'tests/cart.spec.ts': "import { test, expect } from '@playwright/test';\nimport { price } from './pages/cart.js';\ntest.describe('cart', () => {\n  test('shows the price', () => expect(price()).toBe(5));\n});\n",
    'tests/home.spec.ts': "import { test, expect } from '@playwright/test';\nfor (const n of [1, 2, 3]) test(`home ${n}`, () => expect(n).toBeGreaterThan(0));\n",
  });
  git(['init', '-q', '-b', 'main']);
  commit('ann');
});
afterAll(() => project?.remove());

describe('risk scoring before the suite (real runs, real git, SQLite)', { timeout: 90_000 }, () => {
  it('stays quiet on the first run, when nothing is known yet', async () => {
    const run = await project.run();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/medic risk/);
    expect(existsSync(join(project.dir, '.medic', 'risk.json'))).toBe(false);
  });

  it('puts the test whose page object another author changed first, and names the file', async () => {
    writeFileSync(join(project.dir, 'tests/pages/cart.ts'), 'export const price = () => 6;\n');
    writeFileSync(join(project.dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    commit('bob');
    const run = await project.run();
    expect(run.code).toBe(1); // the change broke the cart test
    const report = risk();
    expect(report.tests.map((t) => t.title)[0]).toBe('shows the price');
    const cart = scoreOf(report, 'shows the price');
    expect(cart.factors.churn).toBeGreaterThan(0);
    expect(cart.top.find((c) => c.factor === 'churn')?.detail).toMatch(/pages\/cart\.ts/); // relative to rootDir (the testDir)
    expect(cart.top.map((c) => c.factor)).toContain('dependencies');
    expect(cart.score).toBeGreaterThan(scoreOf(report, 'home 1').score);
    expect(scoreOf(report, 'home 1').factors.churn).toBe(0);
    expect(run.stdout).toMatch(/medic risk: the 4 riskiest of 4 tests/);
    expect(run.stdout).toMatch(/shows the price\n\s+code changed: .*pages\/cart\.ts/);
    // The reporter stored each prediction with its outcome, and said how they did.
    const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db'), readonly: true });
    try {
      const stored = await store.listPredictions({ project: 'shop' });
      expect(stored.map((p) => [p.testKey, p.outcome, p.score]).sort()).toEqual(report.tests.map((t) => [t.testKey, t.title === 'shows the price' ? 'failed' : 'passed', t.score]).sort());
      expect(new Set(stored.map((p) => p.model))).toEqual(new Set(['weighted']));
    } finally {
      await store.close();
    }
    expect(run.stdout).toMatch(/medic risk: the 4 riskiest held 1 of the 1 test that failed; model weighted kept \(too little history/);
  });

  it('keeps a test that failed last time on top, for its failure now', async () => {
    const run = await project.run();
    expect(run.code).toBe(1);
    const cart = scoreOf(risk(), 'shows the price');
    expect(cart.factors.recentFailures).toBeCloseTo(2 / 3); // passed, then failed: the last run weighs twice the one before
    expect(cart.top[0]!.factor).toBe('recentFailures');
    expect(risk().tests[0]!.title).toBe('shows the price');
  });

  it('writes a test list, riskiest first, that Playwright reads back (medic plan)', () => {
    const plan = medic(['plan', '--top', '1', '-o', '.medic/risky.txt']);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/wrote 1 of 4 tests/);
    expect(readFileSync(join(project.dir, '.medic/risky.txt'), 'utf8')).toMatch(/^cart\.spec\.ts › cart › shows the price$/m);
    const cli = join(repoRoot, 'node_modules', '@playwright', 'test', 'cli.js');
    const listed = spawnSync(process.execPath, [cli, 'test', '--list', '--test-list', '.medic/risky.txt'], { cwd: project.dir, encoding: 'utf8' });
    expect(listed.stdout).toMatch(/Total: 1 test in 1 file/);
    const rest = spawnSync(process.execPath, [cli, 'test', '--list', '--test-list-invert', '.medic/risky.txt'], { cwd: project.dir, encoding: 'utf8' });
    expect(rest.stdout).toMatch(/Total: 3 tests in 1 file/);
    expect(new RegExp(medic(['plan', '--top', '1', '--grep']).stdout.trim()).test('cart.spec.ts cart shows the price')).toBe(true);
  });

  it('scores a test that never ran when it lists the suite first (medic risk/plan --list)', () => {
    writeFileSync(join(project.dir, 'tests/search.spec.ts'), "import { test } from '@playwright/test';\ntest.describe('search', () => {\n  test('finds a lamp', async () => {});\n});\n");
    try {
      const known = medic(['risk', '--json']);
      expect(known.status, known.stderr).toBe(0);
      expect((JSON.parse(known.stdout) as RiskReport).tests.map((t) => t.testKey)).not.toContain('search.spec.ts › search › finds a lamp');
      const listed = medic(['risk', '--json', '--list']);
      expect(listed.status, listed.stderr).toBe(0);
      const report = JSON.parse(listed.stdout) as RiskReport;
      // The four that ran match their history (no twin under another key); the new one joins them.
      expect(report.tests.map((t) => t.testKey).sort()).toEqual(['cart.spec.ts › cart › shows the price', 'home.spec.ts › home 1', 'home.spec.ts › home 2', 'home.spec.ts › home 3', 'search.spec.ts › search › finds a lamp']);
      const fresh = report.tests.find((t) => t.title === 'finds a lamp')!;
      expect(fresh.factors.newTest).toBe(1);
      expect(report.tests.filter((t) => t.factors.newTest === 1)).toHaveLength(1);
      const plan = medic(['plan', '--list', 'playwright.config.ts', '-o', '.medic/all.txt']);
      expect(plan.status, plan.stderr).toBe(0);
      expect(plan.stdout).toMatch(/wrote 5 of 5 tests/);
      expect(readFileSync(join(project.dir, '.medic/all.txt'), 'utf8')).toMatch(/^search\.spec\.ts › search › finds a lamp$/m);
      // A listing error is the command's error, with what to do.
      const wrong = medic(['plan', '--list', 'missing.config.ts']);
      expect(wrong.status).not.toBe(0);
      expect(wrong.stderr).toMatch(/playwright test --list` failed|could not list the suite/);
    } finally {
      rmSync(join(project.dir, 'tests/search.spec.ts'));
    }
  });

  it('stores a prediction for a test added since when it runs: the score of a test with no run', async () => {
    writeFileSync(join(project.dir, 'tests/search.spec.ts'), "import { test } from '@playwright/test';\ntest.describe('search', () => {\n  test('finds a lamp', async () => {});\n});\n");
    try {
      const run = await project.run();
      expect(run.code).toBe(1); // the cart test still fails
      const report = risk();
      expect(report.tests.map((t) => t.title)).not.toContain('finds a lamp'); // the global setup cannot list the suite
      expect(report.unrecorded?.factors.newTest).toBe(1);
      const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db'), readonly: true });
      try {
        const stored = (await store.listPredictions({ project: 'shop' })).filter((p) => p.testKey === 'search.spec.ts › search › finds a lamp');
        expect(stored.map((p) => [p.outcome, p.score, p.factors.newTest])).toEqual([['passed', report.unrecorded!.score, 1]]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(join(project.dir, 'tests/search.spec.ts'));
    }
  });

  it('never fails the suite for its own error: one warning, and the tests run', async () => {
    writeFileSync(join(project.dir, 'tests/pages/cart.ts'), 'export const price = () => 5;\n');
    const run = await project.run(['--config', 'playwright.broken.config.ts']);
    expect(run.stderr + run.stdout).toMatch(/medic: risk scoring skipped \(the suite runs as usual\)/);
    expect(run.code).toBe(0);
  });
});
