// `npm run bench:risk [-- --runs 40 --seed 7]`: how well risk scoring predicts failures. The
// demo suite's 25 real tests are replayed over many runs in a real git repository with injected
// causes (bench/risk-history.ts); before each run the real predictor (`predictRisk`) scores
// every test from git and a real SQLite store, then the run is recorded and learned as the
// reporter would. Printed: ROC AUC of the risk score on the runs after the warm-up, against the
// baselines "last run's outcome" and "failure rate so far", precision/recall of the top 5, APFD
// of the risk-first order against file order, calibration; then the global setup's own time on
// a store of 1,000 tests × 100 runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullConfig } from '@playwright/test';
import { resolveMedicConfig } from '../src/config/index.js';
import { learnRun } from '../src/learning/learnRun.js';
import { apfd, atTopK, calibration, rocAuc, type Judged } from '../src/risk/accuracy.js';
import { scoreSuite } from '../src/risk/globalSetup.js';
import { localImports } from '../src/risk/imports.js';
import { parseListing } from '../src/risk/listSuite.js';
import { judgePredictions } from '../src/risk/judge.js';
import { predictRisk } from '../src/risk/predict.js';
import { loadRiskModel, refitRiskModel } from '../src/risk/learnModel.js';
import type { RiskModel } from '../src/risk/model.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import type { AttemptRecord } from '../src/store/records.js';
import type { KnowledgeStore } from '../src/store/KnowledgeStore.js';
import { makeAttempt, makeRun } from '../src/store/contract.testkit.js';
import { signError } from '../src/learning/signature.js';
import { optionFrom } from './args.js';
import { CAUSES, pagesOfFeature, replayHistory, type Outcome, type SuiteTest } from './risk-history.js';
import { percentile } from './evaluate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(optionFrom(process.argv, 'runs') ?? 40);
const SEEDS = (optionFrom(process.argv, 'seeds') ?? '1,2,3').split(',').map(Number);
if (SEEDS.some((n) => !Number.isInteger(n))) throw new Error('--seeds takes whole numbers separated by commas, e.g. --seeds 1,2,3');
const WARMUP = 10;
const TOP_K = 5;
const project = 'shop';
const hour = 3_600_000;
const t0 = Date.parse('2026-11-01T08:00:00.000Z');

/** The demo suite's tests as Playwright lists them (`--list --reporter=json`, keyed as the reporter keys them), with their page objects and app pages. */
function demoTests(): SuiteTest[] {
  const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
  const listed = spawnSync(process.execPath, [cli, 'test', '--list', '--reporter=json'], { cwd: root, encoding: 'utf8', maxBuffer: 32 << 20 });
  if (listed.status !== 0) throw new Error(`playwright test --list failed:\n${listed.stderr}`);
  const cache = new Map<string, string[]>();
  return parseListing(JSON.parse(listed.stdout)).tests.map((t) => ({
    ...t,
    pages: localImports(join(root, 'e2e', 'demo'), t.file, cache),
    app: pagesOfFeature(t.titlePath.length > 1 ? t.titlePath[0]! : ''),
  }));
}

/** A test's locators, one on each app page it opens, with the catalog's page key of that page. */
function locatorsOf(t: SuiteTest): Array<{ code: string; pageKey: string }> {
  const slug = t.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return t.app.map((page) => ({ code: `getByTestId('${slug}-${page.replace('.html', '')}')`, pageKey: page === 'index.html' ? '/' : `/${page.replace('.html', '')}` }));
}

