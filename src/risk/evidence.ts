import { groupBy } from '../learning/groupBy.js';
import { assessFlakiness, runResults, flakinessOptionsSchema, type RunResult } from '../learning/flakiness.js';
import { featureOf } from '../learning/patternLearner.js';
import type { FailurePattern } from '../learning/failurePatterns.js';
import type { SelectorRecord } from '../learning/catalog.js';
import type { AttemptRecord, RunRecord } from '../store/records.js';
import { compareText } from '../store/learning.js';
import { RECENT_RUNS, type TestEvidence } from './factors.js';

/** A test as the risk table names it (from its latest attempt, or from listing the suite). */
export type TestRef = Pick<AttemptRecord, 'testKey' | 'title' | 'titlePath' | 'file' | 'projectName'>;

/** What git answers for the evidence (see `openGit`); absent: no repository here. */
export type GitLookup = {
  /** Files changed since `sha` up to the working tree, with their authors; undefined when that commit is unknown. */
  changedSince(sha: string): Map<string, Set<string>> | undefined;
  changedBetween(from: string, to: string): string[] | undefined;
};

export type EvidenceInput = {
  runs: readonly RunRecord[];
  attempts: readonly AttemptRecord[];
  /** Attempts that failed on a changed element (`loadHistory`'s `changed`). */
  changed?: ReadonlySet<string>;
  selectors: readonly SelectorRecord[];
  patterns: readonly FailurePattern[];
  /** Tests found by listing the suite that may have no run yet. */
  listed?: readonly TestRef[];
  git?: GitLookup;
  /** A spec file's local imports, relative to rootDir (see `localImports`). */
  importsOf?: (file: string) => readonly string[];
  isLockfile?: (file: string) => boolean;
  /** The Playwright version about to run. */
  playwrightVersion?: string;
  now: Date;
  /** A selector not verified working for longer than this is stale. Default 14. */
  staleDays?: number;
};

/** A change of more files than this between two runs says little about which file broke a test. */
const MAX_LINK_FILES = 20;
/** How many of a test's newest run-to-run changes are read for the files tied to its failures. */
const MAX_TRANSITIONS = 20;

type Past = { run: RunRecord; result: RunResult };

/**
 * Each test's evidence for risk scoring, from its project's history, catalog, failure patterns
 * and git. Pure: the caller loads the data and passes git and the file system as lookups.
 * @example const evidence = gatherEvidence({ runs, attempts, selectors, patterns, git, now: new Date() });
 */
export function gatherEvidence(input: EvidenceInput): Array<{ test: TestRef; evidence: TestEvidence }> {
  const staleMs = (input.staleDays ?? 14) * 86_400_000;
  const options = flakinessOptionsSchema.parse({ window: Math.max(1, input.runs.length) });
  // A flip in two runs is a score of 1 but little evidence: the score counts in full from minSamples runs on.
  const flakiness = new Map(assessFlakiness(input.runs, input.attempts, options, input.changed).map((t) => [t.testKey, t.score * Math.min(1, t.samples / options.minSamples)]));

  // Each test's past, oldest first. Runs in which most tests failed count too (unlike for
  // flakiness): whatever failed them, the risk is of failing.
  const ordered = [...input.runs].sort((a, b) => compareText(a.startedAt, b.startedAt));
  const byRun = groupBy(input.attempts, (a) => a.runId);
  const pasts = new Map<string, Past[]>();
  const latest = new Map<string, AttemptRecord>();
  for (const run of ordered) {
    const results = runResults(byRun.get(run.id) ?? [], input.changed);
    for (const [testKey, { result, attempt }] of results) {
      let past = pasts.get(testKey);
      if (!past) pasts.set(testKey, (past = []));
      past.push({ run, result });
      latest.set(testKey, attempt);
    }
  }

  const tests = new Map<string, { test: TestRef; locators: readonly string[] }>();
  for (const a of latest.values()) tests.set(a.testKey, { test: pick(a), locators: a.locators });
  for (const t of input.listed ?? []) if (!tests.has(t.testKey)) tests.set(t.testKey, { test: pick(t), locators: [] });

  const byCode = groupBy(input.selectors, (s) => s.code);
  const recentSince = ordered.filter((r) => !r.shard || r.shard.current === 1).at(-RECENT_RUNS)?.startedAt ?? '';
  const recentPatterns = input.patterns.filter((p) => compareText(p.lastSeen, recentSince) >= 0);

  return [...tests.values()].map(({ test, locators }) => {
    const past = pasts.get(test.testKey) ?? [];
    const stale = locators.filter((code) => (byCode.get(code) ?? []).some((s) => isStale(s, input.now, staleMs)));
    const total = locators.filter((code) => byCode.has(code)).length;
    const feature = featureOf(test);
    const similar = recentPatterns.filter((p) => p.features.includes(feature) || locators.some((code) => p.examples.some((e) => e.includes(code))));
    const evidence: TestEvidence = {
      history: past.map((p) => p.result),
      flakiness: flakiness.get(test.testKey) ?? 0,
      selectors: { total, stale },
      dependencies: [],
      similarFailures: similar.map((p) => `${p.category}: ${p.examples[0]?.split('\n')[0]?.slice(0, 80) ?? p.id}`),
    };
    const green = [...past].reverse().find((p) => p.result === 'pass' || p.result === 'retry') ?? past[0];
    if (green && input.playwrightVersion && green.run.playwrightVersion !== input.playwrightVersion) {
      evidence.dependencies = [...evidence.dependencies, `playwright ${green.run.playwrightVersion} → ${input.playwrightVersion}`];
    }
    const changes = green?.run.gitSha && input.git ? input.git.changedSince(green.run.gitSha) : undefined;
    const pages = pageNames(locators.flatMap((code) => (byCode.get(code) ?? []).map((s) => s.pageKey)));
    const linked = new Set([
      test.file,
      ...(input.importsOf?.(test.file) ?? []),
      ...(input.git ? linkedFiles(past, input.git, input.isLockfile) : []),
      // Application files named after the pages the test visits (`/cart` → cart.html, CartPage.tsx).
      ...(changes && pages.size ? [...changes.keys()].filter((f) => f !== test.file && pages.has(fileName(f))) : []),
    ]);
    const last = past.at(-1);
    if (last && isFail(last.result) && last.run.gitSha && input.git) {
      const since = input.git.changedSince(last.run.gitSha);
      if (since) evidence.sinceFailure = [...suspects(past, input.git, linked, input.isLockfile)].filter((f) => since.has(f)).sort();
    }
    if (changes) {
      const files = [...linked].filter((f) => changes.has(f)).sort();
      const authors = new Set(files.flatMap((f) => [...changes.get(f)!]));
      evidence.churn = { files, authors: authors.size };
      const locks = [...changes.keys()].filter((f) => input.isLockfile?.(f)).sort();
      evidence.dependencies = [...locks, ...evidence.dependencies];
    }
    return { test, evidence };
  });
}

