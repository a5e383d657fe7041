// A real `playwright test` run (4 workers, 165 tests of every kind) recorded by the reporter
// into SQLite; then the same run with an unusable store.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import type { StrategyExecution } from '../src/learning/strategies.js';
import type { SuccessPattern } from '../src/learning/successPatterns.js';
import type { FailurePattern } from '../src/learning/failurePatterns.js';
import type { AttemptRecord } from '../src/store/records.js';
import { repoRoot, writeInlineProject, type InlineProject } from './helpers/inlineProject.js';

type Expected = { statuses: string[]; outcome: string; category: string | null };
const manifest = new Map<string, Expected>();

function spec(file: string, count: number, expected: Expected, body: (i: number) => string): string {
  const lines = ["import { test, expect } from 'playwright-medic';", `test.describe('${file}', () => {`];
  for (let i = 0; i < count; i++) {
    const title = `${file} #${i}`;
    manifest.set(`chromium › ${file}.spec.ts › ${file} › ${title}`, expected);
    const fixtures = file === 'browser' ? '{ page }' : '{}'; // only browser tests pay for a page
    lines.push(`  test('${title}', async (${fixtures}, testInfo) => {`, `    ${body(i)}`, '  });');
  }
  lines.push('});');
  return lines.join('\n');
}

const files: Record<string, string> = {
  'playwright.config.ts': `
    import { defineConfig } from '@playwright/test';
    import { chromiumLaunchOptions, defineMedicConfig } from 'playwright-medic';
    const medic = defineMedicConfig({});
    export default defineConfig({
      workers: 4, retries: 1, fullyParallel: true, timeout: 15_000,
      reporter: [['dot'], ['json', { outputFile: 'results.json' }], ['playwright-medic/reporter', medic]],
      use: { medic, launchOptions: chromiumLaunchOptions() },
      projects: [{ name: 'chromium' }],
    });`,
  'pass.spec.ts': spec('pass', 100, { statuses: ['passed'], outcome: 'expected', category: null }, (i) => `expect(${i} + 1).toBe(${i + 1});`),
  'fail.spec.ts': spec('fail', 10, { statuses: ['failed', 'failed'], outcome: 'unexpected', category: 'assertion' }, (i) => `expect(${i}).toBe(${i + 1});`),
  'flaky.spec.ts': spec('flaky', 10, { statuses: ['failed', 'passed'], outcome: 'flaky', category: 'assertion' }, () => 'expect(testInfo.retry).toBe(1);'),
  'timeout.spec.ts': spec('timeout', 5, { statuses: ['timedOut', 'timedOut'], outcome: 'unexpected', category: 'timeout' }, () =>
    'test.setTimeout(400); await new Promise(() => {});',
  ),
  // Deliberate skips: the run must record skipped attempts, both a runtime skip with a reason
  // (kept as an annotation) and a plain one.
  'skip.spec.ts': spec('skip', 20, { statuses: ['skipped'], outcome: 'skipped', category: null }, (i) =>
    i % 2 ? "test.skip(true, 'not on this platform');" : 'test.skip();',
  ),
  'browser.spec.ts': spec('browser', 10, { statuses: [], outcome: '', category: null }, (i) =>
    i % 2
      ? "await page.setContent('<button>Save</button>'); await page.getByRole('button', { name: 'Save' }).click();"
      : "await page.setContent('<button>Save</button>'); await page.getByRole('button', { name: 'Submit' }).click({ timeout: 500 });",
  ),
  'expected-fail.spec.ts': spec('expected-fail', 10, { statuses: ['failed'], outcome: 'expected', category: 'assertion' }, () =>
    'test.fail(); expect(1).toBe(2);',
  ),
};
for (const [key, value] of manifest) {
  if (!key.includes('browser.spec.ts')) continue;
  const i = Number(key.split('#')[1]);
  Object.assign(value, i % 2 ? { statuses: ['passed'], outcome: 'expected', category: null } : { statuses: ['failed', 'failed'], outcome: 'unexpected', category: 'selector_missing' });
  manifest.set(key, { ...value });
}