/** The attempts of one test in one run as the reporter records them (one retry, as on CI). */
function attemptsOf(runId: string, t: SuiteTest, outcome: Outcome, at: number): AttemptRecord[] {
  const base = { runId, testKey: t.testKey, testId: t.testKey, title: t.title, titlePath: t.titlePath, projectName: t.projectName, file: t.file, startedAt: new Date(at).toISOString(), locators: locatorsOf(t).map((l) => l.code) };
  // What Playwright says of the test's first locator, whatever the cause: the predictor must not read the cause in it.
  const error = () => {
    const message = `Error: expect(locator).toBeVisible() failed\n\nLocator: ${locatorsOf(t)[0]!.code}\nExpected: visible\nTimeout: 5000ms`;
    return { message, stack: null, ...signError({ message, stack: null }), count: 1 };
  };
  if (outcome === 'passed') return [makeAttempt({ ...base, status: 'passed', outcome: 'expected' })];
  if (outcome === 'flaky') return [makeAttempt({ ...base, status: 'failed', outcome: 'unexpected', error: error() }), makeAttempt({ ...base, retry: 1, status: 'passed', outcome: 'flaky' })];
  return [0, 1].map((retry) => makeAttempt({ ...base, retry, status: 'failed', outcome: 'unexpected', error: error() }));
}

async function replay(tests: SuiteTest[], dir: string, seed: number) {
  const history = replayHistory(root, dir, tests, seed);
  const store = openSqliteStore({ path: `${dir}.medic.db` }); // outside the repository, as .medic/ is git-ignored
  const config = resolveMedicConfig({ project });
  const judged = { model: [] as Judged[], lastRun: [] as Judged[], rate: [] as Judged[], ceiling: [] as Judged[] };
  const factors = new Map<string, Judged[]>();
  const orders = { risk: [] as number[], file: [] as number[] };
  const predictMs: number[] = [];
  const byCause = new Map<string, { failures: number; inTop: number }>();
  const past = new Map<string, boolean[]>();
  let model: RiskModel = await loadRiskModel(store, project);
  const refits: string[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const { outcomes, exposure } = history.next();
      const at = t0 + run * hour;
      const runId = `run-${String(run).padStart(3, '0')}`;
      const failedNow = (key: string) => outcomes.get(key)!.outcome !== 'passed';
      let predictions;
      if (run > WARMUP) {
        const started = performance.now();
        const report = await predictRisk(store, { project, rootDir: join(dir, 'e2e', 'demo'), listed: tests, playwrightVersion: '1.65.1', now: new Date(at), model });
        predictMs.push(performance.now() - started);
        predictions = report;
        const top = new Set(report.tests.slice(0, TOP_K).map((t) => t.testKey));
        const scored = new Map(report.tests.map((t) => [t.testKey, t]));
        // In file order, so that ties of the baselines (many 0s and 1s) are not broken by the risk order.
        for (const { testKey } of tests) {
          const t = scored.get(testKey)!;
          const failed = failedNow(t.testKey);
          judged.model.push({ score: t.score, failed });
          for (const [f, v] of Object.entries(t.factors)) factors.set(f, [...(factors.get(f) ?? []), { score: v, failed }]);
          const seen = past.get(t.testKey) ?? [];
          judged.lastRun.push({ score: seen.at(-1) ? 1 : 0, failed });
          judged.rate.push({ score: seen.length ? seen.filter(Boolean).length / seen.length : 0, failed });
          judged.ceiling.push({ score: exposure.get(t.testKey)!, failed });
          const cause = outcomes.get(t.testKey)!.cause;
          if (cause) {
            const kind = cause.replace(/ \S+$/, '').replace(/^(app change|page object|spec)$/, '$1');
            const c = byCause.get(kind) ?? { failures: 0, inTop: 0 };
            c.failures++;
            if (top.has(t.testKey)) c.inTop++;
            byCause.set(kind, c);
          }
        }
        const failing = new Set(tests.filter((t) => failedNow(t.testKey)).map((t) => t.testKey));
        const riskFirst = apfd(report.tests.map((t) => t.testKey), failing);
        const fileOrder = apfd(tests.map((t) => t.testKey), failing);
        if (riskFirst !== undefined && fileOrder !== undefined) {
          orders.risk.push(riskFirst);
          orders.file.push(fileOrder);
        }
      }
      await record(store, runId, history.head(), tests, outcomes, at);
      if (predictions) {
        await store.recordPredictions(judgePredictions(predictions, await store.listAttempts({ runId }), runId));
        // What the reporter does after each run: refit on the stored predictions, keep the better model.
        const refit = await refitRiskModel(store, project, new Date(at));
        if (refit.replaced) refits.push(`run ${run}: ${refit.reason}`);
        model = await loadRiskModel(store, project); // what the next global setup reads
      }
      await learnRun(config, store, runId, (m) => console.warn(m));
      for (const t of tests) past.set(t.testKey, [...(past.get(t.testKey) ?? []), failedNow(t.testKey)]);
    }
  } finally {
    await store.close();
  }
  return { judged, factors, orders, predictMs, byCause, flaky: history.flaky, refits, model };
}

