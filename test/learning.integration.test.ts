// The learning acceptance: a replayed history of real Playwright runs against the demo shop with
// injected faults (test/helpers/replayHistory.ts), on the embedded defaults (SQLite, the hashing
// embedder, the local index), then what the store learned, checked against the injected labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex, inversePurity, purity } from '../src/learning/clusterQuality.js';
import { assessFlakiness, type TestFlakiness } from '../src/learning/flakiness.js';
import type { FailurePattern } from '../src/learning/failurePatterns.js';
import { loadHistory } from '../src/learning/history.js';
import { suggestFixStrategy } from '../src/learning/patternLearner.js';
import type { SqliteStore } from '../src/store/sqlite.js';
import { openSqliteStore } from '../src/store/sqliteOpen.js';
import { hashingEmbedder } from '../src/vector/embedder.js';
import { localIndex } from '../src/vector/localIndex.js';
import { FAULTS, faultOf, labelledFailures, REPLAY_RUNS, REPLAY_TESTS, replayHistory, type Fault, type LabelledFailure, type ReplayedRun } from './helpers/replayHistory.js';
import type { InlineProject } from './helpers/inlineProject.js';

/** The heal each changed selector needs (e2e/apps/CHANGES.md). */
const HEALED_TO: Partial<Record<Fault, string>> = {
  'selector:clear-filters': "page.getByRole('button', { name: 'Reset filters' })",
  'selector:cart-badge': "page.getByTestId('bag-count')",
  'selector:signin-heading': "page.getByRole('heading', { name: 'Log in' })",
};