type JsonReport = { suites: JsonSuite[] };
type JsonSuite = { suites?: JsonSuite[]; specs: { tests: { results: unknown[] }[] }[] };
const countResults = (suite: JsonSuite): number =>
  suite.specs.reduce((n, s) => n + s.tests.reduce((m, t) => m + t.results.length, 0), 0) + (suite.suites ?? []).reduce((n, s) => n + countResults(s), 0);

describe('reporter against a real Playwright run', () => {
  let project: InlineProject;
  let result: Awaited<ReturnType<InlineProject['run']>>;
  let attempts: AttemptRecord[];
  let patterns: FailurePattern[];
  let executions: StrategyExecution[];
  let successes: SuccessPattern[];

  beforeAll(async () => {
    project = writeInlineProject(files);
    result = await project.run();
    const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db') });
    attempts = await store.listAttempts();
    patterns = await store.listFailurePatterns();
    executions = await store.listStrategyExecutions();
    successes = await store.listSuccessPatterns();
    await store.close();
  }, 240_000);
  afterAll(() => project?.remove());

  it('completes the run and prints the summary', () => {
    expect(result.code).toBe(1); // the suite has real failures
    expect(result.stdout).toMatch(/medic: recorded 195 attempts of 165 tests in .*medic\.db/);
    expect(result.stderr).not.toMatch(/medic:/);
  });

  it('stores every attempt exactly once, as many as Playwright reported', () => {
    const json = JSON.parse(readFileSync(join(project.dir, 'results.json'), 'utf8')) as JsonReport;
    const reported = json.suites.reduce((n, s) => n + countResults(s), 0);
    expect(attempts).toHaveLength(reported);
    expect(attempts).toHaveLength(195);
    const keys = attempts.map((a) => `${a.testId}#${a.retry}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(attempts.map((a) => a.runId)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.parallelIndex))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('has the right statuses, outcome and category for every test', () => {
    const byTest = new Map<string, AttemptRecord[]>();
    for (const a of attempts) byTest.set(a.testKey, [...(byTest.get(a.testKey) ?? []), a]);
    expect([...byTest.keys()].sort()).toEqual([...manifest.keys()].sort());
    for (const [key, expected] of manifest) {
      const tries = byTest.get(key)!.sort((a, b) => a.retry - b.retry);
      expect({ key, statuses: tries.map((a) => a.status) }).toEqual({ key, statuses: expected.statuses });
      expect({ key, outcome: tries.at(-1)!.outcome }).toEqual({ key, outcome: expected.outcome });
      expect({ key, category: tries[0]!.error?.category ?? null }).toEqual({ key, category: expected.category });
    }
  });

  it('gives the same failure the same signature, and failures in different code different ones', () => {
    const signatures = (file: string) => new Set(attempts.filter((a) => a.file === file && a.error).map((a) => a.error!.signature));
    expect(signatures('flaky.spec.ts').size).toBe(1);
    expect(signatures('timeout.spec.ts').size).toBe(1);
    const failing = signatures('fail.spec.ts');
    expect([...failing].some((s) => signatures('flaky.spec.ts').has(s))).toBe(false);
  });

  it('learns failure patterns: each cause one pattern of one file, and a retry that passed as a known fix', () => {
    const failing = attempts.filter((a) => a.error && a.status !== a.expectedStatus); // test.fail() failing is as expected
    expect(patterns.reduce((n, p) => n + p.count, 0)).toBe(failing.length);
    for (const p of patterns) {
      // The tests of one spec file share one cause here; no pattern mixes two.
      expect({ id: p.id, files: new Set(p.tests.map((t) => t.split(' › ')[1])).size }).toEqual({ id: p.id, files: 1 });
    }
    const files = new Set(failing.map((a) => a.file));
    expect(new Set(patterns.map((p) => p.tests[0]!.split(' › ')[1])).size).toBe(files.size);
    const flaky = patterns.find((p) => p.tests[0]!.includes('flaky.spec.ts'))!;
    expect(flaky.knownFixes).toEqual([expect.objectContaining({ strategy: 'retry', successes: 10, tries: 10 })]);
    expect(result.stdout).toMatch(new RegExp(`failure patterns: ${patterns.length} new · 0 recurring`));
  });

  it("records each test's steps and the locators it used, and learns a success pattern per feature", () => {
    const pass = attempts.find((a) => a.testKey.endsWith('pass #3'))!;
    expect(pass).toMatchObject({ steps: ['expect toBe'], locators: [] });
    const browser = attempts.find((a) => a.testKey.endsWith('browser #1'))!;
    expect(browser).toMatchObject({ steps: ['set content', 'click'], locators: ["page.getByRole('button', { name: 'Save' })"] });
    const byFeature = new Map(successes.map((p) => [p.feature, p]));
    expect([...byFeature.keys()].sort()).toEqual(['browser.spec.ts › browser', 'expected-fail.spec.ts › expected-fail', 'fail.spec.ts › fail', 'flaky.spec.ts › flaky', 'pass.spec.ts › pass', 'timeout.spec.ts › timeout']);
    expect(byFeature.get('pass.spec.ts › pass')).toMatchObject({ passes: 100, failures: 0, sequences: [{ steps: ['expect toBe'], count: 100 }], assertions: [{ value: 'toBe', count: 100 }] });
    expect(byFeature.get('browser.spec.ts › browser')).toMatchObject({ passes: 5, failures: 5, locators: [{ value: "page.getByRole('button', { name: 'Save' })", count: 5 }] });
    expect(byFeature.get('flaky.spec.ts › flaky')).toMatchObject({ passes: 10, failures: 0 });
  });

  it('records every retry of a failed attempt in the strategy tracker, a success when it passed', () => {
    const retried = attempts.filter((a) => a.retry > 0 && attempts.find((b) => b.testId === a.testId && b.retry === a.retry - 1)?.error);
    expect(retried.length).toBeGreaterThan(10);
    expect(executions.filter((e) => e.strategy === 'retry')).toHaveLength(retried.length);
    expect(executions.filter((e) => e.success)).toHaveLength(retried.filter((a) => a.status === a.expectedStatus).length);
    const flakyRetries = executions.filter((e) => e.success && e.taskType === patterns.find((p) => p.tests[0]!.includes('flaky.spec.ts'))!.category);
    expect(flakyRetries.length).toBeGreaterThanOrEqual(10);
  });

  it('keeps the details: location, worker, annotations, run metadata', async () => {
    const skipped = attempts.find((a) => a.testKey.endsWith('skip #1'))!;
    expect(skipped.annotations).toEqual([{ type: 'skip', description: 'not on this platform' }]);
    const timedOut = attempts.find((a) => a.status === 'timedOut')!;
    expect(timedOut.error!.message).toMatch(/Test timeout of 400ms exceeded/);
    expect(timedOut.file).toBe('timeout.spec.ts');
    expect(timedOut.line).toBeGreaterThan(2);
    const store = openSqliteStore({ path: join(project.dir, '.medic', 'medic.db') });
    const [run] = await store.listRuns();
    await store.close();
    expect(run).toMatchObject({ status: 'failed', workers: 4, plannedTests: 165, shard: null });
    expect(run!.playwrightVersion).toMatch(/^1\.\d+/);
    expect(Date.parse(run!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(run!.startedAt));
  });

  it('warns once and completes the run when the store is unusable', async () => {
    // Many records (110 tests, 10 of them failing as expected), no browser and no unexpected
    // failure (each would start a new worker): one warning for all of them.
    const { 'playwright.config.ts': config, 'pass.spec.ts': pass, 'expected-fail.spec.ts': expectedFail } = files;
    const broken = writeInlineProject({ 'playwright.config.ts': config!, 'pass.spec.ts': pass!, 'expected-fail.spec.ts': expectedFail! });
    try {
      mkdirSync(join(broken.dir, '.medic', 'medic.db'), { recursive: true });
      const run = await broken.run();
      expect(run.code).toBe(0);
      expect(run.stderr.match(/medic:/g)).toHaveLength(1);
      expect(run.stderr).toMatch(/medic: the knowledge store is unusable; this run goes on without recording\.\n.*is a directory/);
      const json = JSON.parse(readFileSync(join(broken.dir, 'results.json'), 'utf8')) as JsonReport;
      expect(json.suites.reduce((n, s) => n + countResults(s), 0)).toBe(110);
    } finally {
      broken.remove();
    }
  }, 240_000);
});

describe('reporter edge cases', () => {
  it('records nothing for `playwright test --list`', async () => {
    const listed = writeInlineProject(files);
    try {
      const run = await listed.run(['--list']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Total: 165 tests in 7 files/);
      expect(run.stdout + run.stderr).not.toMatch(/medic:/);
      expect(existsSync(join(listed.dir, '.medic', 'medic.db'))).toBe(false);
    } finally {
      listed.remove();
    }
  });

  it('keeps the other records and warns once when single writes fail (store locked too long)', async () => {
    // Test "b" takes an exclusive lock once a is stored, and test "c" keeps it for 1.5 s, so
    // the reporter's write of b's attempt times out (busyTimeoutMs 100) while a and c are kept.
    const betterSqlite = join(repoRoot, 'node_modules', 'better-sqlite3', 'lib', 'index.js');
    // The generated specs pass trivially on purpose: what is asserted is how their attempts are recorded.
    const locked = writeInlineProject({
      'playwright.config.ts': `
        import { defineConfig } from '@playwright/test';
        import { defineMedicConfig } from 'playwright-medic';
        const medic = defineMedicConfig({ store: { busyTimeoutMs: 100 } });
        export default defineConfig({ workers: 1, reporter: [['line'], ['playwright-medic/reporter', medic]], use: { medic } });`,
      'a.spec.ts': `
        import { test, expect } from 'playwright-medic';
        import { join } from 'node:path';
        const Database = require(${JSON.stringify(betterSqlite)}); // the project is CommonJS
        let db: any;
        test.describe.configure({ mode: 'serial' });
        test('a', () => expect(1).toBe(1));
        test('b', async () => {
          // wait until the reporter has created the store and stored a (the worker may get
          // here before the runner handled a's end), then lock the store
          for (;;) {
            try {
              db ??= new Database(join(process.cwd(), '.medic', 'medic.db'), { fileMustExist: true });
              if (db.prepare('SELECT count(*) AS n FROM attempts').get().n >= 1) break;
            } catch {}
            await new Promise((r) => setTimeout(r, 20));
          }
          db.exec('BEGIN EXCLUSIVE');
        });
        test('c', async () => {
          await new Promise((r) => setTimeout(r, 1500)); // b's attempt is being written now, and times out
          db.exec('COMMIT');
          db.close();
        });`,
    });
    try {
      const run = await locked.run();
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stderr.match(/medic:/g)).toHaveLength(1);
      const warning = /medic: (\d+) of (\d+) records of this run could not be written to .*; the rest were kept\.\n.*stayed locked by another process/.exec(run.stderr);
      expect(warning, run.stderr).not.toBeNull();
      const store = openSqliteStore({ path: join(locked.dir, '.medic', 'medic.db') });
      const kept = await store.listAttempts();
      const [finished] = await store.listRuns();
      await store.close();
      expect(kept.map((a) => a.title)).not.toContain('b');
      expect(kept.map((a) => a.title)).toContain('c');
      expect(Number(warning![2]) - Number(warning![1])).toBe(kept.length + 1); // attempts + the run's end
      expect(finished!.status).toBe('passed');
    } finally {
      locked.remove();
    }
  }, 120_000);

  it('records errors outside tests on the run, even when no test ran', async () => {
    const broken = writeInlineProject({
      'playwright.config.ts': `
        import { defineConfig } from '@playwright/test';
        import { defineMedicConfig } from 'playwright-medic';
        export default defineConfig({ reporter: [['line'], ['playwright-medic/reporter', defineMedicConfig({})]] });`,
      'a.spec.ts': `
        import { test } from 'playwright-medic';
        throw new Error('the fixtures file is missing');
        test('never', () => {});`,
    });
    try {
      const run = await broken.run();
      expect(run.code).toBe(1);
      const store = openSqliteStore({ path: join(broken.dir, '.medic', 'medic.db') });
      const [recorded] = await store.listRuns();
      expect(await store.listAttempts()).toEqual([]);
      await store.close();
      expect(recorded!.status).toBe('failed');
      expect(recorded!.errors.map((e) => e.message)).toEqual([expect.stringMatching(/the fixtures file is missing/), 'Error: No tests found']);
      expect(run.stdout).toMatch(/medic: recorded 0 attempts of 0 tests .*\n.*\n {2}2 errors outside tests/);
    } finally {
      broken.remove();
    }
  });
});
