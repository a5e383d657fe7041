// `npm run bench:report`: how long the learning report takes to build, how big it is, and how
// long real Chromium takes to open it (until every section is drawn), for a suite of
// --tests tests (default 10,000) over --runs runs (default 100), against the demo-sized report
// (25 tests, 2 runs) opened in the same command. Target: the large report opens in under 2 s.
// The records are generated (seeded): failures, flaky tests, heals, patterns, catalog, predictions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../src/browser/chromium.js';
import { buildReportData, type ReportInput } from '../src/report/build.js';
import { reportHtml } from '../src/report/html.js';
import type { AttemptRecord, RunRecord } from '../src/store/records.js';
import type { HealEvent } from '../src/learning/heals.js';
import type { FailurePattern } from '../src/learning/failurePatterns.js';
import type { SelectorRecord } from '../src/learning/catalog.js';
import type { RiskPrediction } from '../src/risk/predictions.js';
import type { StrategyExecution } from '../src/learning/strategies.js';
import { optionFrom } from './args.js';

const argv = process.argv.slice(2);
const TESTS = Number(optionFrom(argv, 'tests') ?? 10_000);
const RUNS = Number(optionFrom(argv, 'runs') ?? 100);
const REPEAT = Number(optionFrom(argv, 'repeat') ?? 3);

/** A small seeded generator (mulberry32): the same records every time. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(tests: number, runs: number): ReportInput {
  const rand = random(7);
  const start = Date.UTC(2026, 9, 1);
  const iso = (ms: number) => new Date(ms).toISOString();
  const runRecords: RunRecord[] = Array.from({ length: runs }, (_, i) => ({
    id: `run-${String(i).padStart(4, '0')}`,
    project: 'bench',
    startedAt: iso(start + i * 3_600_000),
    endedAt: iso(start + i * 3_600_000 + 900_000),
    status: 'failed',
    gitSha: `sha${i}`,
    gitBranch: 'main',
    playwrightVersion: '1.65.1',
    shard: null,
    workers: 4,
    configFile: null,
    plannedTests: tests,
    errors: [],
  }));
  const info = Array.from({ length: tests }, (_, t) => {
    const file = `features/area-${t % 120}/flow-${t % 37}.spec.ts`;
    const title = `scenario ${t} checks the ${['cart', 'checkout', 'search', 'profile', 'orders'][t % 5]} flow`;
    return { key: `chromium › ${file} › flows › ${title}`, id: `id-${t}`, file, title, titlePath: ['flows', title], fail: rand() < 0.05 ? 0.3 : 0.01, flaky: rand() < 0.03 };
  });
  const attempts: AttemptRecord[] = [];
  const error = { message: 'Error: expect(locator).toHaveText(expected) failed\nExpected: "3"\nReceived: "2"', stack: null, category: 'assertion', signature: 'sig', count: 1 };
  const empty: never[] = [];
  for (const run of runRecords) {
    for (const t of info) {
      const base = {
        runId: run.id, testKey: t.key, testId: t.id, title: t.title, titlePath: t.titlePath, projectName: 'chromium', file: t.file, line: 3, column: 5,
        retry: 0, status: 'passed' as const, expectedStatus: 'passed' as const, outcome: 'expected' as const, startedAt: run.startedAt, durationMs: 800 + Math.round(rand() * 4000),
        workerIndex: 0, parallelIndex: 0, error: null, annotations: empty, tags: empty, steps: empty, locators: empty,
      };
      const roll = rand();
      if (roll < t.fail) {
        attempts.push({ ...base, status: 'failed', outcome: 'unexpected', error: { ...error, signature: `sig-${t.key.length % 300}` } });
      } else if (t.flaky && roll < t.fail + 0.2) {
        attempts.push({ ...base, status: 'failed', outcome: 'unexpected', error }, { ...base, retry: 1, outcome: 'flaky' });
      } else attempts.push(base);
    }
  }
  const last = runRecords.at(-1)!;
  const heals: HealEvent[] = info.slice(0, 300).map((t, i) => ({
    id: `${t.id}#0#${i}`, pageKey: `/area/${i % 40}`, step: 'click', from: { selector: `#old-${i}`, code: `locator('#old-${i}')` }, to: { selector: `internal:testid=[data-testid="new-${i}"s]`, code: `getByTestId('new-${i}')` },
    strategy: i % 3 ? 'relocate' : 'known_fix', category: 'selector_missing', outcome: i % 17 ? 'healed' : 'abstained', confidence: 0.6 + (i % 40) / 100, margin: 0.3,
    explanation: [{ attribute: 'text', similarity: 1, weight: 0.4, contribution: 0.4 }, { attribute: 'xpath', similarity: 0.5, weight: 0.2, contribution: 0.1 }],
    reason: 'same text and test id', durationMs: 40, at: last.startedAt, project: 'bench', runId: last.id, testKey: t.key, testId: t.id, retry: 0, review: 'pending',
  }));
  const patterns: FailurePattern[] = Array.from({ length: 300 }, (_, i) => ({
    id: `fp-${i}`, project: 'bench', category: ['assertion', 'timeout', 'selector_missing'][i % 3]!, signatures: [`sig-${i}`], count: 5 + i, firstSeen: runRecords[i % runs]!.startedAt, lastSeen: last.startedAt,
    runs: runRecords.slice(-20).map((r) => r.id), tests: info.slice(i, i + 30).map((t) => t.key), features: [], examples: [error.message], knownFixes: [],
  }));
  const selectors: SelectorRecord[] = Array.from({ length: tests * 2 }, (_, i) => ({
    selector: `#el-${i}`, code: `locator('#el-${i}')`, project: 'bench', pageKey: `/area/${i % 200}`, fingerprint: null, confidence: rand(), timesUsed: 40, failureCount: i % 13 ? 0 : 3,
    lastWorking: iso(start + (i % runs) * 3_600_000), lastSeen: last.startedAt, alternatives: [],
  }));
  const predictions: RiskPrediction[] = [];
  for (const run of runRecords) {
    const outcomes = new Map(attempts.filter((a) => a.runId === run.id).map((a) => [a.testKey, a.outcome]));
    for (const t of info) {
      const o = outcomes.get(t.key);
      const failed = o === 'unexpected' || o === 'flaky';
      predictions.push({ project: 'bench', runId: run.id, testKey: t.key, at: run.startedAt, model: 'logistic', score: Math.min(1, (failed ? 0.3 : 0) + rand() * 0.7), factors: { recentFailures: rand(), churn: rand() }, outcome: failed ? 'failed' : 'passed' });
    }
  }
  const executions: StrategyExecution[] = heals.map((h) => ({ project: 'bench', runId: h.runId, strategy: h.strategy, taskType: 'selector_missing', complexity: 'simple', success: h.outcome === 'healed', durationMs: 40, costUsd: 0, at: h.at }));
  return { project: 'bench', store: 'generated', now: new Date(last.endedAt!), runs: runRecords, attempts, heals, patterns, selectors, predictions, executions, reviewId: (h) => h.id.slice(0, 8) };
}

/** The page's own time from its script's start to every section drawn, per opening. */
let renders: number[] = [];