describe(`learning from a replayed history (${REPLAY_RUNS.length} real runs of the demo shop with injected faults)`, () => {
  let project: InlineProject;
  let runs: ReplayedRun[];
  let store: SqliteStore;
  let failures: LabelledFailure[];
  let patterns: Map<string, FailurePattern>;
  /** The patterns each fault's failures joined. */
  const patternsOf = (fault: Fault) => new Set(failures.filter((f) => f.fault === fault).map((f) => f.pattern));

  beforeAll(async () => {
    ({ project, runs } = await replayHistory());
    store = openSqliteStore({ path: `${project.dir}/.medic/medic.db`, readonly: true });
    failures = await labelledFailures(store);
    patterns = new Map((await store.listFailurePatterns({ project: 'shop' })).map((p) => [p.id, p]));
  }, 600_000);
  afterAll(async () => {
    await store?.close();
    project?.remove();
  });

  it('ran every run, and tests failed only where a fault was injected, every fault failing some', () => {
    // A run fails when a fault reaches a test's last attempt (a flaky one passes on retry).
    const failing = (r: ReplayedRun) => REPLAY_TESTS.some((t) => faultOf(t.file, t.title, r.run, 1));
    expect(runs.map((r) => ({ run: r.index, code: r.code }))).toEqual(runs.map((r) => ({ run: r.index, code: failing(r) ? 1 : 0 })));
    expect(runs.flatMap((r) => r.stderr.split('\n').filter((line) => line.includes('medic:')))).toEqual([]);
    expect(failures.filter((f) => !f.fault).map((f) => `${f.run}: ${f.attempt.title}: ${f.attempt.error?.message.split('\n')[0]}`)).toEqual([]);
    expect(new Set(failures.map((f) => f.fault))).toEqual(new Set(FAULTS));
  });

  it('puts each root cause in one pattern across runs and tests, and no pattern mixes two causes', () => {
    const items = failures.map((f) => ({ cluster: f.pattern ?? 'none', label: f.fault! }));
    const figures = { failures: items.length, patterns: patterns.size, purity: purity(items), inversePurity: inversePurity(items), ari: adjustedRandIndex(items) };
    console.log(`learning acceptance: ${JSON.stringify(figures)}`);
    expect(failures.filter((f) => !f.pattern)).toEqual([]);
    expect(figures.purity).toBeGreaterThanOrEqual(0.9);
    for (const id of patterns.keys()) expect({ id, faults: new Set(failures.filter((f) => f.pattern === id).map((f) => f.fault)).size }).toEqual({ id, faults: 1 });
    for (const fault of FAULTS) expect({ fault, patterns: patternsOf(fault).size }).toEqual({ fault, patterns: 1 });
    // Across tests too: the faults that reach several tests did.
    for (const fault of ['flaky:slow-script', 'selector:clear-filters', 'selector:cart-badge', 'endpoint:cart-500'] as const) {
      expect({ fault, tests: new Set(failures.filter((f) => f.fault === fault).map((f) => f.attempt.testKey)).size }).toEqual({ fault, tests: 2 });
    }
  });

  it('learns the heal as the known fix of each changed selector, and the retry as the fix of the flaky one', () => {
    for (const [fault, to] of Object.entries(HEALED_TO)) {
      const [id] = patternsOf(fault as Fault);
      const fixes = patterns.get(id!)!.knownFixes.filter((k) => k.successes > 0);
      expect({ fault, fixes: fixes.map((k) => k.to) }).toEqual({ fault, fixes: expect.arrayContaining([to]) });
      expect(fixes.every((k) => k.to === to && k.strategy !== 'retry')).toBe(true);
    }
    const [flaky] = patternsOf('flaky:slow-script');
    expect(patterns.get(flaky!)!.knownFixes.map((k) => [k.strategy, k.successes === k.tries])).toEqual([['retry', true]]);
    // A regression and a broken endpoint: nothing has fixed them, and no heal hid them.
    for (const fault of ['regression:in-stock', 'endpoint:cart-500'] as const) expect(patterns.get([...patternsOf(fault)][0]!)!.knownFixes).toEqual([]);
  });

  it('separates the flaky tests from the broken ones, and a changed element from both', async () => {
    const { runs: records, attempts, changed } = await loadHistory(store, { project: 'shop', runs: 20 });
    const byTitle = new Map<string, TestFlakiness>(assessFlakiness(records, attempts, {}, changed).map((t) => [t.title, t]));
    expect(Object.fromEntries([...byTitle].map(([title, t]) => [title, t.state]))).toEqual({
      'lists every product': 'flaky',
      'finds the lamp': 'flaky',
      'counts the in-stock products': 'broken',
      'opens the cart': 'broken',
      'the badge counts the cart': 'broken',
      // Failed once, in suggest mode, on the v2 deploy's changed selectors, healed since: not flaky.
      'clear filters shows everything again': 'stable',
      'clear filters resets the search': 'stable',
      'the badge shows on the product list': 'stable',
      'the sign-in page has its title': 'stable',
      'shows a product': 'stable',
      'keeps the query in the URL': 'stable',
    });
    for (const title of ['lists every product', 'finds the lamp']) expect({ title, quarantine: byTitle.get(title)!.quarantine }).toEqual({ title, quarantine: true });
    expect(byTitle.get('clear filters resets the search')!.history).toEqual(['pass', 'changed', 'pass', 'pass', 'pass']);
  });

  it('suggestFixStrategy gives the known fix for a failure it has seen, and an honest analysis for one it has not', async () => {
    const embedder = hashingEmbedder();
    const deps = { store, embedder, index: localIndex(store, 'failures', embedder) };
    for (const [fault, to] of Object.entries(HEALED_TO)) {
      const failure = failures.find((f) => f.fault === fault)!;
      const { message, stack } = failure.attempt.error!;
      const s = await suggestFixStrategy(deps, 'shop', { message, ...(stack ? { stack } : {}) });
      expect({ fault, to: s.fix?.to, similarity: s.similarity }).toEqual({ fault, to, similarity: 1 });
      expect(s.confidence).toBeGreaterThan(0.5);
    }
    // A new test failing on a known changed selector (same message, another spec): found by likeness.
    const badge = failures.find((f) => f.fault === 'selector:cart-badge')!.attempt.error!;
    const elsewhere = await suggestFixStrategy(deps, 'shop', { message: badge.message, stack: (badge.stack ?? '').replaceAll('.spec.ts', '-new.spec.ts') });
    expect([...patterns.values()].some((p) => p.signatures.includes(elsewhere.signature))).toBe(false);
    expect({ pattern: elsewhere.pattern?.id, to: elsewhere.fix?.to }).toEqual({ pattern: [...patternsOf('selector:cart-badge')][0], to: HEALED_TO['selector:cart-badge'] });
    expect(elsewhere.similarity).toBeGreaterThanOrEqual(0.9);
    const flaky = failures.find((f) => f.fault === 'flaky:slow-script')!.attempt.error!;
    const retry = await suggestFixStrategy(deps, 'shop', { message: flaky.message, ...(flaky.stack ? { stack: flaky.stack } : {}) });
    expect({ strategy: retry.fix?.strategy, applyFirst: retry.applyFirst }).toEqual({ strategy: 'retry', applyFirst: true });
    const unseen = await suggestFixStrategy(deps, 'shop', { message: "TimeoutError: locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for getByRole('link', { name: 'Gift cards' })" });
    expect({ pattern: unseen.pattern, fix: unseen.fix, confidence: unseen.confidence, applyFirst: unseen.applyFirst }).toEqual({ pattern: undefined, fix: undefined, confidence: 0, applyFirst: false });
    expect(unseen.analysis).toMatch(/new selector_missing failure/);
  });
});