async function record(store: KnowledgeStore, runId: string, sha: string, tests: SuiteTest[], outcomes: Map<string, { outcome: Outcome; cause?: string }>, at: number) {
  await store.startRun(makeRun({ id: runId, project, startedAt: new Date(at).toISOString(), gitSha: sha, playwrightVersion: '1.65.1', plannedTests: tests.length, workers: 2, configFile: null }));
  const observations = [];
  for (const t of tests) {
    const o = outcomes.get(t.testKey)!;
    for (const a of attemptsOf(runId, t, o.outcome, at + 1000)) await store.recordAttempt(a);
    // What the fixture tells the catalog: its locators worked, or (a failed test) the first did not.
    for (const [i, l] of locatorsOf(t).entries()) {
      const outcome = o.outcome === 'failed' && i === 0 ? ('failed' as const) : ('worked' as const);
      observations.push({ selector: l.code, code: l.code, pageKey: l.pageKey, outcome, run: runId, at: new Date(at + 2000).toISOString() });
    }
  }
  await store.recordSelectors(project, observations);
  const failed = [...outcomes.values()].some((o) => o.outcome === 'failed');
  await store.finishRun(runId, { endedAt: new Date(at + 60_000).toISOString(), status: failed ? 'failed' : 'passed' });
}

/** The global setup (`scoreSuite`: open the store, predict, write risk.json, print) on 1,000 tests × 100 runs. */
async function setupTime(dir: string): Promise<{ ms: number[]; tests: number; runs: number }> {
  const tests = 1000;
  const runs = 100;
  const store = openSqliteStore({ path: join(dir, '.medic', 'medic.db') });
  const rand = (() => {
    let s = 1;
    return () => ((s = (s * 16807) % 2147483647) / 2147483647);
  })();
  try {
    for (let r = 1; r <= runs; r++) {
      const runId = `big-${r}`;
      const at = t0 + r * hour;
      await store.startRun(makeRun({ id: runId, project, startedAt: new Date(at).toISOString(), gitSha: null, plannedTests: tests, configFile: null }));
      for (let i = 0; i < tests; i++) {
        const file = `area${i % 50}.spec.ts`;
        const failed = rand() < 0.03;
        await store.recordAttempt(
          makeAttempt({ runId, testKey: `chromium › ${file} › t${i}`, testId: `t${i}`, title: `t${i}`, titlePath: [`t${i}`], file, status: failed ? 'failed' : 'passed', outcome: failed ? 'unexpected' : 'expected', startedAt: new Date(at + i).toISOString() }),
        );
      }
      await store.finishRun(runId, { endedAt: new Date(at + 60_000).toISOString(), status: 'passed' });
    }
  } finally {
    await store.close();
  }
  const medic = resolveMedicConfig({ project, quiet: true });
  const config = { rootDir: dir, configFile: join(dir, 'playwright.config.ts'), version: '1.65.1', reporter: [], projects: [] } as unknown as FullConfig;
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const report = await scoreSuite(config, medic, () => {});
    ms.push(performance.now() - started);
    if (report?.tests.length !== tests) throw new Error(`the global setup scored ${report?.tests.length} tests, expected ${tests}`);
  }
  return { ms, tests, runs };
}