async function openTimes(browser: Browser, file: string): Promise<number[]> {
  const times: number[] = [];
  renders = [];
  for (let i = 0; i < REPEAT; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const started = performance.now();
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', undefined, { timeout: 60_000 });
    // Until the sections are laid out and painted, not only built.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    times.push(performance.now() - started);
    renders.push(Number(await page.evaluate(() => document.documentElement.dataset.renderMs)));
    if (i === 0) console.log(`  page timings (ms): ${await page.evaluate(() => document.documentElement.dataset.timings)}`);
    if (errors.length || (await page.evaluate(() => document.documentElement.dataset.error))) throw new Error(`the report did not open cleanly: ${errors.join('; ')}`);
    await page.close();
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const dir = mkdtempSync(join(tmpdir(), 'medic-bench-report-'));
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const results = [];
  for (const [tests, runs] of [[25, 2], [TESTS, RUNS]] as const) {
    const input = generate(tests, runs);
    const t0 = performance.now();
    const data = buildReportData(input);
    const t1 = performance.now();
    const html = reportHtml(data);
    const t2 = performance.now();
    const file = join(dir, `report-${tests}x${runs}.html`);
    writeFileSync(file, html);
    const open = median(await openTimes(browser, file));
    results.push({ tests, runs, attempts: input.attempts.length, buildMs: t1 - t0, writeMs: t2 - t1, kb: Buffer.byteLength(html) / 1024, openMs: open });
    console.log(`${tests} tests × ${runs} runs (${input.attempts.length} attempts): build ${(t1 - t0).toFixed(0)} ms, html ${(t2 - t1).toFixed(0)} ms, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, opens in ${open.toFixed(0)} ms (median of ${REPEAT}; the page's own script ${median(renders).toFixed(0)} ms of it)`);
  }
  const [small, large] = results;
  console.log(`report: tests=${large!.tests} runs=${large!.runs} open_ms=${large!.openMs.toFixed(0)} target_ms=2000 ${large!.openMs < 2000 ? 'met' : 'NOT met'} | small_open_ms=${small!.openMs.toFixed(0)} ratio=${(large!.openMs / small!.openMs).toFixed(2)} | build_ms=${large!.buildMs.toFixed(0)} kb=${large!.kb.toFixed(0)}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