const isFail = (r: RunResult) => r === 'fail' || r === 'changed';

/** A name reduced for matching pages to files: lower case, letters and digits, without a Page/View/… suffix. */
const reduce = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/(page|view|screen|route|controller|component|template)$/, '');
/** A file's name without folder and extensions, reduced (`src/pages/CartPage.tsx` → `cart`). */
const fileName = (path: string) => reduce((path.split('/').pop() ?? path).split('.')[0] ?? '');
/** The names of the pages a test visits, from the catalog's page keys (`/cart` → `cart`, `/` → `index`; ids skipped). */
function pageNames(pageKeys: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const key of pageKeys) {
    if (!key.startsWith('/')) continue; // about:, data:
    const segment = key.split('/').filter((s) => s && s !== ':id').pop();
    const name = reduce((segment ?? 'index').split('.')[0] ?? '');
    if (name) out.add(name);
  }
  return out;
}

/**
 * The files that broke a test that is failing now: those changed between its last pass and the
 * first failure since (lockfiles aside), the ones linked to it when there are any; its linked
 * files when that change is unknown or too big.
 */
function suspects(past: readonly Past[], git: GitLookup, linked: ReadonlySet<string>, isLockfile?: (file: string) => boolean): ReadonlySet<string> {
  let first = past.length - 1;
  while (first > 0 && isFail(past[first - 1]!.result)) first--;
  const [pass, fail] = [past[first - 1], past[first]];
  if (!pass?.run.gitSha || !fail?.run.gitSha || pass.run.gitSha === fail.run.gitSha) return linked;
  const files = git.changedBetween(pass.run.gitSha, fail.run.gitSha)?.filter((f) => !isLockfile?.(f));
  if (!files || files.length > MAX_LINK_FILES) return linked;
  // A fix lands where the break was: among the changed files, those linked to the test when
  // there are any (a README edited in the same window is no suspect, nor its next edit a fix).
  const near = files.filter((f) => linked.has(f));
  return new Set(near.length ? near : files);
}

function pick(t: TestRef): TestRef {
  return { testKey: t.testKey, title: t.title, titlePath: t.titlePath, file: t.file, projectName: t.projectName };
}

/** Not verified working within `staleMs`, never verified, or its confidence fell in its latest run. */
export function isStale(s: SelectorRecord, now: Date, staleMs: number): boolean {
  if (!s.lastWorking || now.getTime() - Date.parse(s.lastWorking) > staleMs) return true;
  const last = s.runs?.[0];
  return !!last && s.confidence < last.before;
}

/**
 * Application files history ties to a test's failures: files whose change, between a run it
 * passed and the next, was followed by its failure at least twice as often as the test fails
 * after any change (a file that changes in every commit, a README, ties to nothing). Changes of
 * more than MAX_LINK_FILES files say too little about any one of them and are left out.
 */
function linkedFiles(past: readonly Past[], git: GitLookup, isLockfile?: (file: string) => boolean): string[] {
  const seen = new Map<string, { after: number; failed: number }>();
  let transitions = 0;
  let failures = 0;
  for (let i = Math.max(1, past.length - MAX_TRANSITIONS); i < past.length; i++) {
    const [before, after] = [past[i - 1]!, past[i]!];
    if (!(before.result === 'pass' || before.result === 'retry')) continue;
    if (!before.run.gitSha || !after.run.gitSha || before.run.gitSha === after.run.gitSha) continue;
    const files = git.changedBetween(before.run.gitSha, after.run.gitSha);
    if (!files || files.length > MAX_LINK_FILES) continue;
    const failed = after.result === 'fail' || after.result === 'changed';
    transitions++;
    if (failed) failures++;
    for (const f of files) {
      if (isLockfile?.(f)) continue;
      const c = seen.get(f) ?? { after: 0, failed: 0 };
      c.after++;
      if (failed) c.failed++;
      seen.set(f, c);
    }
  }
  const base = transitions ? failures / transitions : 0;
  return [...seen].filter(([, c]) => c.failed > 0 && c.failed / c.after >= Math.min(1, 2 * base)).map(([f]) => f);
}
