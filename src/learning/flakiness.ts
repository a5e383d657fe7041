import { z } from 'zod';
import { lastAttempts } from '../run/outcomes.js';
import { compareText } from '../store/learning.js';
import { groupBy } from './groupBy.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';

/**
 * How one test ended in one run: passed first time, passed on a retry, failed, or failed where
 * medic found its element changed (a heal was suggested, not applied): a change in the app, which
 * counts as a failure but not as a flip.
 */
export type RunResult = 'pass' | 'retry' | 'fail' | 'changed';

/** The key of an attempt in `changed` sets: run, Playwright test id, retry. */
export const attemptKey = (a: Pick<AttemptRecord, 'runId' | 'testId' | 'retry'>) => `${a.runId}\u0000${a.testId}\u0000${a.retry}`;

export const flakinessOptionsSchema = z
  .object({
    /** The last N runs of each test that count. */
    window: z.number().int().positive().default(20),
    /** Fewer counted runs than this give state `unknown` unless a retry passed (direct evidence). */
    minSamples: z.number().int().positive().default(5),
    /** A run in which more than this share of its tests failed says the app or CI was down: it is left out. */
    unhealthyShare: z.number().min(0).max(1).default(0.5),
    /** …but only a run of at least this many tests can be judged so. */
    unhealthyMinTests: z.number().int().positive().default(5),
    /** Score at or above which a test is flaky. */
    flakyScore: z.number().min(0).max(1).default(0.1),
    /** Share of failed runs at or above which a test is broken (not flaky); so is a trailing run of `brokenStreak` failures. */
    brokenShare: z.number().min(0).max(1).default(0.5),
    brokenStreak: z.number().int().positive().default(3),
    /** A flaky test is suggested for quarantine when its score is at least this… */
    quarantineScore: z.number().min(0).max(1).default(0.25),
    /** …and it misbehaved (retried or flipped) in at least this many runs: chronic, not a one-off. */
    quarantineRuns: z.number().int().positive().default(3),
  })
  .strict();
export type FlakinessOptions = z.input<typeof flakinessOptionsSchema>;

export type FlakyState = 'stable' | 'flaky' | 'broken' | 'unknown';

export type TestFlakiness = {
  testKey: string;
  title: string;
  file: string;
  /** Runs that counted (newest `window`, unhealthy ones and skips left out). */
  samples: number;
  /** Oldest first: how the test ended in each counted run. */
  history: RunResult[];
  /** Runs in which a retry passed after a failure. */
  passedOnRetry: number;
  /** Runs it failed (`changed` ones included). */
  failed: number;
  /** Runs it failed on a changed element (a suggested heal). */
  changed: number;
  /** Changes between pass and fail from one counted run to the next (a retry pass counts as a pass; `changed` runs are skipped). */
  flips: number;
  retryRate: number;
  flipRate: number;
  failRate: number;
  /** 0–1: the larger of the retry rate and the flip rate. */
  score: number;
  state: FlakyState;
  /** Why the state, in words. */
  reason: string;
  quarantine: boolean;
};

/** Each test's final result in one run, or nothing when it only skipped or was interrupted; `changed`: attempts (by `attemptKey`) that failed on a changed element. */
export function runResults(attempts: readonly AttemptRecord[], changed: ReadonlySet<string> = new Set()): Map<string, { result: RunResult; attempt: AttemptRecord }> {
  const out = new Map<string, { result: RunResult; attempt: AttemptRecord }>();
  for (const last of lastAttempts(attempts)) {
    if (last.outcome === 'skipped' || last.status === 'interrupted') continue;
    const result: RunResult = last.outcome === 'flaky' ? 'retry' : last.outcome === 'expected' ? 'pass' : changed.has(attemptKey(last)) ? 'changed' : 'fail';
    out.set(last.testKey, { result, attempt: last });
  }
  return out;
}

/** Whether a run says more about the environment than about its tests: most of them failed. */
export function unhealthyRun(results: ReadonlyMap<string, { result: RunResult }>, options: Pick<z.output<typeof flakinessOptionsSchema>, 'unhealthyShare' | 'unhealthyMinTests'>): boolean {
  if (results.size < options.unhealthyMinTests) return false;
  let failed = 0;
  for (const { result } of results.values()) if (result === 'fail' || result === 'changed') failed++;
  return failed / results.size > options.unhealthyShare;
}

