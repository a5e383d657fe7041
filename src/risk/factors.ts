import type { RunResult } from '../learning/flakiness.js';

/** The factors of a test's risk, each in [0, 1]. */
export const RISK_FACTORS = ['recentFailures', 'unattended', 'failureRate', 'flakiness', 'churn', 'staleSelectors', 'similarFailures', 'dependencies', 'newTest'] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];
export type FactorValues = Record<RiskFactor, number>;

/** How many of a test's newest counted runs make its recent failure rate. */
export const RECENT_RUNS = 3;

/** What the store and git say about one test before a run (gathered by `predictRisk`). */
export type TestEvidence = {
  /** Oldest first: how the test ended in each counted run (see `runResults`); empty for a test never recorded. */
  history: readonly RunResult[];
  /** `assessFlakiness`' 0–1 score (0 with too little history). */
  flakiness: number;
  /** Its catalogued selectors, and those not verified working lately or losing confidence. */
  selectors: { total: number; stale: readonly string[] };
  /** Files linked to it (spec, imports, files history ties to its failures) changed since it last passed, and by how many authors; undefined: unknown (no git, or that commit is not here). */
  churn?: { files: readonly string[]; authors: number };
  /** When its last run failed: the linked files changed since that run (a fix, maybe); undefined when it passed or git cannot tell. */
  sinceFailure?: readonly string[];
  /** Lockfiles changed and Playwright's version change since it last passed (`playwright 1.64.0 → 1.65.1`). */
  dependencies: readonly string[];
  /** Recent failure patterns touching its feature or its selectors. */
  similarFailures: readonly string[];
};

/** The evidence of a test with no recorded run: its new-test factor is all it has. */
export const UNRECORDED: TestEvidence = { history: [], flakiness: 0, selectors: { total: 0, stale: [] }, dependencies: [], similarFailures: [] };

/** A run in which the test failed an attempt: what the score predicts (a pass on retry included). */
const failed = (r: RunResult) => r !== 'pass';
const failShare = (runs: readonly RunResult[]) => (runs.length ? runs.filter(failed).length / runs.length : 0);
/** Failures of the last runs, each run counting half as much as the one after it: the last run's outcome first, then the ones before. */
const decayedFailures = (runs: readonly RunResult[]) => {
  let sum = 0;
  let total = 0;
  runs.forEach((r, i) => {
    const weight = 2 ** (i - runs.length + 1);
    total += weight;
    if (failed(r)) sum += weight;
  });
  return total ? sum / total : 0;
};
/** 0 for none, ½ at `half`, approaching 1: a count turned into a factor without a cliff. */
const saturate = (n: number, half: number) => (n <= 0 ? 0 : 1 - 2 ** (-n / half));

/**
 * A test's factor values from its evidence. Pure.
 * - recentFailures: failures of its last RECENT_RUNS counted runs, each run weighing twice the
 *   one before (so a failure in the last run outweighs any earlier ones: 4/7 for the last alone);
 * - unattended: 1 when its last run failed and none of its linked files changed since (nothing
 *   was done about it, so it fails again), 0 otherwise;
 * - failureRate: share of all its counted runs that failed (the long window);
 *   in both, a run it passed only on a retry counts as failed: it failed an attempt;
 * - flakiness: the flakiness score (pass on retry, flips);
 * - churn: ½ at one changed linked file, ¾ at two (each extra author counts as one more file);
 * - staleSelectors: share of its catalogued selectors that are stale;
 * - similarFailures: ½ at one recent pattern touching its feature or selectors, ¾ at two;
 * - dependencies: 1 when a lockfile or Playwright's version changed since it last passed;
 * - newTest: 1 for a test with no recorded run.
 * @example factorValues({ history: ['pass', 'fail'], flakiness: 0, selectors: { total: 2, stale: ['#a'] }, dependencies: [], similarFailures: [] }).staleSelectors // 0.5
 */
export function factorValues(e: TestEvidence): FactorValues {
  return {
    recentFailures: decayedFailures(e.history.slice(-RECENT_RUNS)),
    unattended: e.sinceFailure && e.sinceFailure.length === 0 ? 1 : 0,
    failureRate: failShare(e.history),
    flakiness: Math.min(1, Math.max(0, e.flakiness)),
    churn: e.churn ? saturate(e.churn.files.length + (e.churn.files.length ? Math.max(0, e.churn.authors - 1) : 0), 1) : 0,
    staleSelectors: e.selectors.total ? Math.min(1, e.selectors.stale.length / e.selectors.total) : 0,
    similarFailures: saturate(e.similarFailures.length, 1),
    dependencies: e.dependencies.length ? 1 : 0,
    newTest: e.history.length ? 0 : 1,
  };
}

/**
 * Each factor in words, for the risk table and risk.json (what a developer checks first).
 * @example factorDetail('churn', evidence) // "2 linked files changed (cart.spec.ts, src/cart.ts) by 1 author"
 */
export function factorDetail(factor: RiskFactor, e: TestEvidence): string {
  const list = (items: readonly string[], max = 3) => items.slice(0, max).join(', ') + (items.length > max ? `, +${items.length - max}` : '');
  const fails = (runs: readonly RunResult[]) => `${runs.filter(failed).length} of ${runs.length} runs failed`;
  switch (factor) {
    case 'recentFailures':
      return `${fails(e.history.slice(-RECENT_RUNS))} lately`;
    case 'unattended':
      if (!e.sinceFailure) return e.history.length && failed(e.history.at(-1)!) ? 'failed last run; changes since unknown' : 'passed its last run';
      return e.sinceFailure.length ? `failed last run; since then ${list(e.sinceFailure)} changed` : 'failed last run and nothing linked to it changed since';
    case 'failureRate':
      return `${fails(e.history)} in all`;
    case 'flakiness':
      return `flakiness score ${e.flakiness.toFixed(2)}`;
    case 'churn':
      if (!e.churn) return 'changes unknown (no git history for its last pass)';
      return e.churn.files.length
        ? `${e.churn.files.length} linked file${e.churn.files.length === 1 ? '' : 's'} changed (${list(e.churn.files)}) by ${e.churn.authors} author${e.churn.authors === 1 ? '' : 's'}`
        : 'no linked file changed';
    case 'staleSelectors':
      return e.selectors.stale.length ? `${e.selectors.stale.length} of ${e.selectors.total} selectors stale (${list(e.selectors.stale, 2)})` : `${e.selectors.total} selectors verified lately`;
    case 'similarFailures':
      return e.similarFailures.length ? `${e.similarFailures.length} recent failure pattern${e.similarFailures.length === 1 ? '' : 's'} nearby (${list(e.similarFailures, 2)})` : 'no recent failure nearby';
    case 'dependencies':
      return e.dependencies.length ? list(e.dependencies) : 'unchanged';
    case 'newTest':
      return e.history.length ? `${e.history.length} runs recorded` : 'new test: no run recorded';
  }
}