const f2 = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(3));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-risk-'));
try {
  const tests = demoTests();
  console.log(`bench:risk: ${tests.length} demo tests, ${RUNS} replayed runs per seed (seeds ${SEEDS.join(', ')}), scored from run ${WARMUP + 1} on`);
  console.log(`causes per run: ${Object.entries(CAUSES).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const all = { judged: { model: [] as Judged[], lastRun: [] as Judged[], rate: [] as Judged[], ceiling: [] as Judged[] }, factors: new Map<string, Judged[]>(), risk: [] as number[], file: [] as number[], predictMs: [] as number[], byCause: new Map<string, { failures: number; inTop: number }>() };
  const aucs = { model: [] as number[], lastRun: [] as number[], rate: [] as number[] };
  for (const seed of SEEDS) {
    const r = await replay(tests, join(dir, `repo-${seed}`), seed);
    const [model, lastRun, rate] = [rocAuc(r.judged.model)!, rocAuc(r.judged.lastRun)!, rocAuc(r.judged.rate)!];
    aucs.model.push(model);
    aucs.lastRun.push(lastRun);
    aucs.rate.push(rate);
    const failures = r.judged.model.filter((j) => j.failed).length;
    console.log(
      `seed ${seed}: ${r.judged.model.length} predictions, ${failures} failed | ROC AUC: risk ${f2(model)}, last run's outcome ${f2(lastRun)}, failure rate so far ${f2(rate)}, ceiling (knows the causes) ${f2(rocAuc(r.judged.ceiling))}` +
        ` | APFD risk-first ${mean(r.orders.risk).toFixed(3)}, file order ${mean(r.orders.file).toFixed(3)} | model refits kept ${r.refits.length}, final ${r.model.kind}`,
    );
    for (const k of Object.keys(all.judged) as Array<keyof typeof all.judged>) all.judged[k].push(...r.judged[k]);
    for (const [f, items] of r.factors) all.factors.set(f, [...(all.factors.get(f) ?? []), ...items]);
    all.risk.push(...r.orders.risk);
    all.file.push(...r.orders.file);
    all.predictMs.push(...r.predictMs);
    for (const [c, v] of r.byCause) {
      const sum = all.byCause.get(c) ?? { failures: 0, inTop: 0 };
      all.byCause.set(c, { failures: sum.failures + v.failures, inTop: sum.inTop + v.inTop });
    }
  }
  console.log(`all seeds: each factor alone (ROC AUC): ${[...all.factors].map(([f, items]) => `${f} ${f2(rocAuc(items))}`).join(', ')}`);
  for (const [name, items] of Object.entries(all.judged)) {
    // Top K of each run, averaged.
    const perRun = Array.from({ length: items.length / tests.length }, (_, r) => atTopK(items.slice(r * tests.length, (r + 1) * tests.length), TOP_K));
    console.log(`  top ${TOP_K} per run (${name}): precision ${mean(perRun.map((p) => p.precision)).toFixed(3)}, recall ${mean(perRun.map((p) => p.recall)).toFixed(3)}`);
  }
  console.log(`  failures in the top ${TOP_K} by cause: ${[...all.byCause].map(([c, v]) => `${c} ${v.inTop}/${v.failures}`).join(', ')}`);
  console.log(`  calibration (score band: tests, mean score, failure rate): ${calibration(all.judged.model).filter((b) => b.tests).map((b) => `[${b.from.toFixed(1)},${b.to.toFixed(1)}) ${b.tests} ${b.predicted.toFixed(2)} ${b.observed.toFixed(2)}`).join(' | ')}`);
  console.log(`  predict time per run (${tests.length} tests, up to 20 runs read, git): median ${percentile(all.predictMs, 0.5).toFixed(0)} ms`);
  const setup = await setupTime(join(dir, 'big'));
  console.log(`global setup on ${setup.tests} known tests × ${setup.runs} runs (SQLite): median ${percentile(setup.ms, 0.5).toFixed(0)} ms, max ${Math.max(...setup.ms).toFixed(0)} ms (budget 1000 ms)`);
  const range = (xs: number[]) => `${mean(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)})`;
  console.log(
    `risk: auc=${range(aucs.model)} last_run_auc=${range(aucs.lastRun)} failure_rate_auc=${range(aucs.rate)} apfd=${mean(all.risk).toFixed(3)} file_order_apfd=${mean(all.file).toFixed(3)} setup_ms=${percentile(setup.ms, 0.5).toFixed(0)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