/**
 * Per test, from the runs of one project (any order) and their attempts: pass-on-retry and
 * flips over the last `window` counted runs, a 0–1 flakiness score, a `broken` state for tests
 * that fail most of the time (or every time lately), and quarantine suggestions for chronic
 * flakes. `changed` holds the attempts (`attemptKey`) that failed on an element medic found
 * changed: they count as failures, not as flips (a UI change is not a flake). Pure: the caller
 * loads the history (`loadHistory` gives all three).
 * @example const { runs, attempts, changed } = await loadHistory(store, { project, runs: 20 }); assessFlakiness(runs, attempts, {}, changed).filter((t) => t.quarantine)
 */
export function assessFlakiness(runs: readonly RunRecord[], attempts: readonly AttemptRecord[], input: FlakinessOptions = {}, changed: ReadonlySet<string> = new Set()): TestFlakiness[] {
  const options = flakinessOptionsSchema.parse(input);
  const byRun = groupBy(attempts, (a) => a.runId);
  const ordered = [...runs].sort((a, b) => compareText(a.startedAt, b.startedAt));

  const perTest = new Map<string, { history: RunResult[]; last: AttemptRecord }>();
  for (const run of ordered) {
    const results = runResults(byRun.get(run.id) ?? [], changed);
    if (unhealthyRun(results, options)) continue;
    for (const [testKey, { result, attempt }] of results) {
      const entry = perTest.get(testKey) ?? { history: [], last: attempt };
      entry.history.push(result);
      entry.last = attempt;
      perTest.set(testKey, entry);
    }
  }

  const out: TestFlakiness[] = [];
  for (const [testKey, { history: all, last }] of perTest) out.push(judge(testKey, last, all.slice(-options.window), options));
  return out.sort((a, b) => stateRank(a.state) - stateRank(b.state) || b.score - a.score || (a.testKey < b.testKey ? -1 : 1));
}

const stateRank = (s: FlakyState) => ({ broken: 0, flaky: 1, unknown: 2, stable: 3 })[s];

function judge(testKey: string, last: AttemptRecord, history: RunResult[], options: z.output<typeof flakinessOptionsSchema>): TestFlakiness {
  const samples = history.length;
  const passedOnRetry = history.filter((r) => r === 'retry').length;
  const changed = history.filter((r) => r === 'changed').length;
  const failed = history.filter((r) => r === 'fail').length + changed;
  // Flips between the runs that say something about flakiness: a changed element is the app's doing.
  let flips = 0;
  const flipped = new Set<number>();
  let previous: number | undefined;
  for (let i = 0; i < samples; i++) {
    if (history[i] === 'changed') continue;
    if (previous !== undefined && (history[i] === 'fail') !== (history[previous] === 'fail')) {
      flips++;
      flipped.add(i);
    }
    previous = i;
  }
  let streak = 0;
  while (streak < samples && (history[samples - 1 - streak] === 'fail' || history[samples - 1 - streak] === 'changed')) streak++;
  const judged = samples - changed;
  const retryRate = passedOnRetry / samples;
  const flipRate = judged > 1 ? flips / (judged - 1) : 0;
  const failRate = failed / samples;
  const score = Math.max(retryRate, flipRate);
  // Runs that misbehaved: a retry passed, or the result changed from the run before.
  const misbehaved = history.filter((r, i) => r === 'retry' || flipped.has(i)).length;

  let state: FlakyState;
  let reason: string;
  const counts = `${samples} run${samples === 1 ? '' : 's'}`;
  if (samples >= options.brokenStreak && streak >= options.brokenStreak) {
    state = 'broken';
    reason = `failed the last ${streak} of ${counts}`;
  } else if (samples >= options.minSamples && failRate >= options.brokenShare) {
    state = 'broken';
    reason = `failed ${failed} of ${counts}`;
  } else if (samples < options.minSamples && passedOnRetry === 0) {
    state = 'unknown';
    reason = `${counts}, fewer than ${options.minSamples} needed to judge`;
  } else if (score >= options.flakyScore || (samples < options.minSamples && passedOnRetry > 0)) {
    state = 'flaky';
    reason = [passedOnRetry ? `passed on retry in ${passedOnRetry} of ${counts}` : '', flips ? `flipped ${flips} time${flips === 1 ? '' : 's'}` : '']
      .filter(Boolean)
      .join(', ');
  } else {
    state = 'stable';
    reason = failed ? `failed ${failed} of ${counts}${changed ? ` (${changed} on a changed element)` : ''}` : `passed ${counts}`;
  }
  const quarantine = state === 'flaky' && samples >= options.minSamples && score >= options.quarantineScore && misbehaved >= options.quarantineRuns;
  return { testKey, title: last.title, file: last.file, samples, history, passedOnRetry, failed, changed, flips, retryRate, flipRate, failRate, score, state, reason, quarantine };
}
